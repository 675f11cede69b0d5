// Tests of bandwidth: exact reproduction of R3D 0.1.0 (selector output and every layer-3
// and long-format result computed with selected bandwidths), and the paper-mode
// selector's formulas, guards and behaviour.
#include <catch2/catch.hpp>

#include "golden.h"
#include "test_data.h"
#include "rddist/r3d/bandwidth.h"
#include "rddist/error.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/kernels.h"
#include "rddist/r3d/quantiles.h"

using namespace rddist;

namespace {

struct Setup {
  Method method = Method::simple;
  Kernel kernel = Kernel::epanechnikov;
  int p = 2;
  bool coverage = false;
  bool fuzzy = false;
};

// Selects bandwidths and estimates, both in compatibility mode.
Estimate select_and_estimate(const RdData& d, const Setup& s) {
  BandwidthOptions bo;
  bo.estimate.method = s.method;
  bo.estimate.kernel = s.kernel;
  bo.estimate.p = s.p;
  bo.coverage = s.coverage;
  bo.estimate.fuzzy = s.fuzzy;
  bo.estimate.compat = Compat::r3d_0_1_0;
  const BandwidthSelection sel = select_bandwidths(d, bo);
  EstimateOptions eo;
  eo.method = s.method;
  eo.kernel = s.kernel;
  eo.p = s.p;
  eo.fuzzy = s.fuzzy;
  eo.compat = Compat::r3d_0_1_0;
  return estimate_r3d(d, Bandwidths{sel.h_num, sel.h_den}, eo);
}

void check_result(const Estimate& est, const golden::Table& ref, bool fuzzy) {
  CHECK(golden::max_rel_error(est.tau, ref.col("tau")) <= 1e-8);
  CHECK(golden::max_rel_error(est.h_num, ref.col("bw_num")) <= 1e-8);
  CHECK(golden::max_rel_error(est.plus.curve, ref.col("int_plus")) <= 1e-8);
  CHECK(golden::max_rel_error(est.minus.curve, ref.col("int_minus")) <= 1e-8);
  if (fuzzy)
    CHECK(golden::max_rel_error(arma::vec(est.tau.n_elem, arma::fill::value(est.h_den)),
                                ref.col("bw_den")) <= 1e-8);
}

arma::vec grid_of(arma::uword m) { return arma::regspace(1, m) / static_cast<double>(m + 1); }

}  // namespace

TEST_CASE("compatibility mode reproduces R3D's selector output column by column", "[bandwidth]") {
  struct Case {
    const char* file;
    const char* data;
    Method method;
    bool fuzzy;
  };
  for (const Case& c : {Case{"ref_bwselect_sharp.csv", "ref_data_sharp_simple_20.csv", Method::simple, false},
                        Case{"ref_bwselect_frechet.csv", "ref_data_sharp_simple_20.csv", Method::frechet, false},
                        Case{"ref_bwselect_fuzzy.csv", "ref_data_fuzzy_simple_20.csv", Method::simple, true}}) {
    INFO(c.file);
    const golden::Table ref = golden::read(c.file);
    const RdData d = test_data::wide(c.data, c.fuzzy, ref.col("q"));
    BandwidthOptions o;
    o.estimate.method = c.method;
    o.estimate.fuzzy = c.fuzzy;
    o.estimate.compat = Compat::r3d_0_1_0;
    const BandwidthSelection sel = select_bandwidths(d, o);
    const arma::uword m = d.q_grid.n_elem;
    auto per_level = [m](const arma::vec& v) {
      return v.n_elem == 1 ? arma::vec(m, arma::fill::value(v[0])) : v;
    };
    CHECK(golden::max_rel_error(per_level(sel.h_num), ref.col("h_star_num")) <= 1e-8);
    CHECK(golden::max_rel_error(per_level(sel.pilot_num), ref.col("pilot_h_num")) <= 1e-8);
    CHECK(golden::max_rel_error(sel.B_plus, ref.col("B_plus")) <= 1e-8);
    CHECK(golden::max_rel_error(sel.B_minus, ref.col("B_minus")) <= 1e-8);
    CHECK(golden::max_rel_error(sel.V_plus, ref.col("V_plus")) <= 1e-8);
    CHECK(golden::max_rel_error(sel.V_minus, ref.col("V_minus")) <= 1e-8);
    CHECK(golden::max_rel_error(arma::vec(m, arma::fill::value(sel.f_x)), ref.col("f_X_hat")) <= 1e-8);
    if (c.fuzzy) {
      CHECK(golden::max_rel_error(arma::vec(m, arma::fill::value(sel.h_den)), ref.col("h_star_den")) <= 1e-8);
      CHECK(golden::max_rel_error(arma::vec(m, arma::fill::value(sel.pilot_den)), ref.col("pilot_h_den")) <= 1e-8);
    }
  }
}

