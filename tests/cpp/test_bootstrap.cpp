// Tests of bootstrap: parity with R3D's deterministic bootstrap (given multipliers), the
// equivalence of the two samplers, reproducibility, clusters, and the test statistics.
#include <catch2/catch.hpp>

#include "golden.h"
#include "test_data.h"
#include "warning_log.h"
#include "rddist/r3d/bandwidth.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/r3d/functionals.h"
#include "rddist/error.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/simulate.h"
#include "rddist/r3d/quantiles.h"
#include "rddist/r3d/unit_order.h"

using namespace rddist;

namespace {

RdData sharp20() {
  const arma::mat m = golden::read("ref_data_sharp_simple_20.csv").matrix();
  RdData d;
  d.x = m.col(0);
  d.quantiles = m.cols(1, m.n_cols - 1);
  d.q_grid = arma::regspace(1, 20) / 21.0;
  return d;
}

// The reference setting: sharp, simple, Epanechnikov, selected bandwidths, compat mode.
Estimate reference_estimate(const RdData& d) {
  BandwidthOptions bo;
  bo.estimate.method = Method::simple;
  bo.estimate.kernel = Kernel::epanechnikov;
  bo.estimate.compat = Compat::r3d_0_1_0;
  const BandwidthSelection sel = select_bandwidths(d, bo);
  EstimateOptions eo;
  eo.method = Method::simple;
  eo.kernel = Kernel::epanechnikov;
  eo.compat = Compat::r3d_0_1_0;
  return estimate_r3d(d, Bandwidths{sel.h_num}, eo);
}

}  // namespace

TEST_CASE("with R3D's multipliers the band, process and tests match R3D exactly", "[bootstrap]") {
  const RdData d = sharp20();
  const Estimate est = reference_estimate(d);
  BootstrapOptions o;
  o.multipliers = golden::read("ref_xi_matrix.csv").matrix();
  REQUIRE(o.multipliers.n_rows == 200);
  o.keep_draws = true;
  o.tests = {TestType::nullity, TestType::homogeneity};  // on the whole grid
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  const golden::Table band = golden::read("ref_bootstrap_deterministic.csv");
  CHECK(golden::max_rel_error(r.band_low, band.col("cb_lower")) <= 1e-8);
  CHECK(golden::max_rel_error(r.band_high, band.col("cb_upper")) <= 1e-8);
  CHECK(std::fabs(r.crit_val / band.col("crit_val")[0] - 1.0) <= 1e-8);
  const arma::mat taus = golden::read("ref_bootstrap_taus.csv").matrix();  // levels × draws
  CHECK(golden::max_rel_error(r.process.t(), taus) <= 1e-8);
  const golden::Table p = golden::read("ref_pvalues_deterministic.csv");
  const arma::vec pv = p.col("p_value"), stat = p.col("test_stat");
  REQUIRE(r.tests.size() == 2);
  CHECK(r.tests[0].p_value == pv[0]);
  CHECK(std::fabs(r.tests[0].statistic / stat[0] - 1.0) <= 1e-8);
  CHECK(r.tests[1].p_value == pv[1]);
  CHECK(std::fabs(r.tests[1].statistic / stat[1] - 1.0) <= 1e-8);
}

TEST_CASE("the same seed gives the same draws; another seed does not", "[bootstrap]") {
  {
    // Without a seed one is drawn, and reported so that the run can be repeated.
    const RdData d = test_data::simulated(1, 200, 30, false, 3);
    const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
    BootstrapOptions o;
    o.draws = 99;
    const BootstrapResult first = bootstrap_r3d(d, est, o);
    o.seed = first.seed;
    const BootstrapResult again = bootstrap_r3d(d, est, o);
    CHECK(again.crit_val == first.crit_val);
  }
  const RdData d = test_data::simulated(1, 400, 60, false, 3);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {});
  for (Sampler s : {Sampler::gaussian, Sampler::multipliers}) {
    BootstrapOptions o;
    o.draws = 199;
    o.sampler = s;
    o.seed = 11;
    const BootstrapResult a = bootstrap_r3d(d, est, o), b = bootstrap_r3d(d, est, o);
    CHECK(a.crit_val == b.crit_val);
    CHECK(arma::approx_equal(a.se, b.se, "absdiff", 0.0));
    o.seed = 12;
    CHECK(bootstrap_r3d(d, est, o).crit_val != a.crit_val);
  }
}

TEST_CASE("the result does not depend on the order of the units", "[bootstrap]") {
  const RdData d = test_data::simulated(2, 300, 60, true, 4);
  RdData r = d;
  const arma::uvec perm = arma::shuffle(arma::regspace<arma::uvec>(0, 299));
  r.x = d.x.elem(perm);
  r.treatment = d.treatment.elem(perm);
  r.quantiles = d.quantiles.rows(perm);
  EstimateOptions eo;
  eo.fuzzy = true;
  const Bandwidths h{arma::vec{0.6}, 0.6};
  for (Sampler s : {Sampler::gaussian, Sampler::multipliers}) {
    BootstrapOptions o;
    o.draws = 99;
    o.seed = 1;
    o.sampler = s;
    const BootstrapResult a = bootstrap_r3d(d, estimate_r3d(d, h, eo), o);
    const BootstrapResult b = bootstrap_r3d(r, estimate_r3d(r, h, eo), o);
    CHECK(a.crit_val == b.crit_val);
    CHECK(arma::approx_equal(a.se, b.se, "absdiff", 0.0));
  }
}

