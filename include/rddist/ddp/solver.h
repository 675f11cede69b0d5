// solver.h — distributional value and policy iteration on stock-augmented states
// (doc/ddp.md §2–§4).
//
// The solver stores μ(x, c) = law(G | state x, stock c) under the current policy and
//   (T^a μ)(x, c) = Σ_{x', r} P(x', r | x, a) · law(r + γG'),  G' ~ μ(x', (c + r)/γ),
//   μ(⊥, ·) = δ_0;  greedy: π(x, c) ∈ argmax_a K(law(c + Z)), Z ~ (T^a μ)(x, c),
// evaluated on the unprojected T^a μ, after which the chosen law is projected onto the
// representation. Ties (within tie_tolerance·(1 + |value|)) keep the incumbent action,
// then prefer the higher mean, then the lower index. On a stock grid, utilities with the
// γ-property decide by the equivalent scalar recursion V(x, c) = max_a Σ p·[a·V(x', c') + b]
// with c' rounded to the grid (ddp_solver_grid.cpp explains why).
//   value iteration   μ_{k+1} = Π T^{π_{k+1}} μ_k from μ_0 = δ_0, until the largest W1
//                     change of a law and the largest change of a value over (x, c) are at
//                     most `tolerance`;
//   policy iteration  evaluate μ^π (iterate Π T^π to `tolerance`), improve greedily, stop
//                     when the policy is stable.
// With a horizon H the problem is time-dependent and both reduce to H backward steps.
//
// Stock handling (stock.h): exact enumeration of the (state, time, stock) nodes reachable
// from (start_state, start_stock) when the MDP has a horizon or is acyclic, otherwise a
// stock grid; for piecewise-linear utilities the closed form replaces stocks outside
// [−G_max(x), −G_min(x)]. Stocks leaving a grid for other utilities are clamped to the
// nearest end point and reported through a warning.
#ifndef RDDIST_DDP_SOLVER_H
#define RDDIST_DDP_SOLVER_H

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rddist/arma.h"
#include "rddist/ddp/distribution.h"
#include "rddist/ddp/mdp.h"
#include "rddist/ddp/objective.h"
#include "rddist/ddp/stock.h"
#include "rddist/hooks.h"

namespace rddist {
namespace ddp {

enum class Algorithm { value_iteration, policy_iteration };
Algorithm parse_algorithm(const std::string& name);  // "value_iteration", "policy_iteration"
std::string to_string(Algorithm algorithm);

struct SolveOptions {
  Representation representation = Representation::categorical;
  arma::uword atoms = 101;  // m, for the categorical and quantile representations
  // Categorical support [lo, hi]; default: the exact range [G_min, G_max] of the return.
  std::optional<std::pair<double, double>> support;
  StockMode stock_mode = StockMode::automatic;
  arma::vec stock_grid;             // explicit grid; empty: uniform on [−G_max, −G_min]
  arma::uword stock_points = 201;   // size of the default grid
  Rounding rounding = Rounding::stochastic;
  Algorithm algorithm = Algorithm::value_iteration;
  arma::uword max_iterations = 10000;  // sweeps (value iteration) or improvements (policy it.)
  double tolerance = 1e-8;  // on the sup over (x, c) of the W1 (and value) change per sweep
  bool closed_form = true;  // use the closed form outside the relevant stock range
  bool force = false;       // solve objectives greedy DP cannot optimise, with a warning
  std::optional<arma::uword> start_state;  // needed for exact stock enumeration
  double start_stock = 0.0;                // c_0
  arma::uword max_nodes = 1000000;         // cap of exact stock enumeration
  double merge_tolerance = 1e-12;          // stocks and exact atoms closer than this merge
  double tie_tolerance = 1e-10;
};

// Risk-neutral (expected-return) dynamic programming: the closed form outside the stock
// range and the oracle of example T6 (doc/ddp.md §7).
struct MeanPolicy {
  arma::mat value;    // optimal E G: S × (H+1) with a horizon (column H is 0), else S × 1
  arma::umat action;  // S × H with a horizon, else S × 1
  arma::uword action_at(arma::uword state, arma::uword time) const {
    return action(state, action.n_cols == 1 ? 0 : time);
  }
};
// Maximises (or minimises) E G: backward induction with a horizon, policy iteration
// otherwise; ties go to the lower action index.
MeanPolicy solve_mean(const Mdp& mdp, bool maximise = true);

// One decision of a policy table.
struct PolicyRow {
  arma::uword state = 0;
  arma::uword time = 0;  // 0 without a horizon
  double stock = 0.0;
  arma::uword action = 0;
};

namespace detail {
struct SolutionData;
}

class Solution {
 public:
  Solution() = default;  // empty; every accessor but empty() throws

