// ddp_solver.cpp — the solve() entry point, risk-neutral dynamic programming and the
// queries of a Solution (doc/ddp.md §2, §4, §6).
//
// solve() checks the options and the objective, computes the exact return bounds (for the
// categorical support and the closed-form stock region), the expected-return policies
// used in the closed form, then hands over to exact stock enumeration (ddp_solver_exact.cpp)
// or to the grid solver (ddp_solver_grid.cpp). Automatic mode prefers exact enumeration
// when the MDP has a horizon or is acyclic and a start state is known, and falls back to a
// grid, with a warning, when the reachable stocks exceed max_nodes.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "internal.h"
#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace {

// Up to this many states linear systems are solved densely (exactly, O(S^2) memory);
// larger MDPs iterate instead, so that memory stays linear in S.
constexpr arma::uword kDenseStates = 200;

}  // namespace

Algorithm parse_algorithm(const std::string& name) {
  if (name == "value_iteration" || name == "vi") return Algorithm::value_iteration;
  if (name == "policy_iteration" || name == "pi") return Algorithm::policy_iteration;
  throw invalid_argument("parse_algorithm: unknown method '" + name +
                         "'; use \"value_iteration\" or \"policy_iteration\"");
}

std::string to_string(Algorithm a) {
  return a == Algorithm::value_iteration ? "value_iteration" : "policy_iteration";
}

MeanPolicy solve_mean(const Mdp& mdp, bool maximise) {
  const arma::uword n = mdp.n_states();
  const double g = mdp.gamma(), sign = maximise ? 1.0 : -1.0;
  MeanPolicy mp;
  // Q-value of (x, a) against the values v of the next step (a column).
  auto q_value = [&](arma::uword x, arma::uword a, const double* v) {
    double q = 0.0;
    for (const Outcome& o : mdp.outcomes(x, a))
      q += o.prob * (o.reward + (o.next == kTerminal ? 0.0 : g * v[o.next]));
    return q;
  };
  // Greedy action; a challenger must beat the incumbent by a relative 1e-12, so ties keep
  // the incumbent (action 0 first, hence the lower index) and rounding cannot make policy
  // iteration cycle.
  auto greedy = [&](arma::uword x, const double* v, arma::uword incumbent) {
    arma::uword best_a = incumbent;
    double best = sign * q_value(x, incumbent, v);
    for (arma::uword a = 0; a < mdp.n_actions(x); ++a) {
      if (a == incumbent) continue;
      const double q = sign * q_value(x, a, v);
      if (q > best + 1e-12 * (1.0 + std::fabs(best))) {
        best = q;
        best_a = a;
      }
    }
    return best_a;
  };
  if (mdp.has_horizon()) {
    const arma::uword h = mdp.horizon();
    mp.value.zeros(n, h + 1);
    mp.action.zeros(n, h);
    for (arma::uword t = h; t-- > 0;) {
      const double* next = mp.value.colptr(t + 1);
      for (arma::uword x = 0; x < n; ++x) {
        const arma::uword a = greedy(x, next, 0);
        mp.action(x, t) = a;
        mp.value(x, t) = q_value(x, a, next);
      }
    }
    return mp;
  }
  mp.value.zeros(n, 1);
  mp.action.zeros(n, 1);
  arma::vec v(n, arma::fill::zeros);
  const bool dense = n <= kDenseStates;
  for (int round = 0; round < 100000; ++round) {
    if (dense) {
      arma::mat A(n, n, arma::fill::eye);
      arma::vec r(n, arma::fill::zeros);
      for (arma::uword x = 0; x < n; ++x)
        for (const Outcome& o : mdp.outcomes(x, mp.action(x, 0))) {
          r[x] += o.prob * o.reward;
          if (o.next != kTerminal) A(x, o.next) -= g * o.prob;
        }
      fail_if<numerical_error>(!arma::solve(v, A, r), "solve_mean",
                               "the policy-evaluation system is singular");
    } else {
      for (int k = 0; k < 1000000; ++k) {
        double change = 0.0;
        for (arma::uword x = 0; x < n; ++x) {
          const double nv = q_value(x, mp.action(x, 0), v.memptr());
          change = std::max(change, std::fabs(nv - v[x]));
          v[x] = nv;
        }
        if (change <= 1e-14 * (1.0 + arma::abs(v).max())) break;
      }
    }
    bool changed = false;
    for (arma::uword x = 0; x < n; ++x) {
      const arma::uword a = greedy(x, v.memptr(), mp.action(x, 0));
      if (a != mp.action(x, 0)) {
        mp.action(x, 0) = a;
        changed = true;
      }
    }
    if (!changed) {
      mp.value.col(0) = v;
      return mp;
    }
  }
  throw numerical_error("solve_mean: policy iteration did not settle");
}

