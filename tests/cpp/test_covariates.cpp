// Tests of the RD toolkit around the estimator: covariate adjustment, a bandwidth per side,
// donut, placebo cutoffs and mass points. The oracle of the covariate-adjusted estimate is
// the pooled weighted least-squares regression written out densely here, independently of
// the core's partialled-out computation (covariates.h); its residuals give the exact
// variance the bootstrap must reproduce.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "rddist/error.h"
#include "rddist/r3d/analysis.h"
#include "rddist/r3d/bandwidth.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/r3d/covariates.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/unit_order.h"
#include "warning_log.h"

using namespace rddist;

namespace {

// n units, x ~ U(−1, 1), two covariates (one related to x, one binary) and a quantile
// matrix on the deciles whose levels depend on x, the covariates and the side.
RdData covariate_sample(arma::uword n, std::uint64_t seed, bool fuzzy = false) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unif(-1.0, 1.0);
  std::normal_distribution<double> norm(0.0, 1.0);
  RdData d;
  d.q_grid = arma::regspace(1, 9) / 10.0;
  d.x.set_size(n);
  d.covariates.set_size(n, 2);
  d.quantiles.set_size(n, 9);
  d.covariate_names = {"age", "female"};
  if (fuzzy) d.treatment.set_size(n);
  for (arma::uword i = 0; i < n; ++i) {
    const double x = unif(rng);
    const double age = 0.8 * x + norm(rng);
    const double female = unif(rng) > 0.2 ? 1.0 : 0.0;
    d.x[i] = x;
    d.covariates(i, 0) = age;
    d.covariates(i, 1) = female;
    const double level = 1.0 + x - 0.5 * x * x + 0.7 * age - 0.4 * female + 0.3 * norm(rng);
    const double spread = 0.5 + 0.2 * female + 0.1 * std::fabs(x);
    const double jump = x >= 0 ? 0.8 : 0.0;
    for (arma::uword j = 0; j < 9; ++j)
      d.quantiles(i, j) = level + jump * (1.0 + d.q_grid[j]) + spread * (j - 4.0) / 4.0 +
                          0.05 * norm(rng);
    if (fuzzy) d.treatment[i] = (x >= 0 ? unif(rng) < 0.8 : unif(rng) < 0.2) ? 1.0 : 0.0;
  }
  d.quantiles = arma::sort(d.quantiles, "ascend", 1);  // each unit's row increases
  return d;
}

double triangular(double u) { return std::max(0.0, 1.0 - std::fabs(u)); }

// The pooled regression of y (one column) on [1{above} r_p(u₊), 1{below} r_p(u₋), Z], each
// side's rows weighted by its triangular kernel K_h at its own bandwidth: coefficients and
// residuals of the units with positive weight.
struct Pooled {
  arma::vec coef;     // α₊ (p+1), α₋ (p+1), γ (d)
  arma::uvec units;   // units with positive weight
  arma::vec resid;    // their residuals
  arma::vec weight;   // their kernel weights
  double alpha_minus0 = 0.0;
};

Pooled pooled_fit(const RdData& d, const arma::vec& y, double h_above, double h_below, int p) {
  const arma::uword p1 = static_cast<arma::uword>(p) + 1, dz = d.covariates.n_cols;
  std::vector<arma::uword> units;
  std::vector<double> weights;
  for (arma::uword i = 0; i < d.x.n_elem; ++i) {
    // The kernel K_h(x) = K(x/h)/h of each side.
    const double k = d.x[i] >= 0 ? triangular(d.x[i] / h_above) / h_above
                                 : triangular(d.x[i] / h_below) / h_below;
    if (k > 0) {
      units.push_back(i);
      weights.push_back(k);
    }
  }
  Pooled out;
  out.units = arma::uvec(units);
  out.weight = arma::vec(weights);
  arma::mat X(units.size(), 2 * p1 + dz, arma::fill::zeros);
  for (arma::uword r = 0; r < units.size(); ++r) {
    const arma::uword i = units[r];
    const bool above = d.x[i] >= 0;
    const double u = d.x[i] / (above ? h_above : h_below);
    for (arma::uword k = 0; k < p1; ++k) X(r, (above ? 0 : p1) + k) = std::pow(u, k);
    for (arma::uword k = 0; k < dz; ++k) X(r, 2 * p1 + k) = d.covariates(i, k);
  }
  const arma::vec yw = y.elem(out.units);
  const arma::mat XtW = (X.each_col() % out.weight).t();
  out.coef = arma::solve(XtW * X, XtW * yw);
  out.resid = yw - X * out.coef;
  out.alpha_minus0 = out.coef[p1];
  return out;
}

