// applications.cpp — goals solved end to end: expected return, success probability,
// CVaR and mean–CVaR with a global search over the initial stock, homeostatic regulation,
// quantile maximisation, custom utilities; re-evaluation with the true stock
// (doc/ddp.md §4, §5).
//
// Searches: with a stock grid one solve covers every start stock, so the search reads the
// grid values; with exact stock enumeration each candidate start stock is its own solve.
// Candidates for CVaR are c = −g over the achievable returns g (see applications.h); for
// the quantile, b = g, probed by bisection since max P(G >= b) decreases in b. Values and
// expected returns come from the solution's recursion; laws only when asked for.
#include "rddist/ddp/applications.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace {

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

bool enumerable_mode(const Mdp& mdp, const SolveOptions& opt) {
  const bool enumerable = mdp.has_horizon() || mdp.acyclic();
  if (opt.stock_mode == StockMode::exact) return true;
  if (opt.stock_mode == StockMode::grid) return false;
  return enumerable && opt.stock_grid.n_elem == 0;
}

}  // namespace

std::string to_string(GoalKind kind) {
  switch (kind) {
    case GoalKind::mean: return "mean";
    case GoalKind::success: return "success";
    case GoalKind::cvar: return "cvar";
    case GoalKind::mean_cvar: return "mean_cvar";
    case GoalKind::homeostatic: return "homeostatic";
    case GoalKind::quantile: return "quantile";
    case GoalKind::utility: return "utility";
  }
  return "?";
}

Goal Goal::mean() { return Goal{}; }

Goal Goal::success(double b) {
  fail_if(!std::isfinite(b), "Goal::success", "the level b must be a finite number");
  Goal g;
  g.kind = GoalKind::success;
  g.level = b;
  return g;
}

Goal Goal::cvar(double tau) {
  fail_if(!(tau > 0.0 && tau <= 1.0), "Goal::cvar", "tau = ", tau, " must lie in (0, 1]");
  Goal g;
  g.kind = GoalKind::cvar;
  g.tau = tau;
  return g;
}

Goal Goal::mean_cvar(double lambda, double tau) {
  fail_if(!(tau > 0.0 && tau <= 1.0), "Goal::mean_cvar", "tau = ", tau, " must lie in (0, 1]");
  fail_if(!(lambda >= 0.0 && lambda <= 1.0), "Goal::mean_cvar", "lambda = ", lambda,
          " must lie in [0, 1]");
  Goal g;
  g.kind = GoalKind::mean_cvar;
  g.tau = tau;
  g.lambda = lambda;
  return g;
}

Goal Goal::homeostatic(double target, double p) {
  fail_if(!std::isfinite(target), "Goal::homeostatic", "the target must be a finite number");
  fail_if(!std::isfinite(p) || p <= 0.0, "Goal::homeostatic", "the power p = ", p,
          " must be a positive number");
  Goal g;
  g.kind = GoalKind::homeostatic;
  g.level = target;
  g.power = p;
  return g;
}

Goal Goal::quantile(double tau) {
  fail_if(!(tau > 0.0 && tau < 1.0), "Goal::quantile", "tau = ", tau,
          " must lie strictly between 0 and 1");
  Goal g;
  g.kind = GoalKind::quantile;
  g.tau = tau;
  return g;
}

Goal Goal::custom(Objective f, double start_stock) {
  fail_if(!std::isfinite(start_stock), "Goal::custom", "the start stock must be finite");
  Goal g;
  g.kind = GoalKind::utility;
  g.utility = std::move(f);
  g.start_stock = start_stock;
  return g;
}

Objective Goal::objective() const {
  switch (kind) {
    case GoalKind::mean: return Objective::mean();
    case GoalKind::success:
    case GoalKind::quantile: return Objective::threshold();
    case GoalKind::cvar: return Objective::hinge(1.0, 0.0);
    case GoalKind::mean_cvar: return Objective::hinge(lambda + (1.0 - lambda) / tau, lambda);
    case GoalKind::homeostatic: return Objective::homeostatic(power);
    case GoalKind::utility: return utility;
  }
  return utility;
}

