// ddp_internal.h — state shared by the DDP solver sources (not installed).
//
// A Solution owns one SolutionData: the problem, the resolved settings, the closed-form
// laws, and either the grid arrays or the enumerated nodes. Grid columns hold one
// distribution each as m numbers — probabilities on the categorical support, or the m
// sorted locations of a quantile representation; column index = state·K + grid index.
#ifndef RDDIST_DDP_INTERNAL_H
#define RDDIST_DDP_INTERNAL_H

#include <map>
#include <vector>

#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/solver.h"

namespace rddist {
namespace ddp {
namespace detail {

struct Node {
  arma::uword state = 0, time = 0;
  double stock = 0.0;
  arma::uword action = 0;
  bool closed = false;  // lies in the closed-form region: risk-neutral action and law
  Distribution law;
};

struct SolutionData {
  SolutionData(const Mdp& m, const Objective& o, const SolveOptions& opt)
      : mdp(m), objective(o), options(opt) {}

  Mdp mdp;
  Objective objective;
  SolveOptions options;
  StockMode mode = StockMode::grid;
  Representation rep = Representation::categorical;
  arma::uword m = 0;  // atoms (categorical, quantile)
  CategoricalSupport support;
  ReturnBounds bounds;
  bool closed_form = false;
  // Grid decisions use the scalar recursion V(x, c) = max_a Σ p·[a·V(x', c') + b] of the
  // γ-property (false for forced objectives, which are greedy on the laws).
  bool scalar_decisions = false;
  GammaProperty property;
  MeanPolicy rn_max, rn_min;
  StockBlindLaws law_max, law_min;  // law_min only when a slope is negative

  // Grid mode.
  StockGrid grid;
  arma::mat columns;  // m × (S·K), time 0
  arma::vec values;   // S·K values of the decisions at time 0
  std::vector<arma::uword> policy;  // (layer·S + state)·K + i
  arma::uword layers = 1;

  // Exact mode.
  std::vector<Node> nodes;
  std::vector<std::map<double, arma::uword>> index;  // per state + S·time key
  arma::uword root = 0;

  arma::uword iterations = 0, sweeps = 0, clamped = 0;
  bool converged = false;
  double residual = 0.0, seconds = 0.0;

  arma::uword n_states() const { return mdp.n_states(); }
  // Time index used for keys and bounds: t with a horizon, 0 otherwise.
  arma::uword time_key(arma::uword t) const { return mdp.has_horizon() ? t : 0; }
  double stock_tolerance(double c) const;

  StockRegion region(arma::uword x, arma::uword t, double c) const {
    if (!closed_form) return StockRegion::inside;
    return stock_region(c, bounds.lo_at(x, time_key(t)), bounds.hi_at(x, time_key(t)));
  }
  // In a closed-form region: use the expected-return maximiser unless the slope there is
  // negative (then the minimiser).
  bool use_max(StockRegion r) const {
    const double slope = r == StockRegion::above ? objective.slope_right() : objective.slope_left();
    return slope >= 0.0;
  }
  arma::uword closed_action(arma::uword x, arma::uword t, StockRegion r) const {
    return (use_max(r) ? rn_max : rn_min).action_at(x, t);
  }
  const Distribution& closed_law(arma::uword x, arma::uword t, StockRegion r) const {
    return (use_max(r) ? law_max : law_min).at(x, time_key(t));
  }

  // Grid helpers.
  Distribution column_law(arma::uword col) const;
  // Exact-mode lookup; returns nodes.size() when absent.
  arma::uword find_node(arma::uword x, arma::uword t, double c) const;
};

// Representation of a law as a grid column (m numbers).
void law_to_column(const Distribution& d, Representation rep, const CategoricalSupport& s,
                   arma::uword m, double* out);

// The solvers proper; both fill `data`. solve_exact returns false (leaving no nodes) when
// more than max_nodes nodes would be needed.
bool solve_exact(SolutionData& data, const Hooks& hooks);
void solve_grid(SolutionData& data, const Hooks& hooks);

}  // namespace detail
}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_INTERNAL_H