TEST_CASE("clusters of size one equal the unclustered bootstrap", "[bootstrap]") {
  const RdData d = test_data::simulated(1, 300, 60, false, 5);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {});
  for (Sampler s : {Sampler::gaussian, Sampler::multipliers}) {
    BootstrapOptions o;
    o.draws = 99;
    o.seed = 1;  // both runs draw the same multipliers
    o.sampler = s;
    const BootstrapResult plain = bootstrap_r3d(d, est, o);
    o.cluster = arma::regspace<arma::uvec>(1000, 1299);  // labels are arbitrary
    const BootstrapResult clustered = bootstrap_r3d(d, est, o);
    CHECK(clustered.clusters == 300);
    CHECK(clustered.crit_val == Approx(plain.crit_val).epsilon(1e-12));
    CHECK(arma::approx_equal(clustered.se, plain.se, "reldiff", 1e-12));
  }
}

TEST_CASE("the two samplers have the same distribution", "[bootstrap]") {
  // Pointwise standard errors from 4000 draws: their Monte Carlo relative error is
  // about 1/sqrt(2 · 4000) = 1.1%, so the two samplers agree within 6%.
  const RdData d = test_data::simulated(2, 500, 60, true, 6);
  EstimateOptions eo;
  eo.fuzzy = true;
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}, 0.7}, eo);
  BootstrapOptions o;
  o.draws = 4000;
  const BootstrapResult g = bootstrap_r3d(d, est, o);
  o.sampler = Sampler::multipliers;
  const BootstrapResult m = bootstrap_r3d(d, est, o);
  CHECK(arma::approx_equal(g.se, m.se, "reldiff", 0.06));
  CHECK(g.crit_val == Approx(m.crit_val).epsilon(0.06));
}

TEST_CASE("clustered multipliers widen the band when clusters share shocks", "[bootstrap]") {
  // Ten clusters: the effective sample is small, so the pointwise standard errors
  // estimated with clusters differ from the unclustered ones; both are positive.
  const RdData d = test_data::simulated(1, 400, 60, false, 7);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 999;
  o.cluster = arma::conv_to<arma::uvec>::from(arma::floor((d.x + 1.0) * 5.0));
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  CHECK(r.clusters == 10);
  CHECK(arma::all(r.se > 0.0));
}

TEST_CASE("one cluster is refused and few clusters are warned about", "[bootstrap][clusters]") {
  const RdData d = test_data::simulated(1, 300, 40, false, 9);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;
  o.vce = Vce::hc0;
  WarningLog log;
  const Hooks hooks = log.hooks();
  auto& warnings = log.warnings;
  o.cluster = arma::uvec(300, arma::fill::value(7));
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o, hooks), Catch::Contains("1 cluster"));
  // Two clusters (by the sign of x): one a side, whose kernel-weighted residuals sum to
  // zero, so neither side adds variance: refused, naming the side.
  o.cluster = arma::conv_to<arma::uvec>::from(d.x >= 0.0);
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o, hooks),
                    Catch::Contains("window above the cutoff belong to one cluster"));
  // One cluster below and many above: the below side would add nothing and the standard
  // errors would be confidently too small; refused as well.
  o.cluster = arma::conv_to<arma::uvec>::from(arma::floor(arma::clamp(d.x, 0.0, 1.0) * 40.0));
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o, hooks),
                    Catch::Contains("window below the cutoff belong to one cluster"));
  REQUIRE(warnings.empty());
  // Two clusters a side: allowed, with the few-clusters warning giving the counts.
  o.cluster = arma::conv_to<arma::uvec>::from(arma::floor((d.x + 1.0) * 2.0));
  (void)bootstrap_r3d(d, est, o, hooks);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("only 4 clusters") && Catch::Contains("2 above") &&
                              Catch::Contains("too narrow"));
  warnings.clear();
  // Bins of x of width 1/40: 48 clusters in the window |x| < 0.6, 24 a side, no
  // warning; of width 1/10: 12 in the window, 6 a side, too few.
  warnings.clear();
  o.cluster = arma::conv_to<arma::uvec>::from(arma::floor((d.x + 1.0) * 40.0));
  (void)bootstrap_r3d(d, est, o, hooks);
  CHECK(warnings.empty());
  o.cluster = arma::conv_to<arma::uvec>::from(arma::floor((d.x + 1.0) * 10.0));
  (void)bootstrap_r3d(d, est, o, hooks);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("only 12 clusters") && Catch::Contains("6 above"));
}

