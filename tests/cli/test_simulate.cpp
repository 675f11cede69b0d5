// Tests of the simulation designs: reproducible, the documented shapes, checked inputs.
#include <catch2/catch.hpp>

#include <vector>

#include "cli_errors.h"
#include "simulate_dgp.h"
#include "simulate_rng.h"

using namespace rddist::cli;

TEST_CASE("the generator is reproducible and its uniforms and normals look right", "[simulate]") {
  SimulateRng a(42), b(42), c(43);
  CHECK(a.next() == b.next());
  CHECK(a.next() != c.next());
  SimulateRng g(1);
  double sum = 0, sum2 = 0, umin = 1, umax = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double z = g.normal();
    sum += z;
    sum2 += z * z;
    const double u = g.uniform();
    umin = std::min(umin, u);
    umax = std::max(umax, u);
  }
  CHECK(std::fabs(sum / n) < 0.01);
  CHECK(std::fabs(sum2 / n - 1.0) < 0.02);
  CHECK(umin >= 0.0);
  CHECK(umax < 1.0);
}

TEST_CASE("DGP1 shifts treated units by delta; fuzzy treatment follows 0.1 + 0.8 1{x >= 0}", "[simulate]") {
  DgpSpec spec;
  spec.units = 4000;
  spec.draws = 3;
  spec.delta = 2.0;
  spec.fuzzy = true;
  int above = 0, treated_above = 0, below = 0, treated_below = 0;
  simulate_dgp(spec, [&](std::uint64_t, double x, int t, const double*, std::size_t n) {
    CHECK(n == 3);
    CHECK((x >= -1.0 && x < 1.0));
    if (x >= 0) {
      ++above;
      treated_above += t;
    } else {
      ++below;
      treated_below += t;
    }
  });
  CHECK(std::fabs(static_cast<double>(treated_above) / above - 0.9) < 0.03);
  CHECK(std::fabs(static_cast<double>(treated_below) / below - 0.1) < 0.03);
  // Same seed, same sample.
  std::vector<double> first, second;
  spec.units = 10;
  simulate_dgp(spec, [&](std::uint64_t, double, int, const double* y, std::size_t n) { first.insert(first.end(), y, y + n); });
  simulate_dgp(spec, [&](std::uint64_t, double, int, const double* y, std::size_t n) { second.insert(second.end(), y, y + n); });
  CHECK(first == second);
}

TEST_CASE("impossible designs are usage errors", "[simulate][errors]") {
  DgpSpec spec;
  spec.dgp = 3;
  CHECK_THROWS_AS(check_dgp(spec), UsageError);
  spec.dgp = 2;
  spec.delta_lambda = -0.6;
  CHECK_THROWS_WITH(check_dgp(spec), Catch::Contains("above -0.5"));
  spec = DgpSpec();
  spec.delta_lambda = 1.0;
  CHECK_THROWS_WITH(check_dgp(spec), Catch::Contains("--dgp 2 only"));
}
