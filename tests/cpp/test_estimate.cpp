// Tests of estimate: the whole pipeline against R3D's golden results, design identities,
// and the refusal of unusable inputs.
#include <catch2/catch.hpp>

#include "golden.h"
#include "test_data.h"
#include "rddist/error.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/quantiles.h"
#include "rddist/r3d/analysis.h"
#include "rddist/r3d/sample.h"

using namespace rddist;

namespace {

void check_against(const Estimate& est, const golden::Table& ref) {
  CHECK(golden::max_rel_error(est.tau, ref.col("tau")) <= 1e-8);
  CHECK(golden::max_rel_error(est.plus.curve, ref.col("int_plus")) <= 1e-8);
  CHECK(golden::max_rel_error(est.minus.curve, ref.col("int_minus")) <= 1e-8);
}

}  // namespace

TEST_CASE("sharp simple estimate with h = 0.5 matches R3D (compatibility mode)", "[estimate]") {
  const RdData data = test_data::wide("ref_data_sharp_simple_20.csv");
  const golden::Table ref = golden::read("ref_results_sharp_simple_fixedbw.csv");
  REQUIRE(golden::max_rel_error(data.q_grid, ref.col("q")) <= 1e-14);
  EstimateOptions opt;
  opt.method = Method::simple;
  opt.kernel = Kernel::epanechnikov;
  opt.compat = Compat::r3d_0_1_0;
  const Estimate est = estimate_r3d(data, Bandwidths{arma::vec{0.5}}, opt);
  check_against(est, ref);
  CHECK(est.common_bandwidth);
  CHECK(est.plus.weights.n_cols == 1);
}

TEST_CASE("long-format sharp frechet with h = 0.4 matches R3D (paper mode)", "[estimate]") {
  const golden::Table ref = golden::read("long_sharp_frechet_tri_h040.csv");
  const RdData data = test_data::long_format("long_sharp_data.csv", ref.col("q"));
  REQUIRE(data.x.n_elem == 300);
  EstimateOptions opt;  // frechet, triangular, p = 2, paper mode
  const Estimate est = estimate_r3d(data, Bandwidths{arma::vec{0.4}}, opt);
  check_against(est, ref);
  // The compatibility mode changes nothing for frechet with a fixed bandwidth.
  opt.compat = Compat::r3d_0_1_0;
  CHECK(arma::approx_equal(estimate_r3d(data, Bandwidths{arma::vec{0.4}}, opt).tau, est.tau,
                           "absdiff", 0.0));
}

TEST_CASE("long-format sharp simple with h = 0.4 matches R3D (compatibility mode)", "[estimate]") {
  const golden::Table ref = golden::read("long_sharp_simple_tri_h040.csv");
  const RdData data = test_data::long_format("long_sharp_data.csv", ref.col("q"));
  EstimateOptions opt;
  opt.method = Method::simple;
  opt.compat = Compat::r3d_0_1_0;
  check_against(estimate_r3d(data, Bandwidths{arma::vec{0.4}}, opt), ref);
}

TEST_CASE("long-format fuzzy frechet with h = 0.5 / 0.5 matches R3D", "[estimate]") {
  const golden::Table ref = golden::read("long_fuzzy_frechet_tri_h050.csv");
  const RdData data = test_data::long_format("long_fuzzy_data.csv", ref.col("q"));
  EstimateOptions opt;
  opt.fuzzy = true;
  const Estimate est = estimate_r3d(data, Bandwidths{arma::vec{0.5}, 0.5}, opt);
  check_against(est, ref);
  CHECK(est.first_stage.jump > 0.3);
}

TEST_CASE("a fuzzy design with a perfect first stage equals the sharp design", "[estimate]") {
  RdData data = test_data::wide("ref_data_sharp_simple_20.csv");
  data.treatment = arma::conv_to<arma::vec>::from(data.x >= 0.0);
  EstimateOptions opt;
  const Estimate sharp = estimate_r3d(data, Bandwidths{arma::vec{0.6}}, opt);
  opt.fuzzy = true;
  const Estimate fuzzy = estimate_r3d(data, Bandwidths{arma::vec{0.6}, 0.3}, opt);
  CHECK(fuzzy.first_stage.jump == Approx(1.0).epsilon(1e-12));
  CHECK(arma::approx_equal(fuzzy.tau, sharp.tau, "reldiff", 1e-12));
}

TEST_CASE("per-level bandwidths give per-level weights; equal ones collapse", "[estimate]") {
  const RdData data = test_data::wide("ref_data_sharp_simple_20.csv");
  EstimateOptions opt;
  opt.method = Method::simple;
  const arma::vec h = arma::linspace(0.4, 0.8, 20);
  const Estimate est = estimate_r3d(data, Bandwidths{h}, opt);
  CHECK_FALSE(est.common_bandwidth);
  CHECK(est.plus.weights.n_cols == 20);
  CHECK(est.plus.fits.size() == 20);
  // Each column equals a fit at that level's bandwidth alone.
  const Estimate one = estimate_r3d(data, Bandwidths{arma::vec{h[7]}}, opt);
  CHECK(est.plus.intercept[7] == Approx(one.plus.intercept[7]).epsilon(1e-14));
  const Estimate same = estimate_r3d(data, Bandwidths{arma::vec(20, arma::fill::value(0.5))}, opt);
  CHECK(same.common_bandwidth);
  CHECK(same.plus.fits.size() == 1);
}