  bool empty() const { return !data_; }
  const Mdp& mdp() const;
  const Objective& objective() const;
  const SolveOptions& options() const;
  StockMode stock_mode() const;  // exact or grid, as used
  Representation representation() const;
  const CategoricalSupport& support() const;  // categorical atoms (also set otherwise)
  const ReturnBounds& bounds() const;
  const arma::vec& stock_grid() const;  // empty in exact mode
  arma::uword n_nodes() const;          // exact mode: (state, time, stock) nodes solved
  arma::uword iterations() const;       // sweeps (VI), improvements (PI), or H
  arma::uword sweeps() const;           // Bellman sweeps over all augmented states
  bool converged() const;
  double residual() const;              // last sup-W1 change (0 for backward induction)
  arma::uword clamped() const;          // stock look-ups clamped to the grid ends
  double seconds() const;               // wall time of the solve

  // The decision at (state, stock, time). Grid mode: the nearest grid point (or the closed
  // form). Exact mode: the node reached with this stock; throws invalid_argument for a
  // stock that is not reachable from the start.
  arma::uword action(arma::uword state, double stock, arma::uword time = 0) const;
  // Law of G from (state, stock) at time 0 (grid mode with a horizon keeps only t = 0),
  // in the representation; grid mode mixes neighbouring grid points as the rounding does.
  Distribution return_distribution(arma::uword state, double stock, arma::uword time = 0) const;
  // The objective K(law(stock + G)) the solver attributes to (state, stock): exact mode and
  // closed-form region, K of return_distribution(); grid mode, the decisions' values V
  // interpolated between grid points like the rounding (time 0 only). Re-evaluate with the
  // true stock (evaluate.h) for the value of the policy actually run.
  double value(arma::uword state, double stock, arma::uword time = 0) const;
  // Every decision the solver made: grid mode (state, time, grid stock) for all of them,
  // exact mode the reachable nodes, in increasing (time, state, stock).
  std::vector<PolicyRow> policy_table() const;
  // The policy as a function, for evaluate_exact / evaluate_monte_carlo.
  std::function<arma::uword(arma::uword, double, arma::uword)> policy() const;

  // The expected-return-maximising policy and its law (in the representation).
  const MeanPolicy& risk_neutral() const;
  Distribution risk_neutral_distribution(arma::uword state, arma::uword time = 0) const;

  explicit Solution(std::shared_ptr<const detail::SolutionData> data) : data_(std::move(data)) {}

 private:
  const detail::SolutionData& d() const;
  std::shared_ptr<const detail::SolutionData> data_;
};

// Solves max over stock-augmented policies of K(law(c + G)) for every stock c (grid mode)
// or for the stocks reachable from options.start_stock (exact mode). Throws
// invalid_argument for bad options or an objective greedy DP cannot optimise (unless
// options.force), data_error when exact enumeration exceeds max_nodes in exact mode.
Solution solve(const Mdp& mdp, const Objective& objective, const SolveOptions& options = {},
               const Hooks& hooks = Hooks());

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_SOLVER_H