TEST_CASE("Silverman densities match R3D for the three kernels", "[bandwidth]") {
  const golden::Table ref = golden::read("ref_density_all.csv");
  const RdData d = test_data::wide("ref_data_sharp_simple_20.csv", false, grid_of(20));
  const auto kernels = ref.text("kernel");
  const arma::vec f = ref.col("f_X_hat"), b = ref.col("h_bw");
  for (std::size_t k = 0; k < kernels.size(); ++k) {
    double bw = 0.0;
    const double got = silverman_density(d.x, parse_kernel(kernels[k]), &bw);
    CHECK(std::fabs(got / f[k] - 1.0) <= 1e-12);
    CHECK(std::fabs(bw / b[k] - 1.0) <= 1e-12);
  }
}

TEST_CASE("compatibility mode reproduces every R3D result computed with selected bandwidths",
          "[bandwidth]") {
  struct Case {
    const char* result;
    const char* data;
    Setup setup;
  };
  const Setup simple_epa{};
  Setup tri = simple_epa, uni = simple_epa, p1 = simple_epa, p3 = simple_epa, cov = simple_epa;
  tri.kernel = Kernel::triangular;
  uni.kernel = Kernel::uniform;
  p1.p = 1;
  p3.p = 3;
  cov.coverage = true;
  Setup frechet = simple_epa, fuzzy = simple_epa, fuzzy_frechet = simple_epa;
  frechet.method = Method::frechet;
  fuzzy.fuzzy = true;
  fuzzy_frechet.fuzzy = true;
  fuzzy_frechet.method = Method::frechet;
  const std::vector<Case> cases{
      {"ref_results_sharp_simple_epanechnikov.csv", "ref_data_sharp_simple_20.csv", simple_epa},
      {"ref_results_sharp_simple_triangular.csv", "ref_data_sharp_simple_20.csv", tri},
      {"ref_results_sharp_simple_uniform.csv", "ref_data_sharp_simple_20.csv", uni},
      {"ref_results_sharp_simple_99.csv", "ref_data_sharp_simple_99.csv", tri},
      {"ref_results_sharp_simple_p1.csv", "ref_data_sharp_simple_20.csv", p1},
      {"ref_results_sharp_simple_p3.csv", "ref_data_sharp_simple_20.csv", p3},
      {"ref_results_coverage.csv", "ref_data_sharp_simple_20.csv", cov},
      {"ref_results_small_sample.csv", "ref_data_small_sample.csv", simple_epa},
      {"ref_results_large_nq.csv", "ref_data_large_nq.csv", simple_epa},
      {"ref_results_dgp1.csv", "ref_data_dgp1.csv", simple_epa},
      {"ref_results_dgp2.csv", "ref_data_dgp2.csv", simple_epa},
      {"ref_results_sharp_frechet_20.csv", "ref_data_sharp_simple_20.csv", frechet},
      {"ref_results_fuzzy_simple_20.csv", "ref_data_fuzzy_simple_20.csv", fuzzy},
      {"ref_results_fuzzy_frechet_20.csv", "ref_data_fuzzy_simple_20.csv", fuzzy_frechet}};
  for (const Case& c : cases) {
    INFO(c.result);
    const golden::Table ref = golden::read(c.result);
    const RdData d = test_data::wide(c.data, c.setup.fuzzy, ref.col("q"));
    check_result(select_and_estimate(d, c.setup), ref, c.setup.fuzzy);
  }
}