namespace detail {

double SolutionData::stock_tolerance(double c) const {
  return options.merge_tolerance * std::max(1.0, std::fabs(c));
}

arma::uword SolutionData::find_node(arma::uword x, arma::uword t, double c) const {
  const auto& map = index.at(x + n_states() * time_key(t));
  const double tol = stock_tolerance(c);
  auto it = map.lower_bound(c - tol);
  if (it != map.end() && it->first <= c + tol) return it->second;
  return nodes.size();
}

Distribution SolutionData::column_law(arma::uword col) const {
  const double* p = columns.colptr(col);
  if (rep == Representation::categorical)
    return Distribution(support.atoms(), arma::vec(p, m), "Solution::return_distribution");
  return Distribution(arma::vec(p, m), arma::vec(m, arma::fill::value(1.0 / m)),
                      "Solution::return_distribution");
}

void law_to_column(const Distribution& d, Representation rep, const CategoricalSupport& s,
                   arma::uword m, double* out) {
  if (rep == Representation::categorical) {
    std::fill(out, out + m, 0.0);
    add_categorical_projection(d.atoms().memptr(), d.probs().memptr(), d.size(), 1.0, 0.0, 1.0, s,
                               out);
  } else {
    quantile_locations(d.atoms().memptr(), d.probs().memptr(), d.size(), m, out);
  }
}

}  // namespace detail

// ---- Solution ---------------------------------------------------------------------------

const detail::SolutionData& Solution::d() const {
  fail_if(!data_, "Solution", "this solution is empty; obtain one from ddp::solve");
  return *data_;
}

const Mdp& Solution::mdp() const { return d().mdp; }
const Objective& Solution::objective() const { return d().objective; }
const SolveOptions& Solution::options() const { return d().options; }
StockMode Solution::stock_mode() const { return d().mode; }
Representation Solution::representation() const { return d().rep; }
const CategoricalSupport& Solution::support() const { return d().support; }
const ReturnBounds& Solution::bounds() const { return d().bounds; }
const arma::vec& Solution::stock_grid() const {
  static const arma::vec none;
  return d().mode == StockMode::grid ? d().grid.points() : none;
}
arma::uword Solution::n_nodes() const { return d().nodes.size(); }
arma::uword Solution::iterations() const { return d().iterations; }
arma::uword Solution::sweeps() const { return d().sweeps; }
bool Solution::converged() const { return d().converged; }
double Solution::residual() const { return d().residual; }
arma::uword Solution::clamped() const { return d().clamped; }
double Solution::seconds() const { return d().seconds; }
const MeanPolicy& Solution::risk_neutral() const { return d().rn_max; }

Distribution Solution::risk_neutral_distribution(arma::uword state, arma::uword time) const {
  const auto& s = d();
  fail_if(state >= s.n_states(), "Solution::risk_neutral_distribution", "state ", state,
          " is out of range");
  fail_if(s.mdp.has_horizon() && time > s.mdp.horizon(), "Solution::risk_neutral_distribution",
          "time ", time, " is beyond the horizon");
  return s.law_max.at(state, s.time_key(time));
}

namespace {

void check_query(const detail::SolutionData& s, arma::uword x, double c, arma::uword t,
                 const char* where) {
  fail_if(x >= s.n_states(), where, "state index ", x, " is out of range (", s.n_states(),
          " states)");
  fail_if(!std::isfinite(c), where, "the stock must be finite");
  fail_if(s.mdp.has_horizon() && t >= s.mdp.horizon(), where, "time ", t,
          " is not before the horizon ", s.mdp.horizon());
}

}  // namespace

arma::uword Solution::action(arma::uword x, double c, arma::uword t) const {
  const auto& s = d();
  check_query(s, x, c, t, "Solution::action");
  const StockRegion r = s.region(x, t, c);
  if (r != StockRegion::inside) return s.closed_action(x, t, r);
  if (s.mode == StockMode::grid) {
    const arma::uword layer = s.mdp.has_horizon() ? t : 0;
    return s.policy[(layer * s.n_states() + x) * s.grid.size() + s.grid.nearest(c)];
  }
  const arma::uword k = s.find_node(x, t, c);
  fail_if(k == s.nodes.size(), "Solution::action", "state '", s.mdp.state_label(x), "' with stock ",
          c, " at time ", t, " is not reached from the start state with start stock ",
          s.options.start_stock, "; exact stock enumeration only solves reachable stocks "
          "(use a stock grid for a policy over all stocks)");
  return s.nodes[k].action;
}

