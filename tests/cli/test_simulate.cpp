// Tests of the simulation designs: reproducible, the documented shapes, checked inputs.
#include <catch2/catch.hpp>

#include "arguments.h"
#include "rddist/error.h"

#include <vector>

#include "cli_errors.h"
#include "simulate_dgp.h"
#include "rddist/r3d/simulate.h"

using namespace rddist::cli;

TEST_CASE("the CLI's designs are the core's: same seed, same data as simulate_r3d", "[simulate]") {
  DgpSpec spec;
  spec.dgp = 2;
  spec.units = 50;
  spec.draws = 7;
  spec.delta = 1.0;
  spec.seed = 9;
  rddist::SimulationOptions o;
  o.dgp = 2;
  o.units = 50;
  o.draws = 7;
  o.delta = 1.0;
  o.seed = 9;
  const rddist::SimulatedData core = rddist::simulate_r3d(o);
  simulate_dgp(spec, [&](std::uint64_t i, double x, int, const double* y, std::size_t n) {
    CHECK(x == core.x[i]);
    for (std::size_t k = 0; k < n; ++k) CHECK(y[k] == core.draws(k, i));
  });
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

TEST_CASE("impossible designs are the core's argument errors, worded as options", "[simulate][errors]") {
  auto message = [](const DgpSpec& spec) {
    try {
      check_dgp(spec);
    } catch (const rddist::argument_error& e) {
      return rddist::cli::cli_message(e.text());
    }
    return std::string();
  };
  DgpSpec spec;
  spec.dgp = 3;
  CHECK_THROWS_AS(check_dgp(spec), rddist::argument_error);
  CHECK_THAT(message(spec), Catch::Contains("--dgp must be 1 or 2"));
  spec.dgp = 2;
  spec.delta_lambda = -0.6;
  CHECK_THAT(message(spec), Catch::Contains("--delta-lambda must exceed -0.5"));
  // DGP 1 has no exponential rate: Δλ does not matter there (the same rule as in R).
  spec.dgp = 1;
  CHECK_NOTHROW(check_dgp(spec));
  spec = DgpSpec();
  spec.units = 1;
  CHECK_THAT(message(spec), Catch::Contains("--n must be between 2 and 4e9"));
}