TEST_CASE("compatibility mode reproduces R3D's coefficient matrices with selected bandwidths",
          "[bandwidth]") {
  for (const char* k : {"epanechnikov", "triangular", "uniform"}) {
    INFO(k);
    const RdData d = test_data::wide("ref_data_sharp_simple_20.csv", false, grid_of(20));
    Setup s;
    s.kernel = parse_kernel(k);
    const Estimate est = select_and_estimate(d, s);
    const std::string tag = std::string("_sharp_simple_") + k + ".csv";
    CHECK(golden::max_rel_error(est.plus.coef, golden::read("ref_est_alpha_plus" + tag).matrix()) <= 1e-8);
    CHECK(golden::max_rel_error(est.minus.coef, golden::read("ref_est_alpha_minus" + tag).matrix()) <= 1e-8);
  }
}

TEST_CASE("compatibility mode reproduces the long-format files with selected bandwidths",
          "[bandwidth]") {
  struct Case {
    const char* result;
    const char* data;
    Setup setup;
  };
  Setup simple, frechet, fuzzy;
  simple.kernel = frechet.kernel = fuzzy.kernel = Kernel::triangular;
  frechet.method = Method::frechet;
  fuzzy.fuzzy = true;
  for (const Case& c : {Case{"long_sharp_simple_tri_bwsel.csv", "long_sharp_data.csv", simple},
                        Case{"long_sharp_frechet_tri_bwsel.csv", "long_sharp_data.csv", frechet},
                        Case{"long_fuzzy_simple_tri_bwsel.csv", "long_fuzzy_data.csv", fuzzy}}) {
    INFO(c.result);
    const golden::Table ref = golden::read(c.result);
    check_result(select_and_estimate(test_data::long_format(c.data, ref.col("q")), c.setup), ref, c.setup.fuzzy);
  }
}

namespace {

// Units with x ~ U(-1, 1) and quantiles Q_i(q) = μ(x_i) + z_q σ(x_i) + noise, where μ
// jumps at the cutoff and bends (μ'' = 2 · curvature) above it only: with s = 1 the
// bias of the difference is proportional to μ₊'' − μ₋''.
RdData simulated(arma::uword n, double curvature, double noise, unsigned seed,
                 bool fuzzy = false) {
  arma::arma_rng::set_seed(seed);
  RdData d;
  d.x = arma::randu(n) * 2.0 - 1.0;
  d.q_grid = arma::linspace(0.1, 0.9, 9);
  const arma::vec z = arma::linspace(-1.3, 1.3, 9);
  d.quantiles.set_size(n, 9);
  for (arma::uword i = 0; i < n; ++i) {
    const double x = d.x[i];
    const double mu = 1.0 + x + (x >= 0 ? 0.5 + curvature * x * x : 0.0);
    d.quantiles.row(i) = (mu + z * (1.0 + 0.3 * x)).t() + noise * arma::randn(1, 9);
  }
  d.quantiles = arma::sort(d.quantiles, "ascend", 1);
  if (fuzzy) {
    const arma::vec above = arma::conv_to<arma::vec>::from(d.x >= 0.0);
    d.treatment = arma::conv_to<arma::vec>::from(arma::randu(n) < 0.2 + 0.6 * above);
  }
  return d;
}

BandwidthOptions paper(Method m) {
  BandwidthOptions o;
  o.estimate.method = m;
  return o;
}

}  // namespace