TEST_CASE("band, intervals, p-values and functionals are coherent", "[bootstrap]") {
  const RdData d = test_data::simulated(2, 600, 60, false, 8);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {});
  BootstrapOptions o;
  o.draws = 499;
  o.seed = 3;
  o.keep_draws = true;
  o.tests = {TestType::nullity, TestType::homogeneity, TestType::gini};
  o.test_ranges = {TestRange{0.1, 0.9}, TestRange{0.2, 0.8}};
  o.functionals = {FunctionalSpec{FunctionalType::mean}, FunctionalSpec{FunctionalType::gini},
                   FunctionalSpec{FunctionalType::spread, 0.1, 0.9}};
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  CHECK(arma::all(r.band_low <= est.tau));
  CHECK(arma::all(r.band_high >= est.tau));
  CHECK(arma::all(r.conf_low <= est.tau));
  // The band's critical value, an order statistic of the sup over levels of |Ĝ_b|/ŝ, is at
  // least the same order statistic of every single level's |Ĝ_b(q)|/ŝ(q): the uniform band
  // is wider than the bootstrap's pointwise band at every level. (It need not be wider than
  // the normal interval ±1.96 ŝ: with strongly correlated levels ĉ is near 1.96 and its
  // Monte Carlo noise can put it just below.)
  const auto rank = static_cast<arma::uword>(std::ceil(0.95 * (o.draws + 1) - 1e-9));
  for (arma::uword j = 0; j < est.q_grid.n_elem; ++j) {
    const arma::vec level = arma::sort(arma::abs(r.process.col(j)) / r.se[j]);
    CHECK(r.crit_val >= level[rank - 1] * (1.0 - 1e-12));
  }
  for (const TestResult& t : r.tests) {
    CHECK(t.p_value >= 0.0);
    CHECK(t.p_value <= 1.0);
  }
  // Each test on each range, the Gini test once on the whole grid.
  REQUIRE(r.tests.size() == 5);
  CHECK(r.tests[1].type == TestType::nullity);
  CHECK(r.tests[1].levels == 7);
  CHECK(r.tests[3].levels == 7);
  CHECK(r.tests[4].type == TestType::gini);
  CHECK(r.tests[4].low == d.q_grid.min());
  CHECK(r.tests[4].high == d.q_grid.max());
  REQUIRE(r.functionals.size() == 3);
  CHECK(r.functionals[2].name == "q90-q10");
  for (const char* text : {"mean", "gini", "q90-q10", "q75-q25", "lower_mean:0.1", "upper_mean:0.95"})
    CHECK(parse_functional(text).name() == text);
  CHECK_THROWS_WITH(parse_functional("q10-q90"), Catch::Contains("0 <= A < B"));
  CHECK_THROWS_WITH(parse_functional("variance"), Catch::Contains("not a functional"));
  for (const FunctionalResult& f : r.functionals) {
    CHECK(f.conf_low <= f.difference);
    CHECK(f.conf_high >= f.difference);
    CHECK(f.se > 0.0);
  }
  // The mean functional is linear in the curves: its difference is the mean of τ̂ over the
  // extended grid.
  CHECK(r.functionals[0].difference == Approx(r.functionals[0].plus - r.functionals[0].minus));
}

TEST_CASE("a degenerate bootstrap is reported as such, never as certainty", "[bootstrap]") {
  // Every unit has the same quantile function, so τ̂ and every draw are rounding noise
  // (≈ 1e-15): there is no variation to measure uncertainty with. So too after shifting
  // the units above the cutoff: the effect is exact in these data but the bootstrap cannot
  // say so. Intervals, band and tests are NA, with a warning, not zero-width or p = 0.
  RdData d = test_data::simulated(1, 300, 20, false, 9);
  for (arma::uword i = 0; i < d.x.n_elem; ++i) d.quantiles.row(i) = (3.0 + d.q_grid).t();
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;
  o.tests = {TestType::nullity, TestType::homogeneity, TestType::gini, TestType::nonnegative};
  for (double shift : {0.0, 0.5}) {
    RdData s = d;
    for (arma::uword i = 0; i < s.x.n_elem; ++i)
      if (s.x[i] >= 0.0) s.quantiles.row(i) += shift;
    WarningLog log;
    const Hooks hooks = log.hooks();
    auto& warnings = log.warnings;
    const Estimate est = estimate_r3d(s, Bandwidths{arma::vec{0.5}}, {});
    const BootstrapResult r = bootstrap_r3d(s, est, o, hooks);
    CHECK(!arma::is_finite(r.se));  // rounding noise (about 1e-15) is reported as NaN
    CHECK(arma::all(arma::abs(arma::vec(r.covariance.diag())) < 1e-20));
    CHECK(!arma::is_finite(r.conf_low));
    CHECK(!arma::is_finite(r.band_low));
    CHECK(!arma::is_finite(r.p_value));
    CHECK(!arma::is_finite(r.p_value_uniform));
    CHECK(std::isnan(r.crit_val));
    for (const TestResult& t : r.tests) CHECK(std::isnan(t.p_value));
    REQUIRE(warnings.size() >= 1);
    CHECK_THAT(warnings[0], Catch::Contains("degenerate") && Catch::Contains("NA"));
  }
}

TEST_CASE("noiseless outcomes whose side curves vanish at the cutoff are degenerate too", "[bootstrap]") {
  // Every draw of unit i equals x_i (y = x): each side's fit is exact and its intercept
  // is zero up to rounding, so the scale of the noise must come from the outcomes, not
  // from the curves.
  RdData d = test_data::simulated(1, 300, 20, false, 10);
  for (arma::uword i = 0; i < d.x.n_elem; ++i) d.quantiles.row(i).fill(d.x[i]);
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;
  WarningLog log;
  const Hooks hooks = log.hooks();
  auto& warnings = log.warnings;
  const BootstrapResult r = bootstrap_r3d(d, estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {}), o, hooks);
  CHECK(!arma::is_finite(r.conf_low));
  CHECK(!arma::is_finite(r.p_value));
  REQUIRE(warnings.size() >= 1);
  CHECK_THAT(warnings[0], Catch::Contains("degenerate at every level"));
}