std::string Goal::name() const {
  switch (kind) {
    case GoalKind::mean: return "mean";
    case GoalKind::success: return "success(b = " + fmt(level) + ")";
    case GoalKind::cvar: return "cvar(tau = " + fmt(tau) + ")";
    case GoalKind::mean_cvar: return "mean_cvar(lambda = " + fmt(lambda) + ", tau = " + fmt(tau) + ")";
    case GoalKind::homeostatic:
      return "homeostatic(target = " + fmt(level) + ", p = " + fmt(power) + ")";
    case GoalKind::quantile: return "quantile(tau = " + fmt(tau) + ")";
    case GoalKind::utility: return "utility(" + utility.name() + ")";
  }
  return "?";
}

double Goal::value_of(const Distribution& g) const {
  switch (kind) {
    case GoalKind::mean: return g.mean();
    case GoalKind::success: return Objective::threshold().evaluate(g, -level);
    case GoalKind::cvar: return g.cvar(tau);
    case GoalKind::mean_cvar: return lambda * g.mean() + (1.0 - lambda) * g.cvar(tau);
    case GoalKind::homeostatic: return Objective::homeostatic(power).evaluate(g, -level);
    case GoalKind::quantile: return g.quantile(tau);
    case GoalKind::utility: return utility.evaluate(g, start_stock);
  }
  return 0.0;
}