TEST_CASE("paper-mode bandwidths solve the (I)MSE first-order condition with the reported plug-ins",
          "[bandwidth]") {
  const RdData d = simulated(800, 2.0, 0.3, 1);
  const double n = 800.0;
  const BandwidthSelection simple = select_bandwidths(d, paper(Method::simple));
  REQUIRE(simple.notes.empty());
  REQUIRE(simple.h_num.n_elem == 9);
  for (arma::uword j = 0; j < 9; ++j) {
    const double bias_sq = std::pow(simple.B_plus[j] - simple.B_minus[j], 2) + simple.regularizer[j];
    const double h = std::pow((simple.V_plus[j] + simple.V_minus[j]) / (4.0 * bias_sq), 0.2) *
                     std::pow(n, -0.2);
    CHECK(simple.h_num[j] == Approx(h).epsilon(1e-12));
  }
  // Frechet integrates numerator and denominator with trapezoid weights over q.
  const BandwidthSelection fr = select_bandwidths(d, paper(Method::frechet));
  REQUIRE(fr.notes.empty());
  REQUIRE(fr.h_num.n_elem == 1);
  arma::vec w(9, arma::fill::value(0.1));
  w[0] = w[8] = 0.05;
  const double num = arma::dot(w, fr.V_plus + fr.V_minus);
  const double den = arma::dot(w, arma::square(fr.B_plus - fr.B_minus) + fr.regularizer);
  CHECK(fr.h_num[0] == Approx(std::pow(num / (4.0 * den), 0.2) * std::pow(n, -0.2)).epsilon(1e-12));
  CHECK(fr.f_x > 0.3);
  CHECK(fr.f_x < 0.7);  // the true density of U(-1, 1) is 1/2
}

TEST_CASE("without a curvature difference the regularizer keeps the bandwidth finite", "[bandwidth]") {
  // μ₊'' = μ₋'' = 0: the estimated bias difference is noise around zero, so the plain
  // formula could return an enormous bandwidth; the regularizer (the estimated variance
  // of the bias estimate) bounds it and the upper guard keeps it within the data.
  const RdData d = simulated(600, 0.0, 0.3, 2);
  const BandwidthSelection sel = select_bandwidths(d, paper(Method::frechet));
  CHECK(std::isfinite(sel.h_num[0]));
  CHECK(sel.h_num[0] <= arma::abs(d.x).max());
  CHECK(arma::all(sel.regularizer > 0.0));
}

TEST_CASE("more curvature gives smaller bandwidths", "[bandwidth]") {
  const double flat = select_bandwidths(simulated(1000, 0.5, 0.2, 3), paper(Method::frechet)).h_num[0];
  const double curved = select_bandwidths(simulated(1000, 6.0, 0.2, 3), paper(Method::frechet)).h_num[0];
  CHECK(curved < flat);
}

TEST_CASE("coverage shrinkage multiplies by n^(-s/((2s+3)(s+3)))", "[bandwidth]") {
  const RdData d = simulated(900, 2.0, 0.3, 4, true);
  BandwidthOptions o = paper(Method::frechet);
  o.estimate.fuzzy = true;
  const BandwidthSelection a = select_bandwidths(d, o);
  o.coverage = true;
  const BandwidthSelection b = select_bandwidths(d, o);
  const double factor = std::pow(900.0, -1.0 / 20.0);
  CHECK(b.h_num[0] == Approx(a.h_num[0] * factor).epsilon(1e-12));
  CHECK(b.h_den == Approx(a.h_den * factor).epsilon(1e-12));
  CHECK(b.pilot_num[0] == a.pilot_num[0]);
}

TEST_CASE("guards keep enough distinct x on each side and record why", "[bandwidth]") {
  // Few units: whatever the plug-ins say, the final bandwidth must leave p + 2 = 4
  // distinct x on each side and stay within the data.
  RdData d = simulated(40, 40.0, 0.01, 5);
  const BandwidthSelection sel = select_bandwidths(d, paper(Method::simple));
  for (double h : sel.h_num) {
    const arma::vec xc = d.x;
    CHECK(arma::accu(xc >= 0.0 && xc < h) >= 4);
    CHECK(arma::accu(xc < 0.0 && xc > -h) >= 4);
    CHECK(h <= arma::abs(xc).max());
  }
  // A side with too few distinct values cannot be helped: a clear error.
  d.x.elem(arma::find(d.x < 0.0)).fill(-0.5);
  CHECK_THROWS_WITH(select_bandwidths(d, paper(Method::frechet)),
                    Catch::Contains("distinct value") && Catch::Contains("below"));
}