TEST_CASE("a shift of the outcomes changes no bandwidth, standard error or test", "[bootstrap]") {
  // y + 1e11: every estimate moves by 1e11, nothing else may change. Stored at 1e11 the
  // outcomes keep about 1.5e-5 of absolute precision, against standard errors near 0.1,
  // so standard errors and bandwidths agree to 1e-3 relative. Each side curve is a sum of
  // about 500 weighted values of size 1e11, whose rounding can reach 500 · 2.2e-16 · 1e11
  // = 1.1e-2 per side (seen: 9e-4 with OpenBLAS, 1.8e-3 with the reference BLAS), so τ̂ is
  // compared to 2.2e-2. What must not happen is the shift being read as rounding noise
  // (a degenerate warning, NA intervals, the widest bandwidth).
  const RdData d = test_data::simulated(1, 500, 50, false, 4);
  RdData s = d;
  s.quantiles += 1e11;
  WarningLog log;
  const Hooks hooks = log.hooks();
  const BandwidthSelection h = select_bandwidths(d, {}), hs = select_bandwidths(s, {}, hooks);
  CHECK(arma::approx_equal(h.h_num, hs.h_num, "reldiff", 1e-3));
  CHECK(hs.notes == h.notes);
  BootstrapOptions o;
  o.draws = 499;
  o.seed = 2;
  o.tests = {TestType::nullity, TestType::homogeneity};
  const Estimate est = estimate_r3d(d, Bandwidths{h.h_num}, {});
  const Estimate ests = estimate_r3d(s, Bandwidths{h.h_num}, {}, hooks);
  const BootstrapResult r = bootstrap_r3d(d, est, o), rs = bootstrap_r3d(s, ests, o, hooks);
  CHECK(log.warnings.empty());
  CHECK(arma::approx_equal(r.se, rs.se, "reldiff", 1e-3));
  CHECK(arma::approx_equal(est.tau, ests.tau, "absdiff", 2.2e-2));
  CHECK(rs.crit_val == Approx(r.crit_val).epsilon(1e-3));
  REQUIRE(rs.tests.size() == r.tests.size());
  for (std::size_t t = 0; t < r.tests.size(); ++t)
    CHECK(rs.tests[t].p_value == Approx(r.tests[t].p_value).margin(0.01));
}

TEST_CASE("a side fit that passes through every unit is refused", "[bootstrap]") {
  // Two units below the cutoff for a local linear fit: its residuals are zero, the side
  // would add no variance and the intervals would be far too narrow.
  const RdData d = test_data::simulated(1, 300, 40, false, 9);
  const arma::uvec below = arma::find(d.x < 0.0 && d.x > -0.6);
  arma::uvec keep = arma::join_cols(arma::uvec(arma::find(d.x >= 0.0)), below.head(2));
  const RdData few = permute_units(d, arma::sort(keep));
  EstimateOptions linear;
  linear.p = 1;
  const Estimate est = estimate_r3d(few, Bandwidths{arma::vec{0.6}}, linear);
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;
  for (Vce vce : {Vce::hc0, Vce::hc2, Vce::hc3}) {
    o.vce = vce;
    CHECK_THROWS_WITH(bootstrap_r3d(few, est, o),
                      Catch::Contains("outcome fit below the cutoff has 2 unit(s) for 2") &&
                          Catch::Contains("passes through every unit"));
  }
  // Compatibility mode reproduces R3D 0.1.0, which computes such intervals: a warning.
  EstimateOptions compat = linear;
  compat.compat = Compat::r3d_0_1_0;
  o.vce.reset();
  WarningLog log;
  CHECK_NOTHROW(bootstrap_r3d(few, estimate_r3d(few, Bandwidths{arma::vec{0.6}}, compat), o,
                              log.hooks()));
  REQUIRE(!log.warnings.empty());
  CHECK_THAT(log.warnings[0], Catch::Contains("passes through every unit"));
  // One more unit leaves one residual degree of freedom: allowed.
  keep = arma::join_cols(arma::uvec(arma::find(d.x >= 0.0)), below.head(3));
  const RdData three = permute_units(d, arma::sort(keep));
  o.vce = Vce::hc0;
  CHECK_NOTHROW(bootstrap_r3d(three, estimate_r3d(three, Bandwidths{arma::vec{0.6}}, linear), o));
}

TEST_CASE("a fuzzy design reports its first stage's strength and warns when it is weak",
          "[bootstrap]") {
  // A treatment unrelated to the side: no real first stage, an estimated jump that is
  // noise. Its F is small and the bootstrap says so; a strong first stage is quiet.
  RdData d = test_data::simulated(1, 400, 40, false, 5);
  arma::arma_rng::set_seed(3);
  EstimateOptions eo;
  eo.fuzzy = true;
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;
  for (double strength : {0.0, 0.8}) {
    const arma::vec u(d.x.n_elem, arma::fill::randu);
    d.treatment = arma::conv_to<arma::vec>::from(u < 0.5 + strength * (arma::conv_to<arma::vec>::from(d.x >= 0.0) - 0.5));
    WarningLog log;
    const Hooks hooks = log.hooks();
    const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}, 0.5}, eo);
    const BootstrapResult r = bootstrap_r3d(d, est, o, hooks);
    REQUIRE(std::isfinite(r.first_stage_se));
    CHECK(r.first_stage_f == Approx(std::pow(est.first_stage.jump / r.first_stage_se, 2)));
    bool warned = false;
    for (const std::string& w : log.warnings) warned = warned || w.find("F = ") != std::string::npos;
    CHECK(warned == (r.first_stage_f < 10.0));
    CHECK(warned == (strength == 0.0));
  }
  // The standard error agrees with the spread of the first stage's own bootstrap draws.
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}, 0.5}, eo);
  o.keep_draws = true;
  o.draws = 4000;
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  CHECK(arma::stddev(r.nu_t_plus - r.nu_t_minus) == Approx(r.first_stage_se).epsilon(0.05));
}