double pooled_tau(const Pooled& f) { return f.coef[0] - f.alpha_minus0; }

// The exact variance of the effect's process for residuals e (one side at a time): with
// s_i the side's intercept weights, Σ s_i² ẽ_i², ẽ adjusted by the side polynomial's
// leverage (hc2: 1/sqrt(1 − h), hc3: 1/(1 − h)).
double exact_variance(const RdData& d, const Pooled& f, double h_above, double h_below, int p,
                      Vce vce) {
  double total = 0.0;
  for (const bool above : {true, false}) {
    std::vector<arma::uword> rows;
    for (arma::uword r = 0; r < f.units.n_elem; ++r)
      if ((d.x[f.units[r]] >= 0) == above) rows.push_back(r);
    const arma::uvec idx(rows);
    const arma::vec u = d.x.elem(f.units.elem(idx)) / (above ? h_above : h_below);
    arma::mat R(u.n_elem, p + 1);
    for (int k = 0; k <= p; ++k) R.col(k) = arma::pow(u, k);
    const arma::vec k = f.weight.elem(idx);
    const arma::mat G_inv = arma::inv(R.t() * (R.each_col() % k));
    const arma::vec s = k % (R * G_inv.col(0));
    const arma::vec lev = k % arma::sum((R * G_inv) % R, 1);
    arma::vec e = f.resid.elem(idx);
    if (vce == Vce::hc2) e /= arma::sqrt(1.0 - lev);
    if (vce == Vce::hc3) e /= 1.0 - lev;
    total += arma::accu(arma::square(s % e));
  }
  return total;
}

EstimateOptions simple_p(int p) {
  EstimateOptions o;
  o.method = Method::simple;
  o.p = p;
  return o;
}

}  // namespace

TEST_CASE("with covariates each level's effect is the pooled regression's intercept gap",
          "[covariates]") {
  const RdData d = covariate_sample(500, 11);
  for (int p : {1, 2}) {
    for (const auto& [ha, hb] : {std::pair{0.6, 0.6}, std::pair{0.7, 0.45}}) {
      Bandwidths bw{arma::vec{ha}};
      if (hb != ha) bw.num_below = arma::vec{hb};
      const Estimate est = estimate_r3d(d, bw, simple_p(p));
      CHECK(est.two_sided == (ha != hb));
      REQUIRE(est.gamma.n_rows == 2);
      for (arma::uword j = 0; j < 9; ++j) {
        const Pooled f = pooled_fit(d, d.quantiles.col(j), ha, hb, p);
        // Both are solutions of the same well-conditioned 2(p+1)+2 system (condition
        // number below 1e4 here); they agree to rounding times that.
        CHECK(est.plus.intercept[j] - est.minus.intercept[j] == Approx(pooled_tau(f)).margin(1e-10));
        CHECK(est.gamma(0, j) == Approx(f.coef[2 * (p + 1)]).margin(1e-10));
        CHECK(est.gamma(1, j) == Approx(f.coef[2 * (p + 1) + 1]).margin(1e-10));
      }
    }
  }
}

TEST_CASE("with covariates the exact variance is that of the pooled regression's residuals",
          "[covariates][bootstrap]") {
  const RdData d = covariate_sample(400, 12);
  const double ha = 0.65, hb = 0.5;
  Bandwidths bw{arma::vec{ha}};
  bw.num_below = arma::vec{hb};
  const Estimate est = estimate_r3d(d, bw, simple_p(1));
  for (Vce vce : {Vce::hc0, Vce::hc2, Vce::hc3}) {
    BootstrapOptions b;
    b.draws = 199;
    b.seed = 1;
    b.vce = vce;
    const BootstrapResult r = bootstrap_r3d(d, est, b);
    for (arma::uword j = 0; j < 9; ++j) {
      const Pooled f = pooled_fit(d, d.quantiles.col(j), ha, hb, 1);
      CHECK(r.se[j] == Approx(std::sqrt(exact_variance(d, f, ha, hb, 1, vce))).epsilon(1e-9));
    }
  }
}

