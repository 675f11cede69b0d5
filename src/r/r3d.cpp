// r3d.cpp — the R entry point of the whole R3D analysis: one call per r3d(),
// r3d_bwselect() or r3d_bootstrap().
//
// The units arrive in one of three forms — a units × levels quantile matrix, a list of
// each unit's draws, or long rows with their unit codes (the formula interface) — and are
// turned into the core's sample by the core (quantile_matrix, UnitGrouper). The options
// arrive as they were given in R (NULL for "not given"); the core applies its defaults
// and checks every value (request.h), and its errors come back in R's words.
#include <deque>

#include "common.h"
#include "results.h"
#include "rddist/r3d/analysis.h"
#include "rddist/r3d/grouping.h"
#include "rddist/r3d/missing_draws.h"

namespace {

using rddist_r::flag;
using rddist_r::has;
using rddist_r::number;
using rddist_r::numbers;
using rddist_r::text;
using rddist_r::whole_number;

rddist::Stage parse_stage(const std::string& s) {
  if (s == "bandwidths") return rddist::Stage::bandwidths;
  if (s == "estimate") return rddist::Stage::estimate;
  return rddist::Stage::inference;
}

// Long rows → units. keys: one character vector per key column, element k the key of the
// unit with code k; the parts are joined by '\0' (a byte R strings cannot hold).
rddist::GroupedUnits group_long(const Rcpp::List& a, const arma::vec& q, rddist::QuantileType type,
                                unsigned threads, const rddist::Hooks& hooks) {
  const Rcpp::IntegerVector unit = a["unit"];
  const Rcpp::List keys = a["keys"];
  const R_xlen_t n_units = Rcpp::CharacterVector(keys[0]).size();
  std::vector<std::string> joined(static_cast<std::size_t>(n_units));
  for (R_xlen_t c = 0; c < keys.size(); ++c) {
    const Rcpp::CharacterVector part = keys[c];
    for (R_xlen_t k = 0; k < n_units; ++k) {
      if (c > 0) joined[k].push_back('\0');
      joined[k] += Rcpp::as<std::string>(part[k]);
    }
  }
  rddist::LongData d;
  d.rows = static_cast<std::size_t>(unit.size());
  d.unit = INTEGER(unit);
  const Rcpp::NumericVector x = a["x"], y = a["y"];
  d.x = REAL(x);
  d.y = REAL(y);
  Rcpp::NumericVector t, w;
  Rcpp::IntegerVector cl;
  rddist::GroupingOptions g;
  g.q_grid = q;
  g.quantile_type = type;
  g.threads = threads;
  g.drop_missing = flag(a, "na_rm", "drop_missing", false);
  auto named = [&](const char* role, const char* field) {
    return std::string(role) + " '" + text(a, field, "x", "") + "'";
  };
  g.x_name = named("the running variable", "x_name");
  g.y_name = named("the outcome", "y_name");
  g.treatment_name = named("the treatment", "t_name");
  g.weight_name = named("the draw weight", "w_name");
  g.cluster_name = named("the cluster", "c_name");
  if (has(a, "treatment")) {
    t = a["treatment"];
    d.treatment = REAL(t);
    g.treatment = true;
  }
  if (has(a, "weight")) {
    w = a["weight"];
    d.weight = REAL(w);
    g.weights = true;
  }
  if (has(a, "cluster")) {
    cl = a["cluster"];
    d.cluster = INTEGER(cl);
    g.cluster = true;
  }
  // Unit-level columns: the covariates, then the unit weight.
  std::vector<Rcpp::NumericVector> columns;
  if (has(a, "covs_long")) {
    const Rcpp::List covs = a["covs_long"];
    const Rcpp::CharacterVector names = covs.names();
    for (R_xlen_t k = 0; k < covs.size(); ++k) {
      columns.emplace_back(covs[k]);
      g.unit_columns.push_back("the covariate '" + Rcpp::as<std::string>(names[k]) + "'");
    }
  }
  if (has(a, "unit_weight_long")) {
    columns.emplace_back(a["unit_weight_long"]);
    g.unit_columns.push_back(named("the unit weight", "unit_weight_name"));
  }
  for (const Rcpp::NumericVector& c : columns) d.unit_columns.push_back(REAL(c));
  return rddist::group_units(d, joined, g, hooks);
}

// The covariates (a numeric matrix with column names) and unit weights of units given
// one per row.
void unit_covariates(const Rcpp::List& a, rddist::RdData& d) {
  if (has(a, "covs")) {
    const Rcpp::NumericMatrix z = a["covs"];
    d.covariates = Rcpp::as<arma::mat>(z);
    if (!Rf_isNull(Rcpp::colnames(z)))
      d.covariate_names = Rcpp::as<std::vector<std::string>>(Rcpp::colnames(z));
  }
  if (has(a, "unit_weights")) d.unit_weights = numbers(a, "unit_weights", "unit_weights");
}

std::vector<rddist::FunctionalSpec> functionals(const Rcpp::List& a) {
  std::vector<rddist::FunctionalSpec> out;
  if (has(a, "functionals")) {
    const Rcpp::CharacterVector names = a["functionals"];
    for (R_xlen_t k = 0; k < names.size(); ++k)
      out.push_back(rddist::parse_functional(Rcpp::as<std::string>(names[k])));
  }
  if (has(a, "user_functionals")) {
    const Rcpp::List user = a["user_functionals"];
    const Rcpp::CharacterVector labels = user.names();
    for (R_xlen_t k = 0; k < user.size(); ++k) {
      const std::string label = Rcpp::as<std::string>(labels[k]);
      const Rcpp::Function f = user[k];
      out.push_back(rddist::custom_functional(label, [f, label](const arma::vec& q, const arma::vec& Q) {
        const SEXP v = f(rddist_r::as_numeric(q), rddist_r::as_numeric(Q));
        rddist::require((Rf_isReal(v) || Rf_isInteger(v)) && Rf_xlength(v) == 1, "functionals",
                        "functional ", label, " must return a single number");
        return Rf_asReal(v);
      }));
    }
  }
  return out;
}

// What dropping missing draws removed, as R's fit reports it (fit$na_dropped).
Rcpp::List dropped_list(std::uint64_t draws, std::uint64_t units) {
  return Rcpp::List::create(Rcpp::Named("draws") = static_cast<double>(draws),
                            Rcpp::Named("units") = static_cast<double>(units));
}

// The cluster code of each unit (one per unit, checked).
arma::uvec cluster_units(const Rcpp::List& a, arma::uword n_units) {
  const Rcpp::IntegerVector c = a["cluster_units"];
  rddist::require(static_cast<arma::uword>(c.size()) == n_units, "cluster", "{cluster} has ",
                  c.size(), " labels for ", n_units, " units; give one label per unit");
  return arma::conv_to<arma::uvec>::from(Rcpp::as<std::vector<int>>(c));
}

rddist::BootstrapOptions inference_options(const Rcpp::List& a, arma::uword n_units) {
  rddist::BootstrapOptions o;
  o.draws = static_cast<arma::uword>(std::max(0, whole_number(a, "B", "draws", static_cast<int>(o.draws))));
  o.alpha = number(a, "alpha", "alpha", o.alpha);
  if (has(a, "seed")) o.seed = static_cast<std::uint64_t>(number(a, "seed", "seed", 0.0));
  if (has(a, "sampler")) o.sampler = rddist::parse_sampler(text(a, "sampler", "sampler", ""));
  if (has(a, "band_type")) o.band = rddist::parse_band_type(text(a, "band_type", "band_type", ""));
  if (has(a, "test_statistic"))
    o.test_statistic = rddist::parse_test_statistic(text(a, "test_statistic", "test_statistic", ""));
  if (has(a, "vce")) o.vce = rddist::parse_vce(text(a, "vce", "vce", ""));
  if (has(a, "xi")) o.multipliers = Rcpp::as<arma::mat>(a["xi"]);
  if (has(a, "cluster_units")) o.cluster = cluster_units(a, n_units);
  if (has(a, "tests")) {
    const Rcpp::CharacterVector tests = a["tests"];
    o.tests.emplace();
    for (R_xlen_t k = 0; k < tests.size(); ++k)
      o.tests->push_back(rddist::parse_test(Rcpp::as<std::string>(tests[k])));
  }
  if (has(a, "test_ranges")) {
    const Rcpp::NumericMatrix r = a["test_ranges"];
    for (int k = 0; k < r.nrow(); ++k) o.test_ranges.push_back(rddist::TestRange{r(k, 0), r(k, 1)});
  }
  o.functionals = functionals(a);
  o.keep_draws = flag(a, "keep_draws", "keep_draws", false) || has(a, "user_functionals");
  return o;
}

// The units of the request. A quantile matrix from R is used in place (the core only
// reads it): the view is returned as a prvalue and initialises the request's member
// directly, so the matrix is never copied. Draws and long rows are reduced by the core;
// their quantiles (and, for long rows, the units' description) are also returned to R.
rddist::RdData sample_of(const Rcpp::List& a, arma::vec q, rddist::QuantileType type,
                         unsigned threads, const rddist::Hooks& hooks, Rcpp::List& out,
                         arma::uvec& cluster) {
  const std::string source = text(a, "source", "x", "quantiles");
  if (source == "quantiles") {
    const Rcpp::NumericMatrix m = a["Q"];
    rddist::RdData d{Rcpp::as<arma::vec>(a["X"]),
                     has(a, "T") ? Rcpp::as<arma::vec>(a["T"]) : arma::vec(),
                     arma::mat(const_cast<double*>(REAL(m)), m.nrow(), m.ncol(), false, true),
                     std::move(q)};
    unit_covariates(a, d);
    return d;
  }
  rddist::RdData d;
  if (source == "long") {
    rddist::GroupedUnits g = group_long(a, q, type, threads, hooks);
    out["units"] = Rcpp::List::create(
        Rcpp::Named("code") = Rcpp::IntegerVector(g.code.begin(), g.code.end()),
        Rcpp::Named("draws") = rddist_r::as_numeric(arma::conv_to<arma::vec>::from(g.draws)),
        Rcpp::Named("cluster") = Rcpp::IntegerVector(g.cluster.begin(), g.cluster.end()));
    out["dropped"] = dropped_list(g.rows_dropped, g.units_with_drops);
    d.x = std::move(g.x);
    d.treatment = std::move(g.treatment);
    d.quantiles = std::move(g.quantiles);
    cluster = std::move(g.cluster);
    const arma::uword n_covs = has(a, "covs_long") ? Rcpp::List(a["covs_long"]).size() : 0;
    if (n_covs > 0) {
      d.covariates = g.unit_columns.cols(0, n_covs - 1);
      d.covariate_names = Rcpp::as<std::vector<std::string>>(Rcpp::List(a["covs_long"]).names());
      out["covs"] = d.covariates;
    }
    if (has(a, "unit_weight_long")) {
      d.unit_weights = g.unit_columns.col(n_covs);
      out["unit_weights"] = rddist_r::as_numeric(d.unit_weights);
    }
  } else {
    d.x = Rcpp::as<arma::vec>(a["X"]);
    if (has(a, "T")) d.treatment = Rcpp::as<arma::vec>(a["T"]);
    std::vector<std::vector<double>> storage;
    std::deque<std::vector<double>> observed;
    const Rcpp::Nullable<Rcpp::List> weights =
        has(a, "weights") ? Rcpp::Nullable<Rcpp::List>(a["weights"]) : Rcpp::Nullable<Rcpp::List>(R_NilValue);
    auto samples = rddist_r::unit_samples(a["Y_list"], weights, &storage);
    if (flag(a, "na_rm", "drop_missing", false)) {
      const rddist::DroppedDraws dropped = rddist::drop_missing_draws(samples, observed, hooks);
      out["dropped"] = dropped_list(dropped.draws, dropped.units);
    }
    d.quantiles = rddist::quantile_matrix(samples, q, type, threads, hooks);
    unit_covariates(a, d);
  }
  d.q_grid = std::move(q);
  out["Q"] = d.quantiles;
  out["X"] = rddist_r::as_numeric(d.x);
  if (!d.treatment.is_empty()) out["T"] = rddist_r::as_numeric(d.treatment);
  return d;
}

Rcpp::List run(const Rcpp::List& a) {
  std::vector<std::string> warnings;
  const rddist::Hooks hooks = rddist_r::r_hooks(&warnings, flag(a, "verbose", "x", false),
                                                has(a, "progress") ? SEXP(a["progress"]) : R_NilValue);
  const int wanted = whole_number(a, "threads", "threads", 1);
  rddist::require(wanted >= 1, "threads", "{threads} must be a positive whole number");
  const auto threads = static_cast<unsigned>(wanted);
  arma::vec q = has(a, "q_grid") ? numbers(a, "q_grid", "q_grid") : rddist::default_q_grid();
  rddist::check_q_grid(q);
  const rddist::QuantileType type =
      rddist::parse_quantile_type(whole_number(a, "quantile_type", "quantile_type", 7));
  Rcpp::List out;
  arma::uvec grouped_cluster;
  rddist::AnalysisRequest r{sample_of(a, q, type, threads, hooks, out, grouped_cluster)};
  r.threads = threads;
  if (text(a, "stage", "x", "inference") == "units") {  // the units alone (rd_plot)
    out["q_grid"] = rddist_r::as_numeric(r.data.q_grid);
    out["warnings"] = rddist_r::as_character(warnings);
    return out;
  }

  r.estimate.cutoff = number(a, "cutoff", "cutoff", r.estimate.cutoff);
  if (has(a, "method")) r.estimate.method = rddist::parse_method(text(a, "method", "method", ""));
  r.estimate.p = whole_number(a, "p", "p", r.estimate.p);
  if (has(a, "kernel")) r.estimate.kernel = rddist::parse_kernel(text(a, "kernel", "kernel", ""));
  if (has(a, "compat")) r.estimate.compat = rddist::parse_compat(text(a, "compat", "compat", ""));
  r.estimate.fuzzy = flag(a, "fuzzy", "fuzzy", !r.data.treatment.is_empty());
  r.bandwidth.outcome = numbers(a, "bandwidth", "bandwidth");
  r.bandwidth.treatment = number(a, "bandwidth_treatment", "bandwidth_treatment", r.bandwidth.treatment);
  r.bandwidth.outcome_below = numbers(a, "bandwidth_below", "bandwidth_below");
  r.bandwidth.treatment_below =
      number(a, "bandwidth_treatment_below", "bandwidth_treatment_below", r.bandwidth.treatment_below);
  if (has(a, "bwselect"))
    r.bandwidth.selection.rule = rddist::parse_bandwidth_rule(text(a, "bwselect", "bandwidth_rule", ""));
  r.units.donut = number(a, "donut", "donut", r.units.donut);
  r.units.true_cutoff = number(a, "true_cutoff", "placebo", r.units.true_cutoff);
  r.bandwidth.selection.s = whole_number(a, "s", "s", r.bandwidth.selection.s);
  r.bandwidth.selection.coverage = flag(a, "coverage", "coverage", r.bandwidth.selection.coverage);
  r.bandwidth.selection.regularization =
      number(a, "regularization", "regularization", r.bandwidth.selection.regularization);
  r.last_stage = parse_stage(text(a, "stage", "x", "inference"));
  if (r.last_stage == rddist::Stage::inference) {
    r.inference = inference_options(a, r.data.x.n_elem);
    if (!grouped_cluster.is_empty()) r.inference.cluster = std::move(grouped_cluster);
  } else if (has(a, "cluster_units")) {
    cluster_units(a, r.data.x.n_elem);  // checked now for a later bootstrap of the fit
  }

  const rddist::AnalysisResult res = rddist::run_analysis(r, hooks);
  out["q_grid"] = rddist_r::as_numeric(r.data.q_grid);
  const rddist::BandwidthOptions& sel = r.bandwidth.selection;
  out["settings"] = Rcpp::List::create(
      Rcpp::Named("cutoff") = r.estimate.cutoff,
      Rcpp::Named("method") = rddist::to_string(r.estimate.method), Rcpp::Named("p") = r.estimate.p,
      Rcpp::Named("kernel") = rddist::to_string(r.estimate.kernel),
      Rcpp::Named("compat") = rddist::to_string(r.estimate.compat),
      Rcpp::Named("fuzzy") = r.estimate.fuzzy, Rcpp::Named("s") = sel.s,
      Rcpp::Named("coverage") = sel.coverage, Rcpp::Named("regularization") = sel.regularization,
      Rcpp::Named("quantile_type") = rddist::to_int(type),
      Rcpp::Named("bwselect") = rddist::to_string(sel.rule), Rcpp::Named("donut") = r.units.donut,
      Rcpp::Named("true_cutoff") = r.units.true_cutoff);
  out["kept"] = Rcpp::List::create(
      Rcpp::Named("donut") = static_cast<double>(res.units.donut),
      Rcpp::Named("other_side") = static_cast<double>(res.units.other_side),
      Rcpp::Named("units") = res.units.all() ? R_NilValue
                                             : Rcpp::wrap(rddist_r::as_numeric(
                                                   arma::conv_to<arma::vec>::from(res.units.kept) + 1.0)));
  out["outcome_selected"] = res.outcome_selected;
  out["treatment_selected"] = res.treatment_selected;
  if (res.selection) out["selection"] = rddist_r::selection_to_list(*res.selection);
  if (res.estimate)
    out["estimate"] = rddist_r::estimate_to_list(*res.estimate, res.units, r.data.x.n_elem);
  if (res.inference) out["inference"] = rddist_r::inference_to_list(*res.inference, r.inference.keep_draws);
  out["warnings"] = rddist_r::as_character(warnings);
  return out;
}

}  // namespace

// [[Rcpp::export(.rddist_r3d)]]
Rcpp::List rddist_r3d(Rcpp::List args) {
  const std::string where = rddist_r::text(args, "where", "x", "r3d");
  return rddist_r::translate_errors(where, [&] { return run(args); });
}