TEST_CASE("a spread with levels beyond the grid is refused, not clamped", "[bootstrap][functionals]") {
  const RdData d = test_data::simulated(1, 300, 40, false, 12);  // on the deciles
  REQUIRE(d.q_grid.front() == Approx(0.1));
  REQUIRE(d.q_grid.back() == Approx(0.9));
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;
  o.functionals = {FunctionalSpec{FunctionalType::spread, 0.05, 0.95}};
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o),
                    Catch::Contains("0.05 and 0.95") && Catch::Contains("covers only 0.1 to 0.9"));
  o.functionals = {FunctionalSpec{FunctionalType::spread, 0.1, 0.9}};
  CHECK_NOTHROW(bootstrap_r3d(d, est, o));
}

TEST_CASE("a real effect on noisy data is rejected by every test of it", "[bootstrap]") {
  const RdData d = test_data::simulated(1, 1000, 50, false, 4, 3.0);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 999;
  o.seed = 2;
  o.tests = {TestType::nullity, TestType::nonnegative, TestType::nonpositive};
  for (const auto& [band, statistic] :
       {std::pair{BandType::studentized, TestStatistic::sup}, {BandType::constant, TestStatistic::sup},
        {BandType::studentized, TestStatistic::cvm}, {BandType::constant, TestStatistic::cvm},
        {BandType::studentized, TestStatistic::minp}}) {
    o.band = band;
    o.test_statistic = statistic;
    const BootstrapResult r = bootstrap_r3d(d, est, o);
    CHECK(r.test_statistic == statistic);
    CHECK(r.tests[0].p_value < 0.01);  // τ = 3 at every level: not zero
    CHECK(r.tests[1].p_value > 0.5);   // nor negative anywhere
    CHECK(r.tests[2].p_value < 0.01);  // but positive
    // No draw reaches the statistic: the Monte Carlo p-value is 1/(B + 1), never 0.
    CHECK(r.tests[0].p_value == Approx(1.0 / 1000.0).epsilon(1e-12));
    CHECK(arma::all(r.p_value_uniform < 0.05));
    CHECK(arma::all(r.p_value_uniform >= r.p_value - 1e-12));  // uniform p >= pointwise p
  }
}

TEST_CASE("exact standard errors and covariance; the bands are order statistics of the draws",
          "[bootstrap]") {
  // The covariance is the process's exact covariance given the data; the sample covariance
  // of 20000 draws is within Monte Carlo error of it (relative sd of a variance ≈
  // sqrt(2/B) = 1%: allow 5% on the diagonal, 0.05·se·se off it).
  const RdData d = test_data::simulated(1, 400, 60, false, 5);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 20000;
  o.seed = 11;
  o.keep_draws = true;
  const BootstrapResult kept = bootstrap_r3d(d, est, o);
  REQUIRE(kept.covariance.n_rows == d.q_grid.n_elem);
  REQUIRE(kept.covariance.n_cols == d.q_grid.n_elem);
  CHECK(arma::approx_equal(arma::sqrt(kept.covariance.diag()), kept.se, "reldiff", 1e-12));
  CHECK(kept.covariance.is_symmetric(1e-12));
  const arma::mat sample = arma::cov(kept.process);
  CHECK(arma::approx_equal(sample.diag(), kept.covariance.diag(), "reldiff", 0.05));
  CHECK(arma::abs(sample - kept.covariance).max() <= 0.05 * arma::max(kept.se) * arma::max(kept.se));
  CHECK(arma::approx_equal(arma::stddev(kept.nu_plus, 0, 0).t(), kept.se_plus, "reldiff", 0.05));
  CHECK(arma::approx_equal(arma::stddev(kept.nu_minus, 0, 0).t(), kept.se_minus, "reldiff", 0.05));
  // Keeping the draws changes nothing else.
  o.keep_draws = false;
  o.draws = 300;
  const BootstrapResult lean = bootstrap_r3d(d, est, o);
  CHECK(lean.process.is_empty());
  o.keep_draws = true;
  const BootstrapResult small = bootstrap_r3d(d, est, o);
  CHECK(lean.crit_val == small.crit_val);
  // Studentized (the default) and constant bands: the ⌈0.95 (B + 1)⌉-th smallest sup over
  // levels of |draw| / s, s the standard error or one.
  const auto critical = [](const arma::mat& draws, const arma::vec& s) {
    const arma::mat scaled = draws.each_row() / s.t();
    const arma::vec sup = arma::sort(arma::vec(arma::max(arma::abs(scaled), 1)));
    return sup[static_cast<arma::uword>(std::ceil(0.95 * (sup.n_elem + 1))) - 1];
  };
  CHECK(small.band == BandType::studentized);
  CHECK(small.crit_val == Approx(critical(small.process, small.se)).epsilon(1e-12));
  CHECK(small.crit_val_plus == Approx(critical(small.nu_plus, small.se_plus)).epsilon(1e-12));
  CHECK(small.crit_val_minus == Approx(critical(small.nu_minus, small.se_minus)).epsilon(1e-12));
  CHECK(arma::approx_equal(small.band_high, est.tau + small.crit_val * small.se, "absdiff", 1e-12));
  const arma::vec ones(d.q_grid.n_elem, arma::fill::ones);
  o.band = BandType::constant;
  const BootstrapResult constant = bootstrap_r3d(d, est, o);
  CHECK(constant.crit_val == Approx(critical(constant.process, ones)).epsilon(1e-12));
  CHECK(arma::approx_equal(constant.band_high - constant.band_low,
                           arma::vec(d.q_grid.n_elem, arma::fill::value(2 * constant.crit_val)),
                           "absdiff", 1e-12));
  // Uniform p-values: the smallest α whose band excludes zero at q. Check the definition
  // directly: the band at α = p excludes zero, the band at a slightly smaller α does not.
  const arma::mat scaled = small.process.each_row() / small.se.t();
  const arma::vec sup = arma::max(arma::abs(scaled), 1);
  for (arma::uword j = 0; j < d.q_grid.n_elem; ++j) {
    const double p = small.p_value_uniform[j], t = std::fabs(est.tau[j]) / small.se[j];
    CHECK(p == Approx((arma::accu(sup >= t) + 1.0) / (sup.n_elem + 1.0)));
    if (p < 1.0) CHECK(critical_value(sup, p) < t);
    if (p > 1.0 / 301) CHECK(critical_value(sup, p - 1e-6) >= t);
  }
}

