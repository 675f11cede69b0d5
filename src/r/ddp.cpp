// rcpp_ddp.cpp — R entry point of the distributional DP solver (ddp_solve).
//
// R has already checked the R types (character labels, numeric columns, scalars); the
// core checks the values. A custom utility is an R function called on whole vectors of
// returns; R errors inside it surface as R errors of ddp_solve.
#include "common.h"
#include "rddist/ddp/applications.h"
#include "rddist/error.h"

namespace {

using namespace rddist::ddp;

Rcpp::List law_to_list(const Distribution& d) {
  return Rcpp::List::create(
      Rcpp::Named("value") = Rcpp::NumericVector(d.atoms().begin(), d.atoms().end()),
      Rcpp::Named("prob") = Rcpp::NumericVector(d.probs().begin(), d.probs().end()));
}

template <typename T>
T get(const Rcpp::List& l, const char* name) {
  return Rcpp::as<T>(l[name]);
}

Objective make_utility(const Rcpp::List& g) {
  const std::string u = get<std::string>(g, "utility");
  if (u == "mean") return Objective::mean();
  if (u == "threshold") return Objective::threshold();
  if (u == "hinge") return Objective::hinge(get<double>(g, "w_left"), get<double>(g, "w_right"));
  if (u == "homeostatic") return Objective::homeostatic(get<double>(g, "power"));
  if (u == "exponential") return Objective::exponential(get<double>(g, "beta"));
  if (u == "quantile") return Objective::quantile(get<double>(g, "tau"));
  if (u == "cvar") return Objective::cvar(get<double>(g, "tau"));
  if (u == "custom") {
    Rcpp::Function f = g["fun"];
    std::optional<GammaProperty> declared;
    if (!Rf_isNull(g["gamma_property"])) {
      const Rcpp::NumericVector ab = g["gamma_property"];
      declared = GammaProperty{ab[0], ab[1]};
    }
    const std::string name = get<std::string>(g, "name");
    return Objective::custom_batch(
        name,
        [f, name](const double* z, double* out, arma::uword n) {
          Rcpp::NumericVector arg(z, z + n);
          SEXP res = f(arg);
          if (!Rf_isNumeric(res) || static_cast<arma::uword>(Rf_xlength(res)) != n)
            throw rddist::invalid_argument(
                "the utility '" + name +
                "' must return a numeric vector as long as its argument (it is called on "
                "vectors of returns)");
          const Rcpp::NumericVector v(res);
          std::copy(v.begin(), v.end(), out);
        },
        declared);
  }
  throw rddist::invalid_argument("unknown utility '" + u + "'");
}

Goal make_goal(const Rcpp::List& g) {
  const std::string kind = get<std::string>(g, "kind");
  if (kind == "mean") return Goal::mean();
  if (kind == "success") return Goal::success(get<double>(g, "level"));
  if (kind == "cvar") return Goal::cvar(get<double>(g, "tau"));
  if (kind == "mean_cvar") return Goal::mean_cvar(get<double>(g, "lambda"), get<double>(g, "tau"));
  if (kind == "homeostatic")
    return Goal::homeostatic(get<double>(g, "level"), get<double>(g, "power"));
  if (kind == "quantile") return Goal::quantile(get<double>(g, "tau"));
  if (kind == "utility") return Goal::custom(make_utility(g), get<double>(g, "start_stock"));
  throw rddist::invalid_argument("unknown objective kind '" + kind + "'");
}

// The body of rddist_ddp_solve(); core errors are translated by the caller.
Rcpp::List solve_for_r(Rcpp::CharacterVector state, Rcpp::CharacterVector action,
                       Rcpp::NumericVector prob, Rcpp::NumericVector reward,
                       Rcpp::CharacterVector next_state, double gamma, double horizon,
                       Rcpp::List goal, Rcpp::List options) {
  MdpBuilder builder;
  for (R_xlen_t i = 0; i < state.size(); ++i) {
    std::optional<std::string> next;
    if (!Rcpp::CharacterVector::is_na(next_state[i]))
      next = Rcpp::as<std::string>(next_state[i]);
    builder.add(Rcpp::as<std::string>(state[i]), Rcpp::as<std::string>(action[i]), prob[i],
                reward[i], next);
  }
  const Mdp mdp = builder.build(gamma, static_cast<arma::uword>(horizon), "ddp_solve");

  GoalOptions go;
  SolveOptions& o = go.solve;
  o.representation = parse_representation(get<std::string>(options, "representation"));
  o.atoms = static_cast<arma::uword>(get<double>(options, "atoms"));
  o.stock_mode = parse_stock_mode(get<std::string>(options, "stock"));
  if (!Rf_isNull(options["stock_grid"])) o.stock_grid = get<arma::vec>(options, "stock_grid");
  o.stock_points = static_cast<arma::uword>(get<double>(options, "stock_points"));
  o.rounding = parse_rounding(get<std::string>(options, "rounding"));
  o.algorithm = parse_algorithm(get<std::string>(options, "method"));
  o.max_iterations = static_cast<arma::uword>(get<double>(options, "max_iterations"));
  o.tolerance = get<double>(options, "tolerance");
  o.law_tolerance = get<double>(options, "law_tolerance");
  o.closed_form = get<bool>(options, "closed_form");
  o.force = get<bool>(options, "force");
  o.max_nodes = static_cast<arma::uword>(get<double>(options, "max_nodes"));
  o.start_state = mdp.state_index(get<std::string>(options, "start_state"), "ddp_solve");
  go.evaluation = parse_true_stock_method(get<std::string>(options, "evaluation"));
  go.monte_carlo.episodes = static_cast<arma::uword>(get<double>(options, "episodes"));
  go.monte_carlo.seed = static_cast<std::uint64_t>(get<double>(options, "seed"));

  std::vector<std::string> warnings;
  const GoalResult r =
      solve_goal(mdp, make_goal(goal), go, rddist_r::r_hooks(&warnings, get<bool>(options, "verbose"),
                                               options.containsElementNamed("progress")
                                                   ? SEXP(options["progress"]) : R_NilValue));
  const Solution& s = r.solution;

  const std::vector<LabelledPolicyRow> rows = labelled_policy(s);
  Rcpp::CharacterVector p_state(rows.size()), p_action(rows.size());
  Rcpp::NumericVector p_stock(rows.size()), p_time(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    p_state[i] = rows[i].state;
    p_action[i] = rows[i].action;
    p_stock[i] = rows[i].stock;
    p_time[i] = static_cast<double>(rows[i].time);
  }
  Rcpp::NumericVector search_stock, search_value;
  for (const SearchPoint& p : r.search) {
    search_stock.push_back(p.start_stock);
    search_value.push_back(p.value);
  }
  const TrueStockResult& ts = r.true_stock;
  Rcpp::List true_stock = Rcpp::List::create(
      Rcpp::Named("method") = to_string(ts.method), Rcpp::Named("value") = ts.value,
      Rcpp::Named("std_error") = ts.std_error, Rcpp::Named("mean") = ts.mean,
      Rcpp::Named("episodes") = static_cast<double>(ts.episodes),
      Rcpp::Named("seed") = static_cast<double>(ts.seed));
  const arma::vec& grid = s.stock_grid();
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("policy") = Rcpp::List::create(
          Rcpp::Named("state") = p_state, Rcpp::Named("time") = p_time,
          Rcpp::Named("stock") = p_stock, Rcpp::Named("action") = p_action),
      Rcpp::Named("value") = r.value, Rcpp::Named("start_stock") = r.start_stock,
      Rcpp::Named("start_state") = mdp.state_label(r.start_state),
      Rcpp::Named("returns") = law_to_list(r.returns),
      Rcpp::Named("risk_neutral") = law_to_list(r.risk_neutral),
      Rcpp::Named("true_stock") = true_stock,
      Rcpp::Named("true_returns") = law_to_list(ts.returns),
      Rcpp::Named("search") = Rcpp::List::create(Rcpp::Named("start_stock") = search_stock,
                                                 Rcpp::Named("value") = search_value),
      Rcpp::Named("iterations") = static_cast<double>(s.iterations()),
      Rcpp::Named("sweeps") = static_cast<double>(s.sweeps()),
      Rcpp::Named("converged") = s.converged(), Rcpp::Named("residual") = s.residual(),
      Rcpp::Named("stock_mode") = to_string(s.stock_mode()),
      Rcpp::Named("stock_grid") = Rcpp::NumericVector(grid.begin(), grid.end()),
      Rcpp::Named("nodes") = static_cast<double>(s.n_nodes()),
      Rcpp::Named("support") = Rcpp::NumericVector::create(s.support().lo(), s.support().hi()),
      Rcpp::Named("utility") = s.objective().name(), Rcpp::Named("goal") = r.goal.name());
  // Rcpp's create() takes at most 20 elements.
  out["seconds"] = s.seconds();
  out["mean"] = r.mean;
  out["risk_neutral_mean"] = r.risk_neutral_mean;
  out["law_error_bound"] = r.law_error_bound;
  out["representation"] = to_string(s.representation());
  out["clamped"] = static_cast<double>(s.clamped());
  out["rounded"] = static_cast<double>(s.rounded());
  out["warnings"] = rddist_r::as_character(warnings);
  return out;
}

}  // namespace

// Solves a distributional DP goal on the MDP given by transition rows.
// [[Rcpp::export(.rddist_ddp_solve)]]
Rcpp::List rddist_ddp_solve(Rcpp::CharacterVector state, Rcpp::CharacterVector action,
                            Rcpp::NumericVector prob, Rcpp::NumericVector reward,
                            Rcpp::CharacterVector next_state, double gamma, double horizon,
                            Rcpp::List goal, Rcpp::List options) {
  return rddist_r::translate_errors("ddp_solve", [&] {
    return solve_for_r(state, action, prob, reward, next_state, gamma, horizon, goal, options);
  });
}