TEST_CASE("a note is recorded when a guard changes a bandwidth", "[bandwidth]") {
  // No noise: the variance plug-in is zero while the bias is not, so the formula returns
  // zero and the lower guard must lift it.
  RdData d = simulated(300, 3.0, 0.0, 6);
  const BandwidthSelection sel = select_bandwidths(d, paper(Method::frechet));
  REQUIRE_FALSE(sel.notes.empty());
  CHECK_THAT(sel.notes.back(), Catch::Contains("raised"));
  // No noise and no curvature difference: every bandwidth is exact, so the widest is used.
  RdData exact = simulated(300, 0.0, 0.0, 6);
  const BandwidthSelection wide = select_bandwidths(exact, paper(Method::frechet));
  REQUIRE_FALSE(wide.notes.empty());
  CHECK(wide.h_num[0] == arma::abs(exact.x).max());
  CHECK_THAT(wide.notes.back(), Catch::Contains("fit exactly"));
}

TEST_CASE("selection does not depend on the order of the units", "[bandwidth]") {
  const RdData d = simulated(500, 2.0, 0.3, 7, true);
  RdData r = d;
  const arma::uvec perm = arma::regspace<arma::uvec>(499, 0);
  r.x = d.x.elem(perm);
  r.treatment = d.treatment.elem(perm);
  r.quantiles = d.quantiles.rows(perm);
  for (Compat c : {Compat::paper, Compat::r3d_0_1_0}) {
    BandwidthOptions o = paper(Method::simple);
    o.estimate.fuzzy = true;
    o.estimate.compat = c;
    const BandwidthSelection a = select_bandwidths(d, o), b = select_bandwidths(r, o);
    CHECK(arma::approx_equal(a.h_num, b.h_num, "reldiff", 1e-10));
    CHECK(a.h_den == Approx(b.h_den).epsilon(1e-10));
  }
}

TEST_CASE("two threads give the one-thread selection to the last bit, errors included",
          "[bandwidth]") {
  const RdData d = simulated(700, 2.0, 0.3, 8, true);
  for (Method m : {Method::simple, Method::frechet}) {
    BandwidthOptions o = paper(m);
    o.estimate.fuzzy = true;
    const BandwidthSelection one = select_bandwidths(d, o);
    o.threads = 2;
    const BandwidthSelection two = select_bandwidths(d, o);
    CHECK(arma::all(one.h_num == two.h_num));
    CHECK(arma::all(one.B_plus == two.B_plus));
    CHECK(arma::all(one.V_minus == two.V_minus));
    CHECK(one.h_den == two.h_den);
    CHECK(one.notes == two.notes);
  }
  // A failure on one side is reported from the calling thread, as with one thread.
  RdData bad = d;
  bad.x.elem(arma::find(bad.x >= 0.0)).fill(0.5);
  BandwidthOptions o = paper(Method::simple);
  o.threads = 2;
  CHECK_THROWS_WITH(select_bandwidths(bad, o),
                    Catch::Contains("distinct value") && Catch::Contains("above"));
}

TEST_CASE("Riemann-sum kernel constants approximate the exact ones", "[bandwidth][kernels]") {
  for (Kernel k : {Kernel::triangular, Kernel::epanechnikov, Kernel::uniform})
    for (Side side : {Side::below, Side::above}) {
      const KernelConstants exact = kernel_constants(k, side, 1);
      const KernelConstants riemann = kernel_constants_riemann(k, side, 1);
      // A Riemann sum with step 2/1000 (and end points counted fully) is accurate to O(1e-3).
      CHECK(arma::approx_equal(exact.gamma, riemann.gamma, "absdiff", 3e-3));
      CHECK(arma::approx_equal(exact.psi, riemann.psi, "absdiff", 3e-3));
      CHECK(arma::approx_equal(exact.lambda, riemann.lambda, "absdiff", 3e-3));
    }
}