TEST_CASE("a fuzzy design adjusts the first stage the same way", "[covariates]") {
  const RdData d = covariate_sample(600, 13, true);
  EstimateOptions o = simple_p(1);
  o.fuzzy = true;
  Bandwidths bw{arma::vec{0.6}, 0.7};
  const Estimate est = estimate_r3d(d, bw, o);
  const Pooled t = pooled_fit(d, d.treatment, 0.7, 0.7, 1);
  CHECK(est.first_stage.jump == Approx(pooled_tau(t)).margin(1e-10));
  REQUIRE(est.gamma_treatment.n_elem == 2);
  CHECK(est.gamma_treatment[0] == Approx(t.coef[4]).margin(1e-10));
  for (arma::uword j = 0; j < 9; ++j) {
    const Pooled f = pooled_fit(d, d.quantiles.col(j), 0.6, 0.6, 1);
    CHECK((est.plus.intercept[j] - est.minus.intercept[j]) / est.first_stage.jump ==
          Approx(pooled_tau(f) / pooled_tau(t)).margin(1e-9));
  }
}

TEST_CASE("frechet with covariates projects the adjusted curves; order of units is irrelevant",
          "[covariates]") {
  const RdData d = covariate_sample(300, 14);
  EstimateOptions o;  // frechet, p = 2
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.8}}, o);
  CHECK(arma::all(arma::diff(est.plus.curve) >= 0.0));
  for (arma::uword j = 0; j < 9; ++j) {
    const Pooled f = pooled_fit(d, d.quantiles.col(j), 0.8, 0.8, 2);
    CHECK(est.plus.intercept[j] - est.minus.intercept[j] == Approx(pooled_tau(f)).margin(1e-10));
  }
  // Shuffled units: the same numbers to the last bit (the core sorts them canonically).
  arma::uvec perm = arma::regspace<arma::uvec>(0, d.x.n_elem - 1);
  std::mt19937_64 rng(3);
  std::shuffle(perm.begin(), perm.end(), rng);
  const Estimate shuffled = estimate_r3d(permute_units(d, perm), Bandwidths{arma::vec{0.8}}, o);
  CHECK(arma::approx_equal(shuffled.tau, est.tau, "absdiff", 0.0));
  CHECK(arma::approx_equal(shuffled.gamma, est.gamma, "absdiff", 0.0));
}

TEST_CASE("an independent covariate leaves the effect alone; a predictive one narrows it",
          "[covariates]") {
  RdData d = covariate_sample(800, 15);
  RdData none = d;
  none.covariates.reset();
  none.covariate_names.clear();
  const Estimate with = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, simple_p(1));
  const Estimate without = estimate_r3d(none, Bandwidths{arma::vec{0.6}}, simple_p(1));
  BootstrapOptions b;
  b.draws = 199;
  b.seed = 2;
  const double se_with = arma::mean(bootstrap_r3d(d, with, b).se);
  const double se_without = arma::mean(bootstrap_r3d(none, without, b).se);
  CHECK(se_with < 0.8 * se_without);  // age explains much of the level (coefficient 0.7)
}

TEST_CASE("bad covariates are refused, naming the covariate", "[covariates][errors]") {
  RdData d = covariate_sample(200, 16);
  const Bandwidths bw{arma::vec{0.6}};
  RdData missing = d;
  missing.covariates(17, 1) = arma::datum::nan;
  CHECK_THROWS_WITH(estimate_r3d(missing, bw, simple_p(1)),
                    Catch::Contains("covariate 'female' of unit 18 is missing"));
  RdData constant = d;
  constant.covariates.col(1).fill(3.0);
  CHECK_THROWS_WITH(estimate_r3d(constant, bw, simple_p(1)),
                    Catch::Contains("covariate 'female' is constant across units"));
  RdData collinear = d;
  collinear.covariates.col(1) = 2.0 * d.covariates.col(0) - 1.0;
  CHECK_THROWS_WITH(estimate_r3d(collinear, bw, simple_p(1)),
                    Catch::Contains("covariate 'female' is a linear combination"));
  // Constant near the cutoff only: varies in the sample, not in the windows.
  RdData local = d;
  for (arma::uword i = 0; i < d.x.n_elem; ++i)
    local.covariates(i, 1) = std::fabs(d.x[i]) < 0.7 ? 1.0 : 0.0;
  CHECK_THROWS_WITH(estimate_r3d(local, Bandwidths{arma::vec{0.5}}, simple_p(1)),
                    Catch::Contains("covariate 'female' does not vary within the bandwidths"));
  RdData unnamed = constant;
  unnamed.covariate_names.clear();
  CHECK_THROWS_WITH(estimate_r3d(unnamed, bw, simple_p(1)), Catch::Contains("covariate 2 is constant"));
  EstimateOptions compat = simple_p(1);
  compat.compat = Compat::r3d_0_1_0;
  CHECK_THROWS_AS(estimate_r3d(d, bw, compat), argument_error);
}