TEST_CASE("the simple method's curves are non-decreasing in both modes", "[estimate]") {
  const RdData data = test_data::wide("ref_data_sharp_simple_20.csv");
  EstimateOptions opt;
  opt.method = Method::simple;
  for (Compat c : {Compat::paper, Compat::r3d_0_1_0}) {
    opt.compat = c;
    const Estimate est = estimate_r3d(data, Bandwidths{arma::vec{0.15}}, opt);
    CHECK(arma::all(arma::diff(est.plus.curve) >= 0.0));
    CHECK(arma::all(arma::diff(est.minus.curve) >= 0.0));
  }
}

TEST_CASE("unusable inputs are refused with messages that say what to change", "[estimate][errors]") {
  const RdData good = test_data::wide("ref_data_sharp_simple_20.csv");
  const EstimateOptions opt;
  const Bandwidths h{arma::vec{0.5}};
  auto refuses = [&](RdData d, EstimateOptions o, Bandwidths b, const std::string& text) {
    INFO("expected message containing: " << text);
    CHECK_THROWS_WITH(estimate_r3d(d, b, o), Catch::Contains(text));
  };
  RdData d = good;
  d.x[3] = std::numeric_limits<double>::quiet_NaN();
  refuses(d, opt, h, "non-finite value(s) (first at unit 4)");
  EstimateOptions o = opt;
  o.cutoff = 5.0;
  refuses(good, o, h, "outside the range");
  o.cutoff = good.x.min();
  refuses(good, o, h, "no units lie below");
  d = good;
  d.q_grid[0] = 0.0;
  refuses(d, opt, h, "strictly between 0 and 1");
  d = good;
  std::swap(d.q_grid[0], d.q_grid[1]);
  refuses(d, opt, h, "must increase strictly");
  refuses(good, opt, Bandwidths{arma::vec{-0.1}}, "positive");
  refuses(good, opt, Bandwidths{arma::vec{0.2, 0.3}}, "one per level");
  refuses(good, opt, Bandwidths{arma::linspace(0.3, 0.5, 20)}, "one bandwidth");
  refuses(good, opt, Bandwidths{arma::vec{0.01}}, "distinct value");
  o = opt;
  o.fuzzy = true;
  refuses(good, o, Bandwidths{arma::vec{0.5}, 0.5}, "treatment");
  d = good;
  d.treatment = arma::vec(d.x.n_elem, arma::fill::value(0.5));
  refuses(d, o, Bandwidths{arma::vec{0.5}, 0.5}, "no jump");
  d.treatment = arma::conv_to<arma::vec>::from(d.x >= 0.0);
  refuses(d, o, Bandwidths{arma::vec{0.5}}, "treatment bandwidth");
  // Outcomes whose squares overflow or underflow: refused, saying how to rescale.
  d = good;
  d.quantiles *= 1e300;
  refuses(d, opt, h, "divide the outcome by a power of ten (say 1e300");
  d = good;
  d.quantiles *= 1e-200;
  refuses(d, opt, h, "multiply the outcome by a power of ten");
  d = good;
  d.quantiles *= 1e140;  // large but representable: accepted
  CHECK_NOTHROW(estimate_r3d(d, h, opt));
}

#include "rddist/r3d/unit_order.h"

TEST_CASE("canonical order in place equals the permuted copy", "[estimate]") {
  RdData d = test_data::wide("ref_data_sharp_simple_20.csv");
  const arma::uvec order = canonical_order(d);
  const RdData copy = permute_units(d, order);
  const arma::uvec applied = make_canonical(d);
  CHECK(arma::all(applied == order));
  CHECK(arma::approx_equal(d.x, copy.x, "absdiff", 0.0));
  CHECK(arma::approx_equal(d.quantiles, copy.quantiles, "absdiff", 0.0));
  CHECK(is_canonical(d));
  CHECK(arma::all(arma::diff(d.x) >= 0.0));
}

TEST_CASE("a unit whose quantiles decrease is refused, naming the unit and the levels",
          "[estimate][errors]") {
  RdData d = test_data::simulated(1, 200, 30, false, 3);
  RdData reversed = d;
  reversed.quantiles.row(6) = arma::fliplr(d.quantiles.row(6));
  CHECK_THROWS_WITH(check_quantile_rows(reversed),
                    Catch::Contains("quantiles of unit 7 decrease from") &&
                        Catch::Contains("cannot decrease"));
  AnalysisRequest request;
  request.data = reversed;
  request.bandwidth.outcome = arma::vec{0.5};
  CHECK_THROWS_AS(run_analysis(request), argument_error);
  // Decreases at the level of rounding are not decreases.
  RdData rounded = d;
  rounded.quantiles(6, 3) = rounded.quantiles(6, 2) * (1.0 - 1e-15);
  rounded.quantiles(6, 3) = std::min(rounded.quantiles(6, 3), rounded.quantiles(6, 4));
  CHECK_NOTHROW(check_quantile_rows(rounded));
}
