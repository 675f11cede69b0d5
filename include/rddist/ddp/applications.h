// applications.h — the decision problems a user states, solved end to end (doc/ddp.md §5).
//
//   goal                    utility f of the DP                       start stock c_0
//   expected return         z                                         0
//   success P(G >= b)       1{z >= 0}                                 −b
//   CVaR_τ (lower tail)     min(z, 0); CVaR = max_c −c + V(x_0, c)/τ   searched globally
//   λE + (1−λ)CVaR_τ        (λ + (1−λ)/τ)·min(z, 0) + λ·max(z, 0);     searched globally
//                           value = max_c −c + V(x_0, c)
//   homeostasis to T        −|z|^p                                    −T
//   max τ-quantile          1{z >= 0}; the largest b with max P(G >= b) > 1 − τ
//   custom utility          any Objective                             given
// The CVaR identity is Rockafellar–Uryasev's CVaR_τ(G) = max_s {s − E(s − G)^+/τ} with
// s = −c. For each policy the bracket is concave and piecewise linear in c with kinks at
// c = −g for the atoms g of its return, so the global maximum over c lies at c = −g for an
// achievable return g: with exact stock enumeration the search tries exactly those
// candidates (up to max_candidates, else an evenly spaced set), on a grid the grid stocks.
// The τ-quantile is the lower one, inf{z : P(G <= z) >= τ}, which is >= b exactly when
// P(G >= b) > 1 − τ; max_π P(G >= b) decreases in b, so a search over b finds the best.
//
// The value is the dynamic program's V (exact with exact stock enumeration); the law of the
// return from the start is computed for reporting only, and a warning says when that law,
// in an approximate representation, gives a visibly different value for the goal (a
// threshold between its atoms, for instance), or when a stock grid rounds the stocks of a
// threshold or quantile goal. Every result is re-evaluated with the true stock (exact
// enumeration when possible, else seeded Monte Carlo), and both numbers are reported.
#ifndef RDDIST_DDP_APPLICATIONS_H
#define RDDIST_DDP_APPLICATIONS_H

#include <cstdint>
#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/ddp/distribution.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/mdp.h"
#include "rddist/ddp/objective.h"
#include "rddist/ddp/solver.h"
#include "rddist/hooks.h"

namespace rddist {
namespace ddp {

enum class GoalKind { mean, success, cvar, mean_cvar, homeostatic, quantile, utility };
std::string to_string(GoalKind kind);

struct Goal {
  GoalKind kind = GoalKind::mean;
  double level = 0.0;        // b (success), target T (homeostatic)
  double tau = 0.5;          // CVaR, mean–CVaR, quantile
  double lambda = 0.0;       // mean–CVaR weight of the mean
  double power = 1.0;        // homeostatic p
  double start_stock = 0.0;  // custom utility
  Objective utility = Objective::mean();  // custom utility (any objective, refused ones too)

  static Goal mean();
  static Goal success(double b);
  static Goal cvar(double tau);
  static Goal mean_cvar(double lambda, double tau);
  static Goal homeostatic(double target, double p = 1.0);
  static Goal quantile(double tau);
  static Goal custom(Objective f, double start_stock = 0.0);

  Objective objective() const;  // the utility f the DP optimises
  std::string name() const;     // e.g. "cvar(tau = 0.5)"
  // The goal's criterion of a law of G: E G, P(G >= b), CVaR_τ(G), ...
  double value_of(const Distribution& returns) const;
};

// A goal from a short text, for command lines: "mean", "success:B" (or "threshold:B"),
// "cvar:TAU", "mean_cvar:LAMBDA,TAU", "homeostatic:TARGET[,P]", "quantile:TAU",
// "hinge:W_LEFT,W_RIGHT[,C0]", "exponential:BETA[,C0]". Throws invalid_argument.
Goal parse_goal(const std::string& spec);

enum class TrueStockMethod { automatic, exact, monte_carlo, none };
TrueStockMethod parse_true_stock_method(const std::string& name);  // auto, exact, monte_carlo, none
std::string to_string(TrueStockMethod method);

struct GoalOptions {
  SolveOptions solve;  // solve.start_state defaults to state 0; start_stock is set by the goal
  TrueStockMethod evaluation = TrueStockMethod::automatic;
  MonteCarloOptions monte_carlo;
  arma::uword max_candidates = 2000;  // exact-mode searches over c_0 or b
  // Compute the laws GoalResult::returns and risk_neutral. Front ends that report only
  // values and expected returns turn this off: on a stock grid the laws are the expensive
  // part of a solution.
  bool laws = true;
};

// One point of a search: the goal's value when the DP starts from this stock.
struct SearchPoint {
  double start_stock = 0.0;
  double value = 0.0;  // CVaR / mean–CVaR objective, or max P(G >= b) for quantiles
};

struct TrueStockResult {
  TrueStockMethod method = TrueStockMethod::none;  // exact or monte_carlo as used
  double value = 0.0;
  double std_error = 0.0;  // 0 for exact evaluation
  double mean = 0.0;       // E G
  Distribution returns;    // exact law, or the empirical law of the episodes
  arma::uword episodes = 0, truncated = 0;
  std::uint64_t seed = 0;
};

struct GoalResult {
  Goal goal;
  Solution solution;            // the DP at the chosen start stock
  arma::uword start_state = 0;
  double start_stock = 0.0;     // c_0 used
  double value = 0.0;           // the goal's value according to the DP
  double mean = 0.0;            // E G from the start under the DP policy, by the DP
  double risk_neutral_mean = 0.0;  // the largest E G
  // Laws, when GoalOptions::laws: of G from the start under the DP policy, and under the
  // expected-return policy, in the solution's representation; law_error_bound bounds
  // their W1 error (Solution::law_error_bound).
  bool has_laws = false;
  Distribution returns;
  Distribution risk_neutral;
  double law_error_bound = 0.0;
  TrueStockResult true_stock;   // the DP policy run with the true stock
  std::vector<SearchPoint> search;
};

// Throws invalid_argument for bad goals and options, and for objectives greedy DP cannot
// optimise unless options.solve.force.
GoalResult solve_goal(const Mdp& mdp, const Goal& goal, const GoalOptions& options = {},
                      const Hooks& hooks = Hooks());

// For front ends writing files: the summary as ordered key/value pairs (numbers printed
// with 17 significant digits, counts as integers, booleans as true/false; law_w1_bound is
// left out where no finite bound exists) and the policy with labels.
struct SummaryField {
  std::string key, value;
  bool is_number = false;  // false: a string (or true/false when is_bool)
  bool is_bool = false;
  bool is_integer = false;  // a count (is_number too)
};
std::vector<SummaryField> summary_fields(const GoalResult& result);

struct LabelledPolicyRow {
  std::string state;
  arma::uword time = 0;
  double stock = 0.0;
  std::string action;
};
std::vector<LabelledPolicyRow> labelled_policy(const Solution& solution);

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_APPLICATIONS_H