TEST_CASE("a fuzzy design with a perfect first stage bootstraps like the sharp one", "[bootstrap]") {
  RdData d = test_data::simulated(1, 400, 60, false, 9);
  d.treatment = arma::conv_to<arma::vec>::from(d.x >= 0.0);
  const Estimate sharp = estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {});
  EstimateOptions eo;
  eo.fuzzy = true;
  const Estimate fuzzy = estimate_r3d(d, Bandwidths{arma::vec{0.5}, 0.5}, eo);
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 1;  // both runs draw the same multipliers
  o.sampler = Sampler::multipliers;
  const BootstrapResult a = bootstrap_r3d(d, sharp, o), b = bootstrap_r3d(d, fuzzy, o);
  CHECK(b.crit_val == Approx(a.crit_val).epsilon(1e-10));
  CHECK(arma::approx_equal(a.se, b.se, "reldiff", 1e-10));
}

TEST_CASE("the default residual adjustment is hc3 in paper mode and hc0 in compatibility mode",
          "[bootstrap]") {
  const RdData d = test_data::simulated(1, 300, 40, false, 11);
  BootstrapOptions o;
  o.draws = 99;
  EstimateOptions paper;
  const BootstrapResult a = bootstrap_r3d(d, estimate_r3d(d, Bandwidths{arma::vec{0.6}}, paper), o);
  CHECK(a.vce == Vce::hc3);
  EstimateOptions compat;
  compat.compat = Compat::r3d_0_1_0;
  const BootstrapResult b = bootstrap_r3d(d, estimate_r3d(d, Bandwidths{arma::vec{0.6}}, compat), o);
  CHECK(b.vce == Vce::hc0);
}

TEST_CASE("bootstrap inputs are checked", "[bootstrap][errors]") {
  const RdData d = test_data::simulated(1, 200, 60, false, 10);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 10;
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("too few"));
  o.draws = 99;
  o.alpha = 1.5;
  CHECK_THROWS_AS(bootstrap_r3d(d, est, o), invalid_argument);
  o.alpha = 0.05;
  o.multipliers = arma::mat(10, 99, arma::fill::randn);
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("one row per unit"));
  // Constant columns make zero draws (each side's residuals sum to zero).
  o.multipliers = arma::mat(200, 99, arma::fill::randn);
  o.multipliers.col(4).fill(1.0);
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("column 5 of the multiplier matrix"));
  o.multipliers(3, 4) = NAN;
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("non-finite"));
  o.multipliers.reset();
  // A tail mean whose tail lies beyond the grid is refused, as spreads are.
  o.functionals = {parse_functional("lower_mean:0.005")};
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("that tail is not estimated"));
  o.functionals = {parse_functional("upper_mean:0.995")};
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("that tail is not estimated"));
  o.functionals.clear();
  o.tests = {TestType::homogeneity};
  o.test_ranges = {TestRange{0.5, 0.55}};
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("at least 2"));
  o.test_ranges = {TestRange{0.8, 0.2}};
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("from a lower to a higher level"));
  o.tests.reset();
  o.test_ranges.clear();
  o.cluster = arma::uvec(5, arma::fill::zeros);
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("cluster labels"));
}