Distribution Solution::return_distribution(arma::uword x, double c, arma::uword t) const {
  const auto& s = d();
  check_query(s, x, c, t, "Solution::return_distribution");
  const StockRegion r = s.region(x, t, c);
  if (r != StockRegion::inside) return s.closed_law(x, t, r);
  if (s.mode == StockMode::grid) {
    fail_if(t != 0, "Solution::return_distribution",
            "a grid solution keeps the return distributions of time 0 only");
    const arma::uword K = s.grid.size(), base = x * K;
    if (s.options.rounding == Rounding::nearest) return s.column_law(base + s.grid.nearest(c));
    const StockGrid::Position p = s.grid.locate(c);
    if (p.upper_weight == 0.0) return s.column_law(base + p.lower);
    if (p.upper_weight == 1.0) return s.column_law(base + p.lower + 1);
    return mixture({1.0 - p.upper_weight, p.upper_weight},
                   {s.column_law(base + p.lower), s.column_law(base + p.lower + 1)});
  }
  const arma::uword k = s.find_node(x, t, c);
  fail_if(k == s.nodes.size(), "Solution::return_distribution", "state '", s.mdp.state_label(x),
          "' with stock ", c, " at time ", t, " is not reached from the start");
  return s.nodes[k].law;
}

double Solution::value(arma::uword x, double c, arma::uword t) const {
  const auto& s = d();
  if (s.mode == StockMode::grid) {
    check_query(s, x, c, t, "Solution::value");
    fail_if(t != 0, "Solution::value", "a grid solution keeps the values of time 0 only");
    const StockGrid::Position p = s.grid.locate(c);
    if (s.region(x, t, c) == StockRegion::inside && !p.outside) {
      // The decisions' own values, interpolated as the rounding does.
      const arma::uword base = x * s.grid.size();
      if (s.options.rounding == Rounding::nearest) return s.values[base + s.grid.nearest(c)];
      if (p.upper_weight == 0.0) return s.values[base + p.lower];
      return (1.0 - p.upper_weight) * s.values[base + p.lower] +
             p.upper_weight * s.values[base + p.lower + 1];
    }
  }
  return s.objective.evaluate(return_distribution(x, c, t), c);
}

std::vector<PolicyRow> Solution::policy_table() const {
  const auto& s = d();
  std::vector<PolicyRow> rows;
  if (s.mode == StockMode::grid) {
    const arma::uword K = s.grid.size(), S = s.n_states();
    rows.reserve(s.layers * S * K);
    for (arma::uword t = 0; t < s.layers; ++t)
      for (arma::uword x = 0; x < S; ++x)
        for (arma::uword i = 0; i < K; ++i)
          rows.push_back({x, t, s.grid.points()[i], s.policy[(t * S + x) * K + i]});
    return rows;
  }
  for (const detail::Node& n : s.nodes) rows.push_back({n.state, n.time, n.stock, n.action});
  std::sort(rows.begin(), rows.end(), [](const PolicyRow& a, const PolicyRow& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.state != b.state) return a.state < b.state;
    return a.stock < b.stock;
  });
  return rows;
}

std::function<arma::uword(arma::uword, double, arma::uword)> Solution::policy() const {
  d();
  const Solution self = *this;
  return [self](arma::uword x, double c, arma::uword t) { return self.action(x, c, t); };
}

// ---- solve --------------------------------------------------------------------------------

