// Tests of monotone: PAVA parity with R's isoreg, rearrangements.
#include <catch2/catch.hpp>

#include "golden.h"
#include "rddist/r3d/monotone.h"

TEST_CASE("isotonic projection matches R's isoreg on the golden vectors", "[monotone]") {
  const golden::Table ref = golden::read("ref_isotonic.csv");
  const auto cases = ref.text("case");
  const arma::vec input = ref.col("input"), output = ref.col("output");
  std::vector<std::string> names;
  for (const auto& c : cases)
    if (std::find(names.begin(), names.end(), c) == names.end()) names.push_back(c);
  REQUIRE(names.size() == 4);
  for (const auto& name : names) {
    std::vector<arma::uword> rows;
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (cases[i] == name) rows.push_back(i);
    const arma::uvec r(rows);
    INFO("case " << name);
    CHECK(golden::max_rel_error(rddist::isotonic_projection(input.elem(r)), output.elem(r)) <=
          1e-12);
  }
}

TEST_CASE("isotonic projection is the least-squares non-decreasing fit", "[monotone]") {
  const arma::vec y{3.0, 1.0, 2.0, 0.0, 5.0};
  const arma::vec fit = rddist::isotonic_projection(y);
  CHECK(arma::all(arma::diff(fit) >= 0.0));
  CHECK(arma::approx_equal(fit, arma::vec{1.5, 1.5, 1.5, 1.5, 5.0}, "absdiff", 1e-15));
  // Weighted: the heavy first value dominates the pooled block.
  const arma::vec w{3.0, 1.0, 1.0, 1.0, 1.0};
  const arma::vec wf = rddist::isotonic_projection(y, w);
  CHECK(wf[0] == Approx((9.0 + 1.0 + 2.0 + 0.0) / 6.0));
}

TEST_CASE("isotonic_rows projects each row independently", "[monotone]") {
  arma::mat Y{{3.0, 1.0, 2.0}, {0.0, 1.0, 2.0}};
  rddist::isotonic_rows(Y);
  CHECK(arma::approx_equal(Y.row(0).t(), arma::vec{2.0, 2.0, 2.0}, "absdiff", 1e-15));
  CHECK(arma::approx_equal(Y.row(1).t(), arma::vec{0.0, 1.0, 2.0}, "absdiff", 0.0));
}

TEST_CASE("rearrangements leave monotone curves alone and fix crossings", "[monotone]") {
  const arma::vec q = arma::linspace(0.1, 0.9, 9);
  const arma::vec mono = arma::square(q) + q;
  CHECK(arma::approx_equal(rddist::rearrange(mono), mono, "absdiff", 0.0));
  // R3D's variant samples the piecewise-linear curve; a linear curve is reproduced.
  CHECK(arma::approx_equal(rddist::rearrange_r3d(q, 2.0 * q + 1.0), 2.0 * q + 1.0, "absdiff",
                           1e-12));
  const arma::vec bumpy{1.0, 3.0, 2.0, 4.0, 5.0, 4.5, 6.0, 7.0, 8.0};
  const arma::vec r = rddist::rearrange_r3d(q, bumpy);
  CHECK(arma::all(arma::diff(r) >= 0.0));
  CHECK(r[0] == Approx(1.0));
  CHECK(r[8] == Approx(8.0));
}