TEST_CASE("the cdf functional is the change in P(Y <= y) at the cutoff; y must be inside",
          "[bootstrap]") {
  const RdData d = test_data::simulated(1, 500, 50, false, 6, 1.0);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 199;
  o.seed = 3;
  o.functionals = {parse_functional("cdf:5")};
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  REQUIRE(r.functionals.size() == 1);
  const FunctionalResult& f = r.functionals[0];
  CHECK(f.name == "cdf:5");
  CHECK(f.plus == Approx(distribution_at(est.q_grid, est.plus.curve, 5.0)).epsilon(1e-14));
  CHECK(f.minus == Approx(distribution_at(est.q_grid, est.minus.curve, 5.0)).epsilon(1e-14));
  // The treated side is shifted up by 1, so fewer of its outcomes lie below 5.
  CHECK(f.difference < 0.0);
  CHECK(f.conf_low <= f.difference);
  CHECK(f.difference <= f.conf_high);
  o.functionals = {parse_functional("cdf:100")};
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("cdf:100: the value 100 lies outside"));
  CHECK_THROWS_AS(parse_functional("cdf:x"), argument_error);
}

TEST_CASE("the default tests fit the grid: no homogeneity test on a single level", "[bootstrap]") {
  CHECK(default_tests(1) == std::vector<TestType>{TestType::nullity});
  CHECK(default_tests(9) == std::vector<TestType>{TestType::nullity, TestType::homogeneity});
  RdData d = test_data::simulated(1, 200, 30, false, 7);
  d.q_grid = arma::vec{0.5};
  d.quantiles = d.quantiles.col(4);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, EstimateOptions{});
  BootstrapOptions o;
  o.draws = 99;
  o.seed = 3;
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  REQUIRE(r.tests.size() == 1);
  CHECK(r.tests[0].type == TestType::nullity);
  o.tests = std::vector<TestType>{TestType::homogeneity};  // asked for: refused, with the reason
  CHECK_THROWS_WITH(bootstrap_r3d(d, est, o), Catch::Contains("at least 2"));
}

TEST_CASE("Cramér–von Mises tests are weighted mean squares of the scaled deviations",
          "[bootstrap][cvm]") {
  // On an uneven grid (0.1, 0.2, 0.3, 0.5, 0.9) each level weighs the part of the range
  // nearest to it, the end cells mirrored: 0.1, 0.1, 0.15, 0.3, 0.4, normalised. The
  // statistics are recomputed here from the kept draws and the exact covariance.
  RdData d = test_data::simulated(2, 500, 60, false, 21);
  const arma::uvec keep{0, 1, 2, 4, 8};
  d.quantiles = arma::mat(d.quantiles.cols(keep));
  d.q_grid = arma::vec(d.q_grid.elem(keep));
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {});
  BootstrapOptions o;
  o.draws = 999;
  o.seed = 5;
  o.keep_draws = true;
  o.test_statistic = TestStatistic::cvm;
  o.tests = {TestType::nullity, TestType::homogeneity, TestType::nonpositive, TestType::nonnegative};
  const arma::vec w = arma::vec{0.1, 0.1, 0.15, 0.3, 0.4} / 1.05;
  for (BandType band : {BandType::studentized, BandType::constant}) {
    o.band = band;
    const BootstrapResult r = bootstrap_r3d(d, est, o);
    REQUIRE(r.tests.size() == 4);
    const arma::uword m = keep.n_elem;
    const arma::mat centre = arma::eye(m, m) - arma::mat(m, m, arma::fill::value(1.0 / m));
    const bool studentized = band == BandType::studentized;
    const arma::vec s = studentized ? r.se : arma::vec(m, arma::fill::ones);
    const arma::vec s_centred = studentized ? arma::vec(arma::sqrt(arma::diagvec(centre * r.covariance * centre)))
                                            : arma::vec(m, arma::fill::ones);
    for (const TestResult& t : r.tests) {
      arma::rowvec z = est.tau.t() / s.t();
      arma::mat zb = r.process.each_row() / s.t();
      if (t.type == TestType::homogeneity) {
        z = (est.tau - arma::mean(est.tau)).t() / s_centred.t();
        zb = (r.process * centre).eval().each_row() / s_centred.t();
      }
      if (t.type == TestType::nonnegative) {
        z = -z;
        zb = -zb;
      }
      if (t.type == TestType::nonpositive || t.type == TestType::nonnegative) {
        z = arma::clamp(z, 0.0, arma::datum::inf);
        zb = arma::clamp(zb, 0.0, arma::datum::inf);
      }
      const double statistic = arma::as_scalar(arma::square(z) * w);
      const arma::vec draws = arma::square(zb) * w;
      CHECK(t.statistic == Approx(statistic).epsilon(1e-10));
      // p-value (#{draws >= statistic} + 1)/(B + 1), up to draws within rounding of it.
      const double above = arma::accu(draws >= statistic * (1.0 + 1e-10));
      const double at_or_above = arma::accu(draws >= statistic * (1.0 - 1e-10));
      CHECK(t.p_value * 1000.0 - 1.0 >= above - 1e-9);
      CHECK(t.p_value * 1000.0 - 1.0 <= at_or_above + 1e-9);
      CHECK(t.crit_val > 0.0);
    }
  }
}

