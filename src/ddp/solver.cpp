// solver.cpp — the solve() entry point (doc/ddp.md §2–§4, §6).
//
// solve() checks the options and the objective, computes the exact return bounds (for the
// categorical support and the closed-form stock region) and the expected-return policies
// used in the closed form, then hands over to exact stock enumeration (solver_exact.cpp)
// or to a grid solver: the scalar recursion (solver_grid.cpp) for objectives with the
// γ-property, the literal rule on laws (solver_grid_laws.cpp) for forced ones. Automatic
// stock handling prefers exact enumeration when the MDP has a horizon or is acyclic and a
// start state is known, and falls back to a grid, with a warning, when the reachable
// stocks exceed max_nodes. The automatic representation is exact with exact enumeration
// (the reported laws then come from a forward pass, linear in the nodes) and categorical
// on a grid.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "internal.h"
#include "rddist/error.h"

namespace rddist {
namespace ddp {

Algorithm parse_algorithm(const std::string& name) {
  if (name == "value_iteration" || name == "vi") return Algorithm::value_iteration;
  if (name == "policy_iteration" || name == "pi") return Algorithm::policy_iteration;
  throw invalid_argument("unknown method '" + name +
                             "'; use \"value_iteration\" or \"policy_iteration\"",
                         "parse_algorithm");
}

std::string to_string(Algorithm a) {
  return a == Algorithm::value_iteration ? "value_iteration" : "policy_iteration";
}

namespace {

const char* const kWhere = "ddp::solve";

// Option values the solver cannot use are argument errors naming the option, so that front
// ends classify them as usage errors.
void check_options(const Mdp& mdp, const SolveOptions& opt) {
  require(!(opt.representation == Representation::categorical && opt.atoms < 2), "atoms",
          "the categorical representation needs at least 2 atoms (got {atoms=", opt.atoms, "})");
  require(!(opt.representation == Representation::quantile && opt.atoms < 1), "atoms",
          "the quantile representation needs at least 1 atom (got {atoms=0})");
  require(opt.tolerance > 0.0 && std::isfinite(opt.tolerance), "tolerance",
          "{tolerance} must be a positive number");
  require(opt.law_tolerance >= 0.0 && std::isfinite(opt.law_tolerance), "law_tolerance",
          "{law_tolerance} must be a non-negative number (0: automatic)");
  require(opt.max_iterations >= 1, "max_iterations", "{max_iterations} must be at least 1");
  fail_if(!(opt.merge_tolerance >= 0.0) || !(opt.tie_tolerance >= 0.0), kWhere,
          "merge and tie tolerances must be non-negative");
  fail_if(!std::isfinite(opt.start_stock), kWhere, "the start stock must be finite");
  require(!(opt.start_state && *opt.start_state >= mdp.n_states()), "start_state",
          "{start_state} = ", opt.start_state ? *opt.start_state : 0, " is out of range (",
          mdp.n_states(), " states)");
  require(!(opt.stock_grid.n_elem == 0 && opt.stock_points < 2), "stock_points",
          "{stock_points} must be at least 2 (got ", opt.stock_points, ")");
}

// The categorical support: the exact range of the return, or the user's wider one.
CategoricalSupport make_support(const ReturnBounds& b, const SolveOptions& opt) {
  double lo = b.min(), hi = b.max();
  if (hi - lo <= 1e-9 * std::max(1.0, std::fabs(lo))) {  // one possible return: any support works
    lo -= 0.5;
    hi += 0.5;
  }
  if (opt.support) {
    const double slack = 1e-9 * (1.0 + hi - lo);
    fail_if(!(opt.support->first <= b.min() + slack && opt.support->second >= b.max() - slack),
            kWhere, "the categorical support [", opt.support->first, ", ", opt.support->second,
            "] must contain the range of the return [", b.min(), ", ", b.max(), "]");
    lo = std::min(opt.support->first, b.min());
    hi = std::max(opt.support->second, b.max());
  }
  return CategoricalSupport(lo, hi, std::max<arma::uword>(2, opt.atoms), kWhere);
}

StockMode choose_mode(const Mdp& mdp, const SolveOptions& opt) {
  const bool enumerable = mdp.has_horizon() || mdp.acyclic();
  switch (opt.stock_mode) {
    case StockMode::exact:
      require(enumerable, "stock_mode", "exact stock enumeration ({stock=exact}) needs a horizon "
              "or an acyclic MDP; give a horizon or use {stock=grid}");
      require(bool(opt.start_state), "start_state", "exact stock enumeration starts from a "
              "start state; give {start_state}, or use {stock=grid}");
      return StockMode::exact;
    case StockMode::grid: return StockMode::grid;
    case StockMode::automatic: break;
  }
  return enumerable && opt.start_state && opt.stock_grid.n_elem == 0 ? StockMode::exact
                                                                     : StockMode::grid;
}

// The grid: the user's, or uniform on [−G_max, −G_min] with the start stock inserted.
StockGrid make_grid(const detail::SolutionData& s) {
  const SolveOptions& opt = s.options;
  if (opt.stock_grid.n_elem > 0) return StockGrid(opt.stock_grid, kWhere);
  double lo = -s.bounds.max(), hi = -s.bounds.min();
  if (hi - lo <= 1e-9 * std::max(1.0, std::fabs(lo))) {
    lo -= 0.5;
    hi += 0.5;
  }
  std::optional<double> include;
  if (opt.start_state) include = opt.start_stock;
  return StockGrid::uniform(lo, hi, opt.stock_points, include, kWhere);
}

void warn_clamped(const detail::SolutionData& s, const Hooks& hooks) {
  if (s.clamped == 0) return;
  hooks.warn(rddist::detail::concat(
      s.clamped, " stock look-ups fall outside the grid [", s.grid.lo(), ", ",
      s.grid.hi(), "]; their values extend those of the two end stocks linearly (exact for "
      "the mean, approximate otherwise)",
      s.closed_form ? ""
      : s.objective.piecewise_linear()
          ? " (the closed form, which would value them exactly, was switched off)"
          : " (the utility is not piecewise linear, so no closed form applies)",
      "; widen {stock_grid} to cover the stocks that matter (stocks (c + r)/gamma leave [",
      -s.bounds.max(), ", ", -s.bounds.min(), "])"));
}

}  // namespace

Solution solve(const Mdp& mdp, const Objective& objective, const SolveOptions& opt,
               const Hooks& hooks) {
  const auto started = std::chrono::steady_clock::now();
  check_options(mdp, opt);
  auto data = std::make_shared<detail::SolutionData>(mdp, objective, opt);
  detail::SolutionData& s = *data;
  s.bounds = return_bounds(mdp, kWhere, hooks);
  s.support = make_support(s.bounds, opt);
  const double scale = 2.0 * std::max(std::fabs(s.support.lo()), std::fabs(s.support.hi())) +
                       (s.support.hi() - s.support.lo()) + std::fabs(opt.start_stock);
  const Suitability suit = require_suitable(objective, mdp.gamma(), scale, opt.force, hooks, kWhere);
  s.scalar_decisions = suit.ok && objective.expected_utility();
  s.property = suit.property;
  s.closed_form = opt.closed_form && objective.piecewise_linear();
  s.mode = choose_mode(mdp, opt);
  require(!(opt.representation == Representation::exact && s.mode == StockMode::grid),
          "representation", "the exact representation needs exact stock enumeration (a horizon "
          "or an acyclic MDP, a start state and no stock grid); instead of "
          "{representation=exact} use {representation=categorical} or {representation=quantile}");
  const bool automatic = opt.representation == Representation::automatic;
  auto resolve = [&](StockMode mode) {
    s.rep = !automatic ? opt.representation
                       : mode == StockMode::exact ? Representation::exact
                                                  : Representation::categorical;
    s.m = s.rep == Representation::exact ? 0 : opt.atoms;
    require(!(s.rep == Representation::categorical && opt.atoms < 2), "atoms",
            "the categorical representation needs at least 2 atoms (got {atoms=", opt.atoms, "})");
    require(!(s.rep == Representation::quantile && opt.atoms < 1), "atoms",
            "the quantile representation needs at least 1 atom (got {atoms=0})");
  };
  resolve(s.mode);

  // Expected-return policies (closed form; the risk-neutral comparison).
  s.rn_max = solve_mean(mdp, true, hooks);
  if (s.closed_form && (objective.slope_left() < 0.0 || objective.slope_right() < 0.0))
    s.rn_min = solve_mean(mdp, false, hooks);

  if (s.mode == StockMode::exact && !detail::solve_exact(s, hooks)) {
    if (opt.stock_mode == StockMode::exact || opt.representation == Representation::exact)
      throw data_error(rddist::detail::concat(
          "exact stock enumeration needs more than ", opt.max_nodes, " (state, time, stock) "
          "nodes; raise {max_nodes}, shorten the horizon, or use {stock=grid} with "
          "{representation=categorical} or {representation=quantile}"), kWhere);
    hooks.warn(rddist::detail::concat(
        "exact stock enumeration needs more than ", opt.max_nodes, " nodes; using a "
        "stock grid of ", opt.stock_grid.n_elem ? opt.stock_grid.n_elem : opt.stock_points,
        " points instead, whose values are those of rounded stocks (raise {max_nodes} for "
        "exact values)"));
    s.mode = StockMode::grid;
    resolve(s.mode);
  }
  if (s.mode == StockMode::grid) {
    s.grid = make_grid(s);
    if (s.scalar_decisions) detail::solve_grid(s, hooks);
    else detail::solve_grid_laws(s, hooks);
    warn_clamped(s, hooks);
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Solution(std::move(data));
}

}  // namespace ddp
}  // namespace rddist
