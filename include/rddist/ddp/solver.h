// solver.h — distributional dynamic programming on stock-augmented states
// (doc/ddp.md §2–§4).
//
// μ(x, c) = law(G | state x, stock c) under a policy satisfies
//   (T^a μ)(x, c) = Σ_{x', r} P(x', r | x, a) · law(r + γG'),  G' ~ μ(x', (c + r)/γ),
//   μ(⊥, ·) = δ_0;  greedy: π(x, c) ∈ argmax_a K(law(c + Z)), Z ~ (T^a μ)(x, c).
// For expected utilities with the γ-property f(γz) = a·f(z) + b (every goal of
// applications.h) the greedy choice needs only the values: V(x, c) = E f(c + G) solves
//   V(x, c) = max_a Σ p·[a·V(x', (c + r)/γ) + b],   f(c + r) where the episode ends,
// so the solver decides by this scalar recursion and computes laws only where they are
// reported (return_distribution, on first request). Ties (within
// tie_tolerance·(1 + |value|)) keep the incumbent action, then prefer the higher expected
// return, then the lower index. Objectives without the γ-property, solved because of
// `force`, decide greedily on the laws themselves (the literal rule above).
//
// Stock handling (stock.h): exact enumeration of the (state, time, stock) nodes reachable
// from (start_state, start_stock) when the MDP has a horizon or is acyclic — the values are
// then exact, whatever the representation — otherwise a stock grid, where off-grid stocks
// are rounded (a model of its own, doc/ddp.md §4):
//   value iteration   V_{k+1} = max_a T^a V_k from V_0 = f, until no value and no expected
//                     return moves by more than `tolerance` in a sweep;
//   policy iteration  evaluate V^π (iterate to `tolerance`), improve greedily, stop when
//                     the policy is stable.
// With a horizon H the problem is time-dependent and both reduce to H backward steps. For
// piecewise-linear utilities the closed form replaces stocks outside
// [−G_max(x), −G_min(x)]; stocks leaving a grid for other utilities are valued by extending
// V linearly beyond the two end points (exact for affine utilities), with a warning; the
// laws there are those of the end points.
//
// Representations (distribution.h) are how the reported laws are stored. In exact stock
// mode the law is computed exactly by a forward pass over the policy's nodes and projected
// once; on a grid by distributional evaluation of the decided policy. `automatic` means
// exact in exact stock mode and categorical on a grid. law_error_bound() bounds the W1
// distance between a reported law and the law it represents.
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
  Representation representation = Representation::automatic;
  arma::uword atoms = 101;  // m, for the categorical and quantile representations
  // Categorical support [lo, hi]; default: the exact range [G_min, G_max] of the return.
  std::optional<std::pair<double, double>> support;
  StockMode stock_mode = StockMode::automatic;
  arma::vec stock_grid;             // explicit grid; empty: uniform on [−G_max, −G_min]
  arma::uword stock_points = 201;   // size of the default grid
  Rounding rounding = Rounding::stochastic;
  Algorithm algorithm = Algorithm::value_iteration;
  arma::uword max_iterations = 10000;  // sweeps (value iteration) or improvements (policy it.)
  double tolerance = 1e-8;  // on the sup over (x, c) of the change of a value per sweep
  // Grid laws (return_distribution) stop at this W1 change per sweep; 0: when their
  // remaining iteration error is 1% of the representation's (law_error_bound), or at
  // `tolerance` if that is larger.
  double law_tolerance = 0.0;
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
// Maximises (or minimises) E G: backward induction with a horizon, one pass in topological
// order for acyclic MDPs, policy iteration otherwise; ties go to the lower action index.
MeanPolicy solve_mean(const Mdp& mdp, bool maximise = true, const Hooks& hooks = Hooks());

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
  Representation representation() const;  // of the reported laws, as used (never automatic)
  const CategoricalSupport& support() const;  // categorical atoms (also set otherwise)
  const ReturnBounds& bounds() const;
  const arma::vec& stock_grid() const;  // empty in exact mode
  arma::uword n_nodes() const;          // exact mode: (state, time, stock) nodes solved
  arma::uword iterations() const;       // sweeps (VI), improvements (PI), or H
  arma::uword sweeps() const;           // Bellman sweeps over all augmented states
  bool converged() const;
  double residual() const;              // last sup-W1 change (0 for backward induction)
  arma::uword clamped() const;          // stock look-ups beyond the grid's ends (last sweep)
  arma::uword rounded() const;          // grid look-ups between two grid points (last sweep)
  double seconds() const;               // wall time of the solve
  // Bound on the W1 distance between a law from return_distribution() and the law it
  // represents (exact mode: the exact law of the policy; grid mode: the law in the
  // rounded-stock model): 0 for the exact representation, one projection's error in exact
  // mode (Δ/2 categorical, (G_max − G_min)/(2m) quantile), the projections compounded
  // over the steps, Σ_t γ^t, on a grid, plus the iteration's residual·γ/(1 − γ).
  double law_error_bound() const;

  // The decision at (state, stock, time). Grid mode: the nearest grid point (or the closed
  // form). Exact mode: the node reached with this stock; throws invalid_argument for a
  // stock that is not reachable from the start.
  arma::uword action(arma::uword state, double stock, arma::uword time = 0) const;
  // Law of G from (state, stock) under the policy, in the representation. Exact mode: any
  // reachable node (computed on each call; linear in the nodes it reaches). Grid mode:
  // time 0 only, mixing neighbouring grid points as the rounding does; the first call
  // evaluates the policy's laws on the whole grid (the expensive part of a grid solution,
  // which front ends reporting only values skip). `hooks` poll for interrupts.
  Distribution return_distribution(arma::uword state, double stock, arma::uword time = 0,
                                   const Hooks& hooks = Hooks()) const;
  // The objective E f(stock + G) the solver attributes to (state, stock): the value V of the
  // recursion (exact in exact mode; grid mode: interpolated between grid points like the
  // rounding, time 0 only); K of return_distribution() for forced objectives. Re-evaluate
  // with the true stock (evaluate.h) for the value of the policy actually run.
  double value(arma::uword state, double stock, arma::uword time = 0) const;
  // E G from (state, stock) under the policy, by the same recursion.
  double expected_return(arma::uword state, double stock, arma::uword time = 0) const;
  // Every decision the solver made: grid mode (state, time, grid stock) for all of them,
  // exact mode the reachable nodes — the enumerated ones, and those the policy reaches in
  // the closed-form region (their expected-return decisions; up to max_nodes rows in all) —
  // in increasing (time, state, stock).
  std::vector<PolicyRow> policy_table() const;
  // The policy as a function, for evaluate_exact / evaluate_monte_carlo.
  std::function<arma::uword(arma::uword, double, arma::uword)> policy() const;

  // The expected-return-maximising policy and its law (in the representation; exact mode
  // computes it like return_distribution, grid mode by distributional evaluation).
  const MeanPolicy& risk_neutral() const;
  Distribution risk_neutral_distribution(arma::uword state, arma::uword time = 0,
                                         const Hooks& hooks = Hooks()) const;

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