TEST_CASE("the test statistic: defaults, the sup's duality with the band, compatibility mode",
          "[bootstrap][cvm]") {
  const RdData d = test_data::simulated(1, 400, 40, false, 9, 0.4);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.6}}, {});
  BootstrapOptions o;
  o.draws = 499;
  o.seed = 8;
  o.tests = {TestType::nullity};
  o.band = BandType::constant;
  CHECK(bootstrap_r3d(d, est, o).test_statistic == TestStatistic::sup);  // the paper's tests
  // min-p is the default with the studentized band (validation/test_statistic_mc.R).
  o.band = BandType::studentized;
  CHECK(bootstrap_r3d(d, est, o).test_statistic == TestStatistic::minp);
  // The sup nullity p-value is the smallest uniform p-value: the band excludes zero at
  // some level at exactly the α where the sup test rejects.
  o.test_statistic = TestStatistic::sup;
  const BootstrapResult sup = bootstrap_r3d(d, est, o);
  CHECK(sup.test_statistic == TestStatistic::sup);
  CHECK(sup.tests[0].p_value == Approx(sup.p_value_uniform.min()).epsilon(1e-12));
  o.test_statistic.reset();
  CHECK(parse_test_statistic("cvm") == TestStatistic::cvm);
  CHECK(to_string(TestStatistic::cvm) == "cvm");
  CHECK(parse_test_statistic("minp") == TestStatistic::minp);
  CHECK(to_string(TestStatistic::minp) == "minp");
  CHECK_THROWS_WITH(parse_test_statistic("ks"), Catch::Contains("sup, cvm or minp"));
  BootstrapOptions compat;
  for (TestStatistic other : {TestStatistic::cvm, TestStatistic::minp}) {
    compat.test_statistic = other;
    CHECK_THROWS_WITH(check_bootstrap_options(compat, Compat::r3d_0_1_0),
                      Catch::Contains("sup statistic"));
  }
  compat.test_statistic = TestStatistic::sup;
  CHECK_NOTHROW(check_bootstrap_options(compat, Compat::r3d_0_1_0));
}

TEST_CASE("min-p tests: the smaller of the sup and Cramér–von Mises p-values, calibrated by "
          "the same draws", "[bootstrap][minp]") {
  // Recomputed here from the kept draws on the (evenly spaced) deciles, where the
  // Cramér–von Mises weights are equal: each statistic's share of draws at or above it,
  // for the estimate and for every draw, and the count of draws whose min-p is at most
  // the estimate's. A draw within rounding of another may be counted on the other side
  // here: one draw, 1/B, is allowed on the statistic and 1/(B + 1) on the p-value.
  const RdData d = test_data::simulated(1, 500, 60, false, 23, 0.25);
  REQUIRE(d.q_grid.n_elem == 9);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.5}}, {});
  BootstrapOptions o;
  o.draws = 999;
  o.seed = 6;
  o.keep_draws = true;
  o.test_statistic = TestStatistic::minp;
  o.tests = {TestType::nullity, TestType::nonpositive, TestType::nonnegative};
  const BootstrapResult r = bootstrap_r3d(d, est, o);
  CHECK(r.test_statistic == TestStatistic::minp);
  const double B = 999.0;
  const auto share = [B](const arma::vec& draws, double x) { return arma::accu(draws >= x) / B; };
  const arma::rowvec z = est.tau.t() / r.se.t();
  const arma::mat zb = r.process.each_row() / r.se.t();
  for (const TestResult& t : r.tests) {
    const double sign = t.type == TestType::nonnegative ? -1.0 : 1.0;
    const bool two_sided = t.type == TestType::nullity;
    const arma::rowvec tz = two_sided ? arma::rowvec(arma::abs(z)) : arma::rowvec(sign * z);
    const arma::mat tzb = two_sided ? arma::mat(arma::abs(zb)) : arma::mat(sign * zb);
    const double sup = tz.max();
    const arma::vec sup_b = arma::max(tzb, 1);
    const double cvm = arma::mean(arma::square(arma::clamp(tz, 0.0, arma::datum::inf)));
    const arma::vec cvm_b = arma::mean(arma::square(arma::clamp(tzb, 0.0, arma::datum::inf)), 1);
    const double minp = std::min(share(sup_b, sup), share(cvm_b, cvm));
    arma::vec minp_b(sup_b.n_elem);
    for (arma::uword k = 0; k < sup_b.n_elem; ++k)
      minp_b[k] = std::min(share(sup_b, sup_b[k]), share(cvm_b, cvm_b[k]));
    CHECK(std::fabs(t.statistic - minp) <= 1.0 / B + 1e-12);
    const double p = (arma::accu(minp_b <= minp + 1e-12) + 1.0) / (B + 1.0);
    CHECK(std::fabs(t.p_value - p) <= 1.0 / (B + 1.0) + 1e-12);
    const arma::vec sorted = arma::sort(minp_b);  // type-7 quantile at 0.05
    const double h = 0.05 * (B - 1.0);
    const auto lo = static_cast<arma::uword>(h);
    const double quantile = sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    CHECK(t.crit_val == Approx(quantile).margin(1.0 / B));
  }
  // Against the two statistics' own tests on the same draws: min(p_sup, p_cvm) <= p_minp
  // <= 2 min(p_sup, p_cvm) (a draw's min-p is at most m for at most 2mB draws).
  o.keep_draws = false;
  o.test_statistic = TestStatistic::sup;
  const BootstrapResult sup = bootstrap_r3d(d, est, o);
  o.test_statistic = TestStatistic::cvm;
  const BootstrapResult cvm = bootstrap_r3d(d, est, o);
  for (std::size_t k = 0; k < r.tests.size(); ++k) {
    const double smaller = std::min(sup.tests[k].p_value, cvm.tests[k].p_value);
    CHECK(r.tests[k].p_value >= smaller - 1.0 / (B + 1.0) - 1e-12);
    CHECK(r.tests[k].p_value <= 2.0 * smaller + 1.0 / (B + 1.0) + 1e-12);
  }
}