Goal parse_goal(const std::string& spec) {
  const char* where = "parse_goal";
  const auto colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  std::vector<double> args;
  if (colon != std::string::npos) {
    std::size_t start = colon + 1;
    while (true) {
      const std::size_t comma = spec.find(',', start);
      const std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos
                                                                             : comma - start);
      std::size_t used = 0;
      double v = 0.0;
      try {
        v = std::stod(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      fail_if(used == 0 || used != item.size(), where, "'", item, "' in goal '", spec,
              "' is not a number");
      args.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  auto need = [&](std::size_t lo, std::size_t hi, const char* form) {
    fail_if(args.size() < lo || args.size() > hi, where, "goal '", spec, "' should read '", form,
            "'");
  };
  if (kind == "mean") {
    need(0, 0, "mean");
    return Goal::mean();
  }
  if (kind == "success" || kind == "threshold") {
    need(1, 1, "success:B");
    return Goal::success(args[0]);
  }
  if (kind == "cvar") {
    need(1, 1, "cvar:TAU");
    return Goal::cvar(args[0]);
  }
  if (kind == "mean_cvar") {
    need(2, 2, "mean_cvar:LAMBDA,TAU");
    return Goal::mean_cvar(args[0], args[1]);
  }
  if (kind == "homeostatic") {
    need(1, 2, "homeostatic:TARGET[,P]");
    return Goal::homeostatic(args[0], args.size() > 1 ? args[1] : 1.0);
  }
  if (kind == "quantile") {
    need(1, 1, "quantile:TAU");
    return Goal::quantile(args[0]);
  }
  if (kind == "hinge") {
    need(2, 3, "hinge:W_LEFT,W_RIGHT[,C0]");
    return Goal::custom(Objective::hinge(args[0], args[1]), args.size() > 2 ? args[2] : 0.0);
  }
  if (kind == "exponential") {
    need(1, 2, "exponential:BETA[,C0]");
    return Goal::custom(Objective::exponential(args[0]), args.size() > 1 ? args[1] : 0.0);
  }
  throw invalid_argument(rddist::detail::concat(
                             "unknown goal '", kind, "'; use mean, success, cvar, mean_cvar, "
                             "homeostatic, quantile, hinge or exponential"),
                         where);
}

TrueStockMethod parse_true_stock_method(const std::string& name) {
  if (name == "auto" || name == "automatic") return TrueStockMethod::automatic;
  if (name == "exact") return TrueStockMethod::exact;
  if (name == "monte_carlo" || name == "mc") return TrueStockMethod::monte_carlo;
  if (name == "none") return TrueStockMethod::none;
  throw invalid_argument("unknown evaluation '" + name +
                             "'; use \"auto\", \"exact\", \"monte_carlo\" or \"none\"",
                         "parse_true_stock_method");
}

std::string to_string(TrueStockMethod m) {
  switch (m) {
    case TrueStockMethod::automatic: return "auto";
    case TrueStockMethod::exact: return "exact";
    case TrueStockMethod::monte_carlo: return "monte_carlo";
    case TrueStockMethod::none: return "none";
  }
  return "?";
}

namespace {

// The reported law in an approximate representation may not resolve a threshold or
// quantile goal (a level between its atoms): say so when the goal read from it differs from
// the value. (For goals continuous in W1 the difference is bounded by law_error_bound.)
void warn_law(const GoalResult& r, const Hooks& hooks) {
  const Solution& s = r.solution;
  if (s.representation() == Representation::exact) return;
  if (r.goal.kind != GoalKind::success && r.goal.kind != GoalKind::quantile) return;
  const double from_law = r.goal.value_of(r.returns);
  if (!(std::fabs(from_law - r.value) > 1e-9 * (1.0 + std::fabs(r.value)))) return;
  std::string where_b;
  if (s.representation() == Representation::categorical) {
    const CategoricalSupport& sup = s.support();
    const double b = r.goal.kind == GoalKind::success ? r.goal.level : r.value;
    const double pos = (b - sup.lo()) / sup.spacing();
    const arma::uword j = static_cast<arma::uword>(std::max(0.0, std::floor(pos)));
    if (pos > 0.0 && j + 1 < sup.size() && pos != std::floor(pos))
      where_b = rddist::detail::concat(" (b = ", fmt(b), " lies between the atoms ",
                                       fmt(sup.atom(j)), " and ", fmt(sup.atom(j + 1)), ")");
  }
  const std::string rep =
      s.representation() == Representation::categorical
          ? rddist::detail::concat("categorical, ", s.support().size(), " atoms on [",
                                   fmt(s.support().lo()), ", ", fmt(s.support().hi()),
                                   "], spacing ", fmt(s.support().spacing()))
          : rddist::detail::concat("quantile, ", s.options().atoms, " atoms");
  hooks.warn(rddist::detail::concat(
      "the reported return distribution (", rep, ") gives ", r.goal.name(), " = ",
      fmt(from_law), where_b, ", while the dynamic program gives ", fmt(r.value),
      s.stock_mode() == StockMode::exact ? " (exact, from the stock)" : " (on the stock grid)",
      "; the distribution is within W1 distance ", fmt(r.law_error_bound), " of the policy's "
      "law and cannot resolve the goal: use {representation=exact}",
      s.stock_mode() == StockMode::exact ? "" : " (needs exact stock enumeration)",
      " or more atoms for a law that does"));
}

// Every number reported must be finite: rewards near the largest double overflow sums.
void check_finite(const GoalResult& r) {
  const TrueStockResult& ts = r.true_stock;
  const std::pair<const char*, double> numbers[] = {
      {"value", r.value}, {"start stock", r.start_stock}, {"expected return", r.mean},
      {"risk-neutral expected return", r.risk_neutral_mean}, {"true-stock value", ts.value},
      {"true-stock standard error", ts.std_error}, {"true-stock mean", ts.mean}};
  for (const auto& [what, v] : numbers)
    fail_if<numerical_error>(!std::isfinite(v), "solve_goal", "the ", what, " is not finite (",
                             v, "); the rewards are too large for double precision: rescale them");
}

// On a stock grid, threshold and quantile goals see stocks rounded between grid points:
// the step of 1{c + G >= 0} is smoothed and the quantile's level searched over grid stocks.
void warn_grid(const GoalResult& r, const Hooks& hooks) {
  const Solution& s = r.solution;
  if (s.stock_mode() != StockMode::grid) return;
  if (r.goal.kind != GoalKind::success && r.goal.kind != GoalKind::quantile) return;
  if (s.rounded() == 0 && r.goal.kind == GoalKind::success) return;
  const arma::vec& g = s.stock_grid();
  const double h = (g.back() - g.front()) / static_cast<double>(g.n_elem - 1);
  std::string checked;
  if (r.true_stock.method != TrueStockMethod::none)
    checked = rddist::detail::concat("; run with the true stock the policy gives ",
                                     fmt(r.true_stock.value),
                                     r.true_stock.method == TrueStockMethod::exact
                                         ? std::string(" (exact)")
                                         : rddist::detail::concat(" (Monte Carlo, s.e. ",
                                                                  fmt(r.true_stock.std_error), ")"));
  hooks.warn(rddist::detail::concat(
      "on a stock grid of ", g.n_elem, " points (spacing about ", fmt(h), ") ",
      r.goal.kind == GoalKind::success
          ? rddist::detail::concat(s.rounded(), " stock look-ups fall between grid points and are "
                                   "rounded, which smooths the threshold: ", r.goal.name(),
                                   " = ", fmt(r.value), " is that of the rounded model")
          : rddist::detail::concat("the level b of ", r.goal.name(), " is searched over the grid "
                                   "stocks, so ", fmt(r.value), " is resolved to the spacing"),
      checked, "; for exact values give a horizon (or an acyclic model) for exact stock "
      "enumeration, or raise {stock_points}"));
}

}  // namespace

GoalResult solve_goal(const Mdp& mdp, const Goal& goal, const GoalOptions& options,
                      const Hooks& hooks) {
  const char* where = "solve_goal";
  SolveOptions opt = options.solve;
  if (!opt.start_state) opt.start_state = 0;
  require(*opt.start_state < mdp.n_states(), "start_state", "{start_state} = ", *opt.start_state,
          " is out of range (", mdp.n_states(), " states)");
  require(options.max_candidates >= 2, "max_candidates", "{max_candidates} must be at least 2");
  const arma::uword x0 = *opt.start_state;
  const Objective f = goal.objective();
  GoalResult res;
  res.goal = goal;
  res.start_state = x0;

  auto solve_at = [&](double c0) {
    SolveOptions o = opt;
    o.start_stock = c0;
    return solve(mdp, f, o, hooks);
  };
  const bool exact_mode = enumerable_mode(mdp, opt);
  const bool searching = goal.kind == GoalKind::cvar || goal.kind == GoalKind::mean_cvar ||
                         goal.kind == GoalKind::quantile;
  std::vector<double> achievable;
  double lo0 = 0.0, hi0 = 0.0;
  if (searching) {
    const ReturnBounds b = return_bounds(mdp, where, hooks);
    lo0 = b.lo_at(x0, 0);
    hi0 = b.hi_at(x0, 0);
    if (exact_mode) {
      achievable = achievable_returns(mdp, x0, options.max_candidates, opt.merge_tolerance, hooks);
      if (achievable.empty()) {
        hooks.warn(rddist::detail::concat(
            "more than ", options.max_candidates, " returns are achievable, more than ",
            "{max_candidates} allows; the start stock is searched over ", options.max_candidates,
            " evenly spaced candidates instead (approximate)"));
        if (hi0 > lo0) {
          const arma::vec v = arma::linspace(lo0, hi0, options.max_candidates);
          achievable.assign(v.begin(), v.end());
        } else {
          achievable = {lo0};
        }
      }
    }
  }

  switch (goal.kind) {
    case GoalKind::mean:
    case GoalKind::success:
    case GoalKind::homeostatic:
    case GoalKind::utility: {
      const double c0 = goal.kind == GoalKind::mean      ? 0.0
                        : goal.kind == GoalKind::utility ? goal.start_stock
                                                         : -goal.level;
      res.solution = solve_at(c0);
      res.start_stock = c0;
      res.value = res.solution.value(x0, c0);
      break;
    }
    case GoalKind::cvar:
    case GoalKind::mean_cvar: {
      const double k = goal.kind == GoalKind::cvar ? 1.0 / goal.tau : 1.0;
      // −c + k·V(x0, c), ties to the higher mean, then the lower stock.
      double best = 0.0, best_mean = 0.0, best_c = 0.0;
      auto consider = [&](double c, double v, double mean, const Solution* sol) {
        const double h = -c + k * v;
        res.search.push_back({c, h});
        const double tol = 1e-10 * (1.0 + std::fabs(best));
        if (res.search.size() == 1 || h > best + tol ||
            (std::fabs(h - best) <= tol && mean > best_mean + tol)) {
          best = h;
          best_mean = mean;
          best_c = c;
          if (sol) res.solution = *sol;
        }
      };
      if (exact_mode) {
        // Candidates −g in increasing order of c.
        for (auto it = achievable.rbegin(); it != achievable.rend(); ++it) {
          const double c = -*it;
          const Solution sol = solve_at(c);
          consider(c, sol.value(x0, c), sol.expected_return(x0, c), &sol);
        }
      } else {
        res.solution = solve_at(0.0);
        std::vector<double> cs;
        for (double c : res.solution.stock_grid())
          if (c >= -hi0 && c <= -lo0) cs.push_back(c);
        cs.push_back(-hi0);
        cs.push_back(-lo0);
        std::sort(cs.begin(), cs.end());
        cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
        const Solution sol = res.solution;
        for (double c : cs) consider(c, sol.value(x0, c), sol.expected_return(x0, c), nullptr);
      }
      res.start_stock = best_c;
      res.value = best;
      break;
    }
    case GoalKind::quantile: {
      const double need = 1.0 - goal.tau + 1e-9;  // P(G >= b) must exceed 1 − τ
      if (exact_mode) {
        std::map<arma::uword, Solution> solved;
        auto probe = [&](arma::uword i) {
          const double c = -achievable[i];
          Solution sol = solve_at(c);
          const double p = sol.value(x0, c);
          res.search.push_back({c, p});
          solved.emplace(i, std::move(sol));
          return p > need;
        };
        // The smallest achievable return always qualifies (P = 1); find the last that does.
        arma::uword good = 0, bad = achievable.size();
        probe(0);
        while (bad - good > 1) {
          const arma::uword mid = good + (bad - good) / 2;
          if (probe(mid)) good = mid;
          else bad = mid;
        }
        res.solution = solved.at(good);
        res.start_stock = -achievable[good];
        res.value = achievable[good];
        std::sort(res.search.begin(), res.search.end(),
                  [](const SearchPoint& a, const SearchPoint& b) { return a.start_stock < b.start_stock; });
      } else {
        res.solution = solve_at(0.0);
        double best_b = lo0;
        std::vector<double> cs;
        for (double c : res.solution.stock_grid())
          if (c >= -hi0 && c <= -lo0) cs.push_back(c);
        cs.push_back(-lo0);
        std::sort(cs.begin(), cs.end());
        cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
        for (double c : cs) {
          const double p = res.solution.value(x0, c);
          res.search.push_back({c, p});
          if (p > need) best_b = std::max(best_b, -c);
        }
        res.start_stock = -best_b;
        res.value = best_b;
      }
      break;
    }
  }

  const Solution& sol = res.solution;
  res.mean = sol.expected_return(x0, res.start_stock);
  res.risk_neutral_mean = sol.risk_neutral().value(x0, 0);
  res.law_error_bound = sol.law_error_bound();
  if (options.laws) {
    res.returns = sol.return_distribution(x0, res.start_stock, 0, hooks);
    res.risk_neutral = sol.risk_neutral_distribution(x0, 0, hooks);
    res.has_laws = true;
    warn_law(res, hooks);
  }

  // Re-evaluation with the true stock.
  TrueStockMethod method = options.evaluation;
  if (method == TrueStockMethod::automatic)
    method = mdp.has_horizon() || mdp.acyclic() ? TrueStockMethod::exact
                                                : TrueStockMethod::monte_carlo;
  TrueStockResult& ts = res.true_stock;
  if (method == TrueStockMethod::exact) {
    try {
      const ExactEvaluation ev = evaluate_exact(mdp, sol.policy(), f, x0, res.start_stock,
                                                opt.max_nodes, opt.merge_tolerance, hooks);
      ts.method = TrueStockMethod::exact;
      ts.returns = ev.returns;
    } catch (const data_error& e) {
      if (options.evaluation == TrueStockMethod::exact) throw;
      hooks.warn(e.text() + "; evaluating by Monte Carlo instead");
      method = TrueStockMethod::monte_carlo;
    }
  }
  if (method == TrueStockMethod::monte_carlo) {
    const MonteCarloEvaluation mc = evaluate_monte_carlo(mdp, sol.policy(), f, x0, res.start_stock,
                                                         options.monte_carlo, hooks);
    const arma::uword n = mc.returns.n_elem;
    ts.method = TrueStockMethod::monte_carlo;
    ts.returns = Distribution(mc.returns, arma::vec(n, arma::fill::value(1.0 / n)), where);
    ts.episodes = n;
    ts.truncated = mc.truncated;
    ts.seed = mc.seed;
    const bool per_episode = goal.kind == GoalKind::mean || goal.kind == GoalKind::success ||
                             goal.kind == GoalKind::homeostatic ||
                             (goal.kind == GoalKind::utility && f.expected_utility());
    if (per_episode) {
      arma::vec v(n);
      for (arma::uword e = 0; e < n; ++e)
        v[e] = goal.value_of(Distribution::dirac(mc.returns[e]));
      ts.std_error = scaled_stddev(v) / std::sqrt(static_cast<double>(n));
    } else {
      const arma::uword B = 20;
      arma::vec vb(B);
      for (arma::uword b = 0; b < B; ++b) {
        const arma::uword a = b * n / B, e = (b + 1) * n / B;
        vb[b] = goal.value_of(Distribution(mc.returns.subvec(a, e - 1),
                                           arma::vec(e - a, arma::fill::value(1.0 / (e - a))), where));
      }
      ts.std_error = scaled_stddev(vb) / std::sqrt(static_cast<double>(B));
    }
  }
  if (ts.method != TrueStockMethod::none) {
    ts.value = goal.value_of(ts.returns);
    ts.mean = ts.returns.mean();
  }
  check_finite(res);
  warn_grid(res, hooks);
  return res;
}

std::vector<SummaryField> summary_fields(const GoalResult& r) {
  std::vector<SummaryField> out;
  auto str = [&](const std::string& k, const std::string& v) { out.push_back({k, v, false, false, false}); };
  auto num = [&](const std::string& k, double v) { out.push_back({k, number(v), true, false, false}); };
  auto count = [&](const std::string& k, unsigned long long v) {
    out.push_back({k, std::to_string(v), true, false, true});
  };
  auto flag = [&](const std::string& k, bool v) { out.push_back({k, v ? "true" : "false", false, true, false}); };
  const Solution& s = r.solution;
  const Mdp& mdp = s.mdp();
  str("goal", r.goal.name());
  str("utility", s.objective().name());
  str("start_state", mdp.state_label(r.start_state));
  num("start_stock", r.start_stock);
  num("value", r.value);
  num("mean", r.mean);
  num("risk_neutral_mean", r.risk_neutral_mean);
  str("true_stock_method", to_string(r.true_stock.method));
  if (r.true_stock.method != TrueStockMethod::none) {
    num("true_stock_value", r.true_stock.value);
    num("true_stock_std_error", r.true_stock.std_error);
    num("true_stock_mean", r.true_stock.mean);
    if (r.true_stock.method == TrueStockMethod::monte_carlo) {
      count("true_stock_episodes", r.true_stock.episodes);
      count("true_stock_seed", r.true_stock.seed);
    }
  }
  str("representation", to_string(s.representation()));
  if (s.representation() != Representation::exact) count("atoms", s.options().atoms);
  if (std::isfinite(r.law_error_bound)) num("law_w1_bound", r.law_error_bound);  // none: γ = 1 on a grid
  str("stock_mode", to_string(s.stock_mode()));
  if (s.stock_mode() == StockMode::grid) {
    // The default grid has stock_points evenly spaced points, plus the start stock when it
    // falls between two of them (so that the start is solved on the grid, not rounded).
    const SolveOptions& o = s.options();
    const arma::uword asked = o.stock_grid.n_elem ? o.stock_grid.n_elem : o.stock_points;
    const arma::uword size = s.stock_grid().n_elem;
    count("stock_points", std::min(asked, size));
    flag("start_stock_added", size > asked);
    count("clamped", s.clamped());
    count("rounded", s.rounded());
  } else {
    count("nodes", s.n_nodes());
  }
  str("method", to_string(s.options().algorithm));
  count("iterations", s.iterations());
  count("sweeps", s.sweeps());
  flag("converged", s.converged());
  num("residual", s.residual());
  num("gamma", mdp.gamma());
  count("horizon", mdp.horizon());
  count("states", mdp.n_states());
  num("seconds", s.seconds());
  return out;
}

std::vector<LabelledPolicyRow> labelled_policy(const Solution& solution) {
  std::vector<LabelledPolicyRow> out;
  const Mdp& mdp = solution.mdp();
  for (const PolicyRow& r : solution.policy_table())
    out.push_back({mdp.state_label(r.state), r.time, r.stock, mdp.action_label(r.state, r.action)});
  return out;
}

}  // namespace ddp
}  // namespace rddist
