// internal.h — state shared by the DDP solver sources (not installed).
//
// A Solution owns one SolutionData: the problem, the resolved settings, the expected-return
// policies of the closed form, and either the enumerated nodes (exact stock mode) or the
// grid arrays. Decisions of expected utilities with the γ-property are made by the scalar
// recursion (doc/ddp.md §2), so the arrays hold values V and expected returns M, not laws.
// Laws are computed where they are reported, on first request, and cached (return laws of
// a grid solution, the laws of the expected-return policies). Objectives solved greedily
// because of `force` decide on laws (the literal rule) and keep them: node_laws, columns.
// Grid columns hold one distribution each as m numbers — probabilities on the categorical
// support, or the m sorted locations of a quantile representation; column index =
// state·K + grid index.
#ifndef RDDIST_DDP_INTERNAL_H
#define RDDIST_DDP_INTERNAL_H

#include <map>
#include <mutex>
#include <vector>

#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/solver.h"

namespace rddist {
namespace ddp {
namespace detail {

struct Node {
  arma::uword state = 0, time = 0;  // time: t with a horizon, else 0
  double stock = 0.0;
  arma::uword action = 0;
  bool closed = false;  // in the closed-form region: expected-return action, not expanded
  double value = 0.0;   // E f(stock + G) under the policy (K of the law for forced objectives)
  double mean = 0.0;    // E G under the policy
};

struct SolutionData {
  SolutionData(const Mdp& m, const Objective& o, const SolveOptions& opt)
      : mdp(m), objective(o), options(opt) {}

  Mdp mdp;
  Objective objective;
  SolveOptions options;
  StockMode mode = StockMode::grid;
  Representation rep = Representation::categorical;  // resolved, never automatic
  arma::uword m = 0;  // atoms (categorical, quantile)
  CategoricalSupport support;
  ReturnBounds bounds;
  bool closed_form = false;
  // Decisions by the scalar recursion V(x, c) = max_a Σ p·[a·V(x', c') + b] of the
  // γ-property (false for forced objectives, which are greedy on the laws).
  bool scalar_decisions = false;
  GammaProperty property;
  MeanPolicy rn_max, rn_min;  // rn_min only when a slope of the closed form is negative

  // Exact mode.
  std::vector<Node> nodes;
  std::vector<std::map<double, arma::uword>> index;  // per state + S·time key
  std::vector<arma::uword> order;                    // children before parents
  std::vector<Distribution> node_laws;               // forced objectives only
  arma::uword root = 0;

  // Grid mode.
  StockGrid grid;
  arma::vec values, means;          // S·K, time 0
  std::vector<arma::uword> policy;  // (layer·S + state)·K + i
  arma::uword layers = 1;
  arma::mat columns;                // forced objectives only: m × (S·K) laws at time 0
  arma::uword rounded = 0;          // look-ups between two grid points in the last sweep

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
  const MeanPolicy& closed_policy(StockRegion r) const { return use_max(r) ? rn_max : rn_min; }
  arma::uword closed_action(arma::uword x, arma::uword t, StockRegion r) const {
    return closed_policy(r).action_at(x, t);
  }
  double closed_mean(arma::uword x, arma::uword t, StockRegion r) const {
    return closed_policy(r).value(x, mdp.has_horizon() ? t : 0);
  }
  // E f(c + G) in a closed-form region: f is affine on the side where c + G lies.
  double closed_value(arma::uword x, arma::uword t, double c, StockRegion r) const {
    return objective.affine_piece(c + closed_mean(x, t, r), r == StockRegion::above);
  }
  const Distribution& closed_law(arma::uword x, arma::uword t, StockRegion r,
                                 const Hooks& hooks) const {
    return rn_laws(use_max(r), hooks).at(x, time_key(t));
  }

  // Laws of the expected-return maximiser (max = true) or minimiser in the representation.
  const StockBlindLaws& rn_laws(bool max, const Hooks& hooks) const;
  // Grid mode: the laws at time 0 of the decided policy (computed on first use).
  const arma::mat& grid_laws(const Hooks& hooks) const;

  Distribution column_law(const arma::mat& cols, arma::uword col) const;
  // Exact-mode lookup; returns nodes.size() when absent.
  arma::uword find_node(arma::uword x, arma::uword t, double c) const;
  // Exact mode: the action at a stock the policy reaches. A stock computed from a parent in
  // the closed form can fall a rounding error inside the region, where nothing was
  // enumerated: it takes the closed form of the nearer boundary. Returns false when the
  // stock is neither enumerated nor at a boundary.
  bool exact_action(arma::uword x, arma::uword t, double c, arma::uword* action) const;

 private:
  mutable std::once_flag rn_once_[2], grid_once_;
  mutable StockBlindLaws rn_laws_[2];
  mutable arma::mat grid_laws_;
};

// Representation of a law as a grid column (m numbers).
void law_to_column(const Distribution& d, Representation rep, const CategoricalSupport& s,
                   arma::uword m, double* out);

// Forward pass of exact evaluation (evaluate.cpp) from (x0, t0, c0): the returns of the
// paths that end (z, p), and the probability reaching nodes where `stop` holds, which the
// pass does not expand (partial return g and γ^t there). Throws data_error beyond
// max_nodes nodes.
struct ForwardPass {
  struct Stopped {
    arma::uword state, time;
    double stock, mass, g, disc;
  };
  std::vector<double> z, p;
  std::vector<Stopped> stopped;
  arma::uword nodes = 0;
};
using StopRule = std::function<bool(arma::uword state, arma::uword time, double stock)>;
ForwardPass forward_pass(const Mdp& mdp, const PolicyFunction& policy, arma::uword x0,
                         arma::uword t0, double c0, arma::uword max_nodes, double merge_tolerance,
                         const Hooks& hooks, const StopRule& stop = nullptr);

// The solvers proper; all fill `data`. solve_exact returns false (leaving no nodes) when
// more than max_nodes nodes would be needed.
bool solve_exact(SolutionData& data, const Hooks& hooks);
void solve_grid(SolutionData& data, const Hooks& hooks);        // scalar decisions
void solve_grid_laws(SolutionData& data, const Hooks& hooks);   // forced: literal rule
// Laws at time 0 of every grid column under the decided policy (grid_laws()).
arma::mat evaluate_grid_policy(const SolutionData& data, const Hooks& hooks);
// W1 error of one projection onto the representation (Δ/2 categorical, (G_max − G_min)/(2m)
// quantile, 0 exact), and the W1 change per sweep at which grid laws stop (law_tolerance).
double projection_error(const SolutionData& data);
double law_tolerance(const SolutionData& data);
// The reported law of node k in exact mode, and its W1 distance bound to the exact law.
Distribution exact_mode_law(const SolutionData& data, arma::uword x, arma::uword t, double c,
                            const Hooks& hooks);

}  // namespace detail
}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_INTERNAL_H
