// results.cpp — the core's results as R lists (see results.h). Names follow the fields of
// the core's structs; R/r3d.R turns them into the fit object.
#include "results.h"

namespace rddist_r {
namespace {

Rcpp::List side_to_list(const rddist::SideEstimate& s, bool common,
                        const rddist::SelectedUnits& units, arma::uword n) {
  arma::mat w = s.weights;
  if (!units.all()) {
    w.zeros(n, s.weights.n_cols);
    w.rows(units.kept) = s.weights;
  }
  return Rcpp::List::create(
      Rcpp::Named("coef") = s.coef, Rcpp::Named("intercept") = as_numeric(s.intercept),
      Rcpp::Named("curve") = as_numeric(s.curve),
      Rcpp::Named("weights") = common ? Rcpp::wrap(as_numeric(w.col(0))) : Rcpp::wrap(w),
      Rcpp::Named("n_units") = static_cast<double>(s.n_units));
}

// A column of a data frame: one value per row of `rows`, read by `get`.
template <typename Row, typename Get>
Rcpp::NumericVector numbers_of(const std::vector<Row>& rows, Get get) {
  Rcpp::NumericVector v(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) v[i] = get(rows[i]);
  return v;
}

template <typename Row, typename Get>
Rcpp::CharacterVector texts_of(const std::vector<Row>& rows, Get get) {
  Rcpp::CharacterVector v(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) v[i] = get(rows[i]);
  return v;
}

Rcpp::DataFrame tests_frame(const std::vector<rddist::TestResult>& t) {
  using R = rddist::TestResult;
  return Rcpp::DataFrame::create(
      Rcpp::Named("test") = texts_of(t, [](const R& r) { return rddist::to_string(r.type); }),
      Rcpp::Named("range_low") = numbers_of(t, [](const R& r) { return r.low; }),
      Rcpp::Named("range_high") = numbers_of(t, [](const R& r) { return r.high; }),
      Rcpp::Named("statistic") = numbers_of(t, [](const R& r) { return r.statistic; }),
      Rcpp::Named("crit_val") = numbers_of(t, [](const R& r) { return r.crit_val; }),
      Rcpp::Named("p_value") = numbers_of(t, [](const R& r) { return r.p_value; }),
      Rcpp::Named("stringsAsFactors") = false);
}

Rcpp::DataFrame functionals_frame(const std::vector<rddist::FunctionalResult>& f) {
  using R = rddist::FunctionalResult;
  return Rcpp::DataFrame::create(
      Rcpp::Named("functional") = texts_of(f, [](const R& r) { return r.name; }),
      Rcpp::Named("plus") = numbers_of(f, [](const R& r) { return r.plus; }),
      Rcpp::Named("minus") = numbers_of(f, [](const R& r) { return r.minus; }),
      Rcpp::Named("difference") = numbers_of(f, [](const R& r) { return r.difference; }),
      Rcpp::Named("std.error") = numbers_of(f, [](const R& r) { return r.se; }),
      Rcpp::Named("conf.low") = numbers_of(f, [](const R& r) { return r.conf_low; }),
      Rcpp::Named("conf.high") = numbers_of(f, [](const R& r) { return r.conf_high; }),
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
      Rcpp::Named("notes") = as_character(b.notes),
      Rcpp::Named("h_num_below") = as_numeric(b.h_num_below),
      Rcpp::Named("h_den_below") = b.h_den_below);
}

Rcpp::List estimate_to_list(const rddist::Estimate& e, const rddist::SelectedUnits& units,
                            arma::uword n) {
  const rddist::EstimateOptions& o = e.options;
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("options") = Rcpp::List::create(
          Rcpp::Named("cutoff") = o.cutoff, Rcpp::Named("method") = rddist::to_string(o.method),
          Rcpp::Named("p") = o.p, Rcpp::Named("kernel") = rddist::to_string(o.kernel),
          Rcpp::Named("compat") = rddist::to_string(o.compat), Rcpp::Named("fuzzy") = o.fuzzy),
      Rcpp::Named("tau") = as_numeric(e.tau), Rcpp::Named("h_num") = as_numeric(e.h_num),
      Rcpp::Named("h_den") = e.h_den, Rcpp::Named("common_bandwidth") = e.common_bandwidth,
      Rcpp::Named("plus") = side_to_list(e.plus, e.common_bandwidth, units, n),
      Rcpp::Named("minus") = side_to_list(e.minus, e.common_bandwidth, units, n));
  out["h_num_below"] = as_numeric(e.h_num_below);
  out["h_den_below"] = e.h_den_below;
  out["two_sided"] = e.two_sided;
  if (!e.gamma.is_empty()) out["gamma"] = e.gamma;
  if (!e.gamma_treatment.is_empty()) out["gamma_treatment"] = as_numeric(e.gamma_treatment);
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
  out["statistic"] = as_numeric(r.statistic);
  out["p_value"] = as_numeric(r.p_value);
  out["p_value_uniform"] = as_numeric(r.p_value_uniform);
  out["first_stage_se"] = r.first_stage_se;
  out["first_stage_f"] = r.first_stage_f;
  out["band_type"] = rddist::to_string(r.band);
  out["test_statistic"] = rddist::to_string(r.test_statistic);
  out["band_sides"] = Rcpp::List::create(Rcpp::Named("plus_lower") = as_numeric(r.band_plus_low),
                                         Rcpp::Named("plus_upper") = as_numeric(r.band_plus_high),
                                         Rcpp::Named("minus_lower") = as_numeric(r.band_minus_low),
                                         Rcpp::Named("minus_upper") = as_numeric(r.band_minus_high));
  if (keep_draws) {
    out["process"] = r.process;
    out["nu_plus"] = r.nu_plus;
    out["nu_minus"] = r.nu_minus;
  }
  return out;
}

}  // namespace rddist_r