TEST_CASE("a bandwidth per side fits each side at its own bandwidth", "[bandwidth]") {
  RdData d = covariate_sample(400, 17);
  d.covariates.reset();
  d.covariate_names.clear();
  Bandwidths two{arma::vec{0.7}};
  two.num_below = arma::vec{0.4};
  const Estimate est = estimate_r3d(d, two, simple_p(1));
  const Estimate wide = estimate_r3d(d, Bandwidths{arma::vec{0.7}}, simple_p(1));
  const Estimate narrow = estimate_r3d(d, Bandwidths{arma::vec{0.4}}, simple_p(1));
  CHECK(arma::approx_equal(est.plus.intercept, wide.plus.intercept, "absdiff", 0.0));
  CHECK(arma::approx_equal(est.minus.intercept, narrow.minus.intercept, "absdiff", 0.0));
  CHECK(est.two_sided);
  CHECK_FALSE(wide.two_sided);
  EstimateOptions compat = simple_p(1);
  compat.compat = Compat::r3d_0_1_0;
  CHECK_THROWS_AS(estimate_r3d(d, two, compat), argument_error);
}

TEST_CASE("rule two gives each side the bandwidth of its own MSE", "[bandwidth]") {
  RdData d = covariate_sample(1500, 18);
  d.covariates.reset();
  d.covariate_names.clear();
  BandwidthOptions o;
  o.estimate = simple_p(2);
  o.regularization = 0.0;  // the textbook formula, checkable from the reported plug-ins
  o.rule = BandwidthRule::two;
  const BandwidthSelection sel = select_bandwidths(d, o);
  const double n = static_cast<double>(d.x.n_elem);
  // The widest bandwidth of a side reaches its farthest unit.
  const double hi_above = arma::max(d.x), hi_below = -arma::min(d.x);
  for (arma::uword j = 0; j < 9; ++j) {
    const double above = std::pow(sel.V_plus[j] / (4.0 * sel.B_plus[j] * sel.B_plus[j] * n), 0.2);
    const double below = std::pow(sel.V_minus[j] / (4.0 * sel.B_minus[j] * sel.B_minus[j] * n), 0.2);
    CHECK(sel.h_num[j] == Approx(std::min(above, hi_above)).epsilon(1e-12));
    CHECK(sel.h_num_below[j] == Approx(std::min(below, hi_below)).epsilon(1e-12));
  }
  CHECK(arma::any(sel.h_num != sel.h_num_below));
  o.rule = BandwidthRule::common;
  const BandwidthSelection common = select_bandwidths(d, o);
  CHECK(arma::approx_equal(common.h_num, common.h_num_below, "absdiff", 0.0));
  // The common bandwidth minimises the MSE of the difference: its formula.
  for (arma::uword j = 0; j < 9; ++j) {
    const double gap = common.B_plus[j] - common.B_minus[j];
    const double h = std::pow((common.V_plus[j] + common.V_minus[j]) / (4.0 * gap * gap * n), 0.2);
    CHECK(common.h_num[j] == Approx(std::min(h, std::max(hi_above, hi_below))).epsilon(1e-12));
  }
}

TEST_CASE("the selector with covariates runs on the adjusted responses", "[bandwidth][covariates]") {
  const RdData d = covariate_sample(1200, 19);
  BandwidthOptions o;
  o.estimate.method = Method::frechet;
  const BandwidthSelection sel = select_bandwidths(d, o);
  RdData raw = d;
  raw.covariates.reset();
  raw.covariate_names.clear();
  const BandwidthSelection first = select_bandwidths(raw, o);
  CHECK(sel.covariate_pilot_num[0] == first.h_num[0]);
  const arma::vec h(9, arma::fill::value(first.h_num[0]));
  const arma::mat g = covariate_coefficients_at(d, d.quantiles, h, h, o.estimate, "the outcome");
  RdData adjusted = raw;
  adjusted.quantiles -= covariate_offset(d, covariate_centre(d), g,
                                         arma::regspace<arma::uvec>(0, d.x.n_elem - 1),
                                         arma::regspace<arma::uvec>(0, 8));
  CHECK(sel.h_num[0] == Approx(select_bandwidths(adjusted, o).h_num[0]).epsilon(1e-12));
  CHECK(sel.h_num[0] != Approx(first.h_num[0]).epsilon(1e-3));  // the adjustment matters here
}

