// results.cpp — the core's results as R lists (see results.h). Names follow the fields of
// the core's structs; R/r3d.R turns them into the fit object.
#include "results.h"

namespace rddist_r {
namespace {

Rcpp::List side_to_list(const rddist::SideEstimate& s, bool common) {
  return Rcpp::List::create(
      Rcpp::Named("coef") = s.coef, Rcpp::Named("intercept") = as_numeric(s.intercept),
      Rcpp::Named("curve") = as_numeric(s.curve),
      Rcpp::Named("weights") = common ? Rcpp::wrap(as_numeric(s.weights.col(0))) : Rcpp::wrap(s.weights),
      Rcpp::Named("n_units") = static_cast<double>(s.n_units));
}

Rcpp::DataFrame tests_frame(const std::vector<rddist::TestResult>& tests) {
  const std::size_t k = tests.size();
  Rcpp::CharacterVector name(k);
  Rcpp::NumericVector low(k), high(k), stat(k), crit(k), p(k);
  for (std::size_t i = 0; i < k; ++i) {
    name[i] = rddist::to_string(tests[i].type);
    low[i] = tests[i].low;
    high[i] = tests[i].high;
    stat[i] = tests[i].statistic;
    crit[i] = tests[i].crit_val;
    p[i] = tests[i].p_value;
  }
  return Rcpp::DataFrame::create(Rcpp::Named("test") = name, Rcpp::Named("range_low") = low,
                                 Rcpp::Named("range_high") = high, Rcpp::Named("statistic") = stat,
                                 Rcpp::Named("crit_val") = crit, Rcpp::Named("p_value") = p,
                                 Rcpp::Named("stringsAsFactors") = false);
}

Rcpp::DataFrame functionals_frame(const std::vector<rddist::FunctionalResult>& f) {
  const std::size_t k = f.size();
  Rcpp::CharacterVector name(k);
  Rcpp::NumericVector plus(k), minus(k), diff(k), se(k), lo(k), hi(k);
  for (std::size_t i = 0; i < k; ++i) {
    name[i] = f[i].name;
    plus[i] = f[i].plus;
    minus[i] = f[i].minus;
    diff[i] = f[i].difference;
    se[i] = f[i].se;
    lo[i] = f[i].conf_low;
    hi[i] = f[i].conf_high;
  }
  return Rcpp::DataFrame::create(Rcpp::Named("functional") = name, Rcpp::Named("plus") = plus,
                                 Rcpp::Named("minus") = minus, Rcpp::Named("difference") = diff,
                                 Rcpp::Named("std.error") = se, Rcpp::Named("conf.low") = lo,
                                 Rcpp::Named("conf.high") = hi,
                                 Rcpp::Named("stringsAsFactors") = false);
}

}  // namespace

Rcpp::List selection_to_list(const rddist::BandwidthSelection& b) {
  return Rcpp::List::create(
      Rcpp::Named("h_num") = as_numeric(b.h_num), Rcpp::Named("h_den") = b.h_den,
      Rcpp::Named("pilot_num") = as_numeric(b.pilot_num), Rcpp::Named("pilot_den") = b.pilot_den,
      Rcpp::Named("B_plus") = as_numeric(b.B_plus), Rcpp::Named("B_minus") = as_numeric(b.B_minus),
      Rcpp::Named("V_plus") = as_numeric(b.V_plus), Rcpp::Named("V_minus") = as_numeric(b.V_minus),
      Rcpp::Named("regularizer") = as_numeric(b.regularizer),
      Rcpp::Named("B_plus_den") = b.B_plus_den, Rcpp::Named("B_minus_den") = b.B_minus_den,
      Rcpp::Named("V_plus_den") = b.V_plus_den, Rcpp::Named("V_minus_den") = b.V_minus_den,
      Rcpp::Named("f_x") = b.f_x, Rcpp::Named("silverman") = b.silverman,
      Rcpp::Named("notes") = as_character(b.notes));
}

Rcpp::List estimate_to_list(const rddist::Estimate& e) {
  const rddist::EstimateOptions& o = e.options;
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("options") = Rcpp::List::create(
          Rcpp::Named("cutoff") = o.cutoff, Rcpp::Named("method") = rddist::to_string(o.method),
          Rcpp::Named("p") = o.p, Rcpp::Named("kernel") = rddist::to_string(o.kernel),
          Rcpp::Named("compat") = rddist::to_string(o.compat), Rcpp::Named("fuzzy") = o.fuzzy),
      Rcpp::Named("tau") = as_numeric(e.tau), Rcpp::Named("h_num") = as_numeric(e.h_num),
      Rcpp::Named("h_den") = e.h_den, Rcpp::Named("common_bandwidth") = e.common_bandwidth,
      Rcpp::Named("plus") = side_to_list(e.plus, e.common_bandwidth),
      Rcpp::Named("minus") = side_to_list(e.minus, e.common_bandwidth));
  if (e.options.fuzzy) {
    const auto& fs = e.first_stage;
    out["first_stage"] = Rcpp::List::create(
        Rcpp::Named("jump") = fs.jump, Rcpp::Named("plus") = fs.plus.coef(0, 0),
        Rcpp::Named("minus") = fs.minus.coef(0, 0),
        Rcpp::Named("coef_plus") = as_numeric(fs.plus.coef.col(0)),
        Rcpp::Named("coef_minus") = as_numeric(fs.minus.coef.col(0)),
        Rcpp::Named("n_plus") = static_cast<double>(fs.plus.units.n_elem),
        Rcpp::Named("n_minus") = static_cast<double>(fs.minus.units.n_elem));
  }
  return out;
}

Rcpp::List inference_to_list(const rddist::BootstrapResult& r, bool keep_draws) {
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("crit_val") = r.crit_val,
      Rcpp::Named("crit_val_sides") =
          Rcpp::NumericVector::create(Rcpp::Named("plus") = r.crit_val_plus,
                                      Rcpp::Named("minus") = r.crit_val_minus),
      Rcpp::Named("se") = as_numeric(r.se), Rcpp::Named("conf_low") = as_numeric(r.conf_low),
      Rcpp::Named("conf_high") = as_numeric(r.conf_high),
      Rcpp::Named("band_low") = as_numeric(r.band_low),
      Rcpp::Named("band_high") = as_numeric(r.band_high),
      Rcpp::Named("covariance") = r.covariance, Rcpp::Named("se_plus") = as_numeric(r.se_plus),
      Rcpp::Named("se_minus") = as_numeric(r.se_minus), Rcpp::Named("tests") = tests_frame(r.tests),
      Rcpp::Named("functionals") = functionals_frame(r.functionals),
      Rcpp::Named("draws") = static_cast<double>(r.draws), Rcpp::Named("alpha") = r.alpha,
      Rcpp::Named("seed") = static_cast<double>(r.seed),
      Rcpp::Named("sampler") = rddist::to_string(r.sampler),
      Rcpp::Named("vce") = rddist::to_string(r.vce),
      Rcpp::Named("clusters") = static_cast<double>(r.clusters));
  if (keep_draws) {
    out["process"] = r.process;
    out["nu_plus"] = r.nu_plus;
    out["nu_minus"] = r.nu_minus;
  }
  return out;
}

}  // namespace rddist_r