Solution solve(const Mdp& mdp, const Objective& objective, const SolveOptions& opt,
               const Hooks& hooks) {
  const char* where = "ddp::solve";
  const auto started = std::chrono::steady_clock::now();
  const bool quantile_or_cat = opt.representation != Representation::exact;
  fail_if(opt.representation == Representation::categorical && opt.atoms < 2, where,
          "the categorical representation needs at least 2 atoms (got ", opt.atoms, ")");
  fail_if(opt.representation == Representation::quantile && opt.atoms < 1, where,
          "the quantile representation needs at least 1 atom");
  fail_if(!(opt.tolerance > 0.0) || !std::isfinite(opt.tolerance), where,
          "the tolerance must be a positive number");
  fail_if(opt.max_iterations < 1, where, "max_iterations must be at least 1");
  fail_if(!(opt.merge_tolerance >= 0.0) || !(opt.tie_tolerance >= 0.0), where,
          "merge and tie tolerances must be non-negative");
  fail_if(!std::isfinite(opt.start_stock), where, "the start stock must be finite");
  fail_if(opt.start_state && *opt.start_state >= mdp.n_states(), where, "start state index ",
          opt.start_state ? *opt.start_state : 0, " is out of range (", mdp.n_states(), " states)");
  fail_if(opt.stock_grid.n_elem == 0 && opt.stock_points < 2, where,
          "stock_points must be at least 2");

  auto data = std::make_shared<detail::SolutionData>(mdp, objective, opt);
  detail::SolutionData& s = *data;
  s.rep = opt.representation;
  s.m = quantile_or_cat ? opt.atoms : 0;
  s.bounds = return_bounds(mdp, where);
  double lo = s.bounds.min(), hi = s.bounds.max();
  if (hi - lo <= 1e-9 * std::max(1.0, std::fabs(lo))) {  // one possible return: any support works
    lo -= 0.5;
    hi += 0.5;
  }
  if (opt.support) {
    const double slack = 1e-9 * (1.0 + hi - lo);
    fail_if(!(opt.support->first <= s.bounds.min() + slack &&
              opt.support->second >= s.bounds.max() - slack),
            where, "the categorical support [", opt.support->first, ", ", opt.support->second,
            "] must contain the range of the return [", s.bounds.min(), ", ", s.bounds.max(), "]");
    lo = std::min(opt.support->first, s.bounds.min());
    hi = std::max(opt.support->second, s.bounds.max());
  }
  s.support = CategoricalSupport(lo, hi, std::max<arma::uword>(2, opt.atoms), where);
  const double scale = 2.0 * std::max(std::fabs(lo), std::fabs(hi)) + (hi - lo) +
                       std::fabs(opt.start_stock);
  const Suitability suit = require_suitable(objective, mdp.gamma(), scale, opt.force, hooks, where);
  s.scalar_decisions = suit.ok && objective.expected_utility();
  s.property = suit.property;
  s.closed_form = opt.closed_form && objective.piecewise_linear();

  // Stock handling.
  const bool enumerable = mdp.has_horizon() || mdp.acyclic();
  switch (opt.stock_mode) {
    case StockMode::exact:
      fail_if(!enumerable, where, "exact stock enumeration needs a horizon or an acyclic MDP; "
              "give a horizon or use a stock grid");
      fail_if(!opt.start_state, where, "exact stock enumeration starts from a start state; give "
              "one, or use a stock grid");
      s.mode = StockMode::exact;
      break;
    case StockMode::grid: s.mode = StockMode::grid; break;
    case StockMode::automatic:
      s.mode = enumerable && opt.start_state && opt.stock_grid.n_elem == 0 ? StockMode::exact
                                                                            : StockMode::grid;
      break;
  }
  fail_if(s.rep == Representation::exact && s.mode == StockMode::grid, where,
          "the exact representation needs exact stock enumeration (a horizon or an acyclic MDP, "
          "a start state and no stock grid); use the categorical or quantile representation");

  // Expected-return policies and their laws (closed form; the risk-neutral comparison).
  const double law_tol = std::min(1e-10, opt.tolerance);
  s.rn_max = solve_mean(mdp, true);
  s.law_max = evaluate_stock_blind(mdp, s.rn_max.action, s.rep, s.support, s.m, law_tol,
                                   1000000, opt.merge_tolerance, hooks);
  if (s.closed_form && (objective.slope_left() < 0.0 || objective.slope_right() < 0.0)) {
    s.rn_min = solve_mean(mdp, false);
    s.law_min = evaluate_stock_blind(mdp, s.rn_min.action, s.rep, s.support, s.m, law_tol,
                                     1000000, opt.merge_tolerance, hooks);
  }

  if (s.mode == StockMode::exact && !detail::solve_exact(s, hooks)) {
    if (opt.stock_mode == StockMode::exact || s.rep == Representation::exact)
      throw data_error(rddist::detail::concat(
          where, ": exact stock enumeration needs more than max_nodes = ", opt.max_nodes,
          " (state, time, stock) nodes; raise max_nodes, shorten the horizon, or use a stock "
          "grid with the categorical or quantile representation"));
    hooks.warn(rddist::detail::concat(where, ": exact stock enumeration needs more than ", opt.max_nodes,
                              " nodes; using a stock grid of ",
                              opt.stock_grid.n_elem ? opt.stock_grid.n_elem : opt.stock_points,
                              " points instead"));
    s.mode = StockMode::grid;
  }
  if (s.mode == StockMode::grid) detail::solve_grid(s, hooks);
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Solution(std::move(data));
}

}  // namespace ddp
}  // namespace rddist
