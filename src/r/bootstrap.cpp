// rcpp_bootstrap.cpp — R entry point of the multiplier bootstrap (estimate + bootstrap in
// one call, so that the fits are not copied back and forth).
#include "common.h"
#include "rddist/r3d/bootstrap.h"

namespace {

Rcpp::NumericVector as_numeric(const arma::vec& v) { return Rcpp::NumericVector(v.begin(), v.end()); }

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

// [[Rcpp::export(.rddist_bootstrap)]]
Rcpp::List rddist_bootstrap(const arma::vec& x, const arma::mat& quantiles, const arma::vec& q_grid,
                            Rcpp::Nullable<Rcpp::NumericVector> treatment, double cutoff,
                            std::string method, int p, std::string kernel, std::string compat,
                            bool fuzzy, const arma::vec& h_num, double h_den, double draws,
                            double alpha, double seed, Rcpp::Nullable<Rcpp::NumericMatrix> xi,
                            Rcpp::Nullable<Rcpp::IntegerVector> cluster,
                            Rcpp::CharacterVector tests, const arma::mat& ranges,
                            Rcpp::CharacterVector functionals,
                            bool keep_draws, std::string sampler, std::string vce, int threads,
                            bool verbose = false) {
  const rddist::RdData data = rddist_r::rd_data(x, quantiles, q_grid, treatment);
  const rddist::EstimateOptions eo =
      rddist_r::estimate_options(cutoff, method, p, kernel, compat, fuzzy);
  std::vector<std::string> warnings;
  const rddist::Hooks hooks = rddist_r::r_hooks(&warnings, verbose);
  const rddist::Estimate est = rddist::estimate_r3d(data, rddist::Bandwidths{h_num, h_den}, eo, hooks);

  rddist::BootstrapOptions o;
  o.draws = static_cast<arma::uword>(draws);
  o.alpha = alpha;
  o.seed = static_cast<std::uint64_t>(seed);
  o.sampler = sampler == "multipliers" ? rddist::Sampler::multipliers : rddist::Sampler::gaussian;
  o.vce = rddist::parse_vce(vce);  // R resolves the default per mode
  if (xi.isNotNull()) o.multipliers = Rcpp::as<arma::mat>(xi.get());
  if (cluster.isNotNull()) {
    const Rcpp::IntegerVector c(cluster.get());
    o.cluster.set_size(c.size());
    for (R_xlen_t i = 0; i < c.size(); ++i) o.cluster[i] = static_cast<arma::uword>(c[i]);
  }
  for (R_xlen_t k = 0; k < tests.size(); ++k)
    o.tests.push_back(rddist::TestSpec{rddist::parse_test(Rcpp::as<std::string>(tests[k])),
                                       ranges(k, 0), ranges(k, 1)});
  for (R_xlen_t k = 0; k < functionals.size(); ++k)
    o.functionals.push_back(rddist::parse_functional(Rcpp::as<std::string>(functionals[k])));
  o.keep_draws = keep_draws;
  o.threads = static_cast<unsigned>(std::max(1, threads));
  const rddist::BootstrapResult r = rddist::bootstrap_r3d(data, est, o, hooks);
  hooks.report("bootstrap", 1.0);

  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("crit_val") = r.crit_val,
      Rcpp::Named("crit_val_sides") =
          Rcpp::NumericVector::create(Rcpp::Named("plus") = r.crit_val_plus,
                                      Rcpp::Named("minus") = r.crit_val_minus),
      Rcpp::Named("se") = as_numeric(r.se),
      Rcpp::Named("conf_low") = as_numeric(r.conf_low), Rcpp::Named("conf_high") = as_numeric(r.conf_high),
      Rcpp::Named("band_low") = as_numeric(r.band_low), Rcpp::Named("band_high") = as_numeric(r.band_high),
      Rcpp::Named("covariance") = r.covariance,
      Rcpp::Named("se_plus") = as_numeric(r.se_plus), Rcpp::Named("se_minus") = as_numeric(r.se_minus),
      Rcpp::Named("tests") = tests_frame(r.tests),
      Rcpp::Named("functionals") = functionals_frame(r.functionals),
      Rcpp::Named("draws") = static_cast<double>(r.draws),
      Rcpp::Named("sampler") = r.sampler == rddist::Sampler::gaussian ? "gaussian" : "multipliers",
      Rcpp::Named("clusters") = static_cast<double>(r.clusters),
      Rcpp::Named("warnings") = rddist_r::as_character(warnings));
  if (keep_draws) {
    out["process"] = r.process;
    out["nu_plus"] = r.nu_plus;
    out["nu_minus"] = r.nu_minus;
  }
  return out;
}