TEST_CASE("unit weights in the selector: zero drops the unit, a constant changes nothing",
          "[bandwidth]") {
  RdData d = covariate_sample(900, 20);
  d.covariates.reset();
  d.covariate_names.clear();
  BandwidthOptions o;
  o.estimate = simple_p(2);
  const BandwidthSelection plain = select_bandwidths(d, o);
  RdData scaled = d;
  scaled.unit_weights = arma::vec(d.x.n_elem, arma::fill::value(2.5));
  CHECK(arma::approx_equal(select_bandwidths(scaled, o).h_num, plain.h_num, "reldiff", 1e-12));
  RdData zeros = d;  // every third unit weighs nothing
  zeros.unit_weights = arma::ones(d.x.n_elem);
  std::vector<arma::uword> kept;
  for (arma::uword i = 0; i < d.x.n_elem; ++i) {
    if (i % 3 == 0) zeros.unit_weights[i] = 0.0;
    else kept.push_back(i);
  }
  const BandwidthSelection dropped = select_bandwidths(permute_units(d, arma::uvec(kept)), o);
  CHECK(arma::approx_equal(select_bandwidths(zeros, o).h_num, dropped.h_num, "reldiff", 1e-12));
  CHECK_FALSE(arma::approx_equal(dropped.h_num, plain.h_num, "reldiff", 1e-6));
}

TEST_CASE("donut and placebo cutoffs keep the units they say", "[analysis]") {
  RdData d = covariate_sample(600, 21);
  d.covariates.reset();
  d.covariate_names.clear();
  AnalysisRequest r;
  r.data = d;
  r.estimate = simple_p(1);
  r.bandwidth.outcome = arma::vec{0.6};
  r.last_stage = Stage::estimate;
  r.units.donut = 0.05;
  const AnalysisResult donut = run_analysis(r);
  const arma::uvec outside = arma::find(arma::abs(d.x) >= 0.05);
  CHECK(donut.units.donut == d.x.n_elem - outside.n_elem);
  CHECK(donut.units.donut > 0);
  const Estimate manual = estimate_r3d(permute_units(d, outside), Bandwidths{arma::vec{0.6}}, r.estimate);
  CHECK(arma::approx_equal(donut.estimate->tau, manual.tau, "absdiff", 0.0));

  r.units.donut = 0.0;
  r.units.true_cutoff = 0.0;
  r.estimate.cutoff = 0.5;
  r.bandwidth.outcome = arma::vec{0.3};
  const AnalysisResult placebo = run_analysis(r);
  const arma::uvec above = arma::find(d.x >= 0.0);
  CHECK(placebo.units.other_side == d.x.n_elem - above.n_elem);
  const Estimate manual_placebo =
      estimate_r3d(permute_units(d, above), Bandwidths{arma::vec{0.3}}, r.estimate);
  CHECK(arma::approx_equal(placebo.estimate->tau, manual_placebo.tau, "absdiff", 0.0));
  // A placebo cutoff beyond its side's data, or at the true cutoff, is refused.
  r.estimate.cutoff = -0.5;
  r.units.true_cutoff = 0.0;
  CHECK_NOTHROW(run_analysis(r));
  r.estimate.cutoff = 0.0;
  CHECK_THROWS_AS(run_analysis(r), argument_error);
  // A fuzzy placebo analysis is refused: the treatment does not jump there.
  r.estimate.cutoff = -0.5;
  r.estimate.fuzzy = true;
  CHECK_THROWS_WITH(run_analysis(r), Catch::Contains("true_cutoff: the treatment does not jump") &&
                                         Catch::Contains("drop the treatment (estimate.fuzzy)"));
  r.estimate.fuzzy = false;
  r.units.true_cutoff = arma::datum::nan;
  r.units.donut = 2.0;
  CHECK_THROWS_WITH(run_analysis(r), Catch::Contains("use a smaller"));
  r.units.donut = -1.0;
  CHECK_THROWS_AS(run_analysis(r), argument_error);
}

TEST_CASE("mass points in the running variable are reported with the numbers", "[analysis]") {
  RdData d = covariate_sample(600, 22);
  d.covariates.reset();
  d.covariate_names.clear();
  AnalysisRequest r;
  r.estimate = simple_p(1);
  r.bandwidth.outcome = arma::vec{0.6};
  r.last_stage = Stage::estimate;
  WarningLog log;
  const Hooks hooks = log.hooks();
  auto& warnings = log.warnings;
  r.data = d;
  run_analysis(r, hooks);
  CHECK(warnings.empty());
  r.data.x = arma::round(d.x * 20.0) / 20.0;  // 41 values for 600 units
  run_analysis(r, hooks);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("mass points in the running variable") &&
                              Catch::Contains("share 21 distinct values"));
}
