// Tests of DDP objectives: utilities, their γ-property, the numerical check of custom
// utilities and the refusal of objectives greedy DP cannot optimise.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "rddist/ddp/objective.h"
#include "rddist/error.h"

using namespace rddist::ddp;

TEST_CASE("built-in utilities evaluate as defined", "[ddp][objective]") {
  CHECK(Objective::mean().utility(-2.5) == -2.5);
  CHECK(Objective::threshold().utility(0.0) == 1.0);
  CHECK(Objective::threshold().utility(-1e-300) == 0.0);
  CHECK(Objective::hinge(3.0, 0.5).utility(-2.0) == -6.0);
  CHECK(Objective::hinge(3.0, 0.5).utility(2.0) == 1.0);
  CHECK(Objective::homeostatic(1.0).utility(-7.0) == -7.0);
  CHECK(Objective::homeostatic(2.0).utility(3.0) == -9.0);
  CHECK(Objective::homeostatic(0.5).utility(4.0) == -2.0);
  CHECK(Objective::exponential(1.0).utility(0.0) == 0.0);
  CHECK(Objective::exponential(1.0).utility(1.0) == Approx(1.0 - std::exp(-1.0)).epsilon(1e-15));
  // E f(shift + scale·Z) over raw atoms.
  const double z[] = {-1.0, 1.0}, p[] = {0.5, 0.5};
  CHECK(Objective::hinge(1.0, 0.0).expected(z, p, 2, 0.5, 2.0) == -0.75);  // min(−1.5, 0)/2
  CHECK(Objective::quantile(0.5).evaluate(z, p, 2, 3.0) == 2.0);          // lower median −1
  CHECK(Objective::cvar(0.5).evaluate(z, p, 2, 0.0) == -1.0);
  CHECK_THROWS_WITH(Objective::quantile(0.5).utility(1.0), Catch::Contains("not an expected utility"));
}

TEST_CASE("built-in utilities report their gamma-property", "[ddp][objective]") {
  const double g = 0.9;
  auto prop = [&](const Objective& o) {
    const Suitability s = check_objective(o, g, 10.0);
    REQUIRE(s.ok);
    return s.property;
  };
  CHECK(prop(Objective::mean()).a == g);
  CHECK(prop(Objective::hinge(2.0, 1.0)).a == g);
  CHECK(prop(Objective::threshold()).a == 1.0);
  CHECK(prop(Objective::homeostatic(2.0)).a == Approx(0.81).epsilon(1e-15));
  CHECK(Objective::homeostatic(1.0).piecewise_linear());
  CHECK_FALSE(Objective::homeostatic(2.0).piecewise_linear());
  CHECK(Objective::homeostatic(1.0).slope_right() == -1.0);
}

TEST_CASE("exponential utility is refused for gamma < 1 and accepted for gamma = 1",
          "[ddp][objective][T9]") {
  const Suitability s = check_objective(Objective::exponential(1.0), 0.5, 10.0);
  CHECK_FALSE(s.ok);
  CHECK_THAT(s.reason, Catch::Contains("no gamma-property") && Catch::Contains("gamma = 0.5"));
  CHECK(check_objective(Objective::exponential(1.0), 1.0, 10.0).ok);
}

TEST_CASE("quantiles and CVaR taken directly are refused as not expected utilities",
          "[ddp][objective][T10]") {
  for (const Objective& o : {Objective::quantile(0.5), Objective::cvar(0.25)}) {
    for (double g : {0.5, 1.0}) {
      const Suitability s = check_objective(o, g, 10.0);
      CHECK_FALSE(s.ok);
      CHECK_THAT(s.reason, Catch::Contains("not an expected utility"));
    }
  }
}

TEST_CASE("a custom utility's gamma-property is estimated and verified numerically",
          "[ddp][objective]") {
  // f(z) = 3 min(z, 0) + max(z, 0) + 2: f(γz) = γ f(z) + 2(1 − γ).
  const Objective f = Objective::custom("kinked", [](double z) {
    return 3.0 * std::min(z, 0.0) + std::max(z, 0.0) + 2.0;
  });
  const Suitability s = check_objective(f, 0.8, 20.0);
  REQUIRE(s.ok);
  CHECK(s.checked_numerically);
  // Least squares on 409 exact points: the fit is exact to rounding (values up to ~120).
  CHECK(s.property.a == Approx(0.8).margin(1e-12));
  CHECK(s.property.b == Approx(0.4).margin(1e-10));
}

TEST_CASE("a declared gamma-property is checked, and a wrong one is refused", "[ddp][objective]") {
  auto sq = [](double z) { return -z * z; };
  CHECK(check_objective(Objective::custom("square", sq, GammaProperty{0.25, 0.0}), 0.5, 10.0).ok);
  const Suitability bad = check_objective(Objective::custom("square", sq, GammaProperty{0.5, 0.0}), 0.5, 10.0);
  CHECK_FALSE(bad.ok);
  CHECK_THAT(bad.reason, Catch::Contains("declared gamma-property"));
  const Suitability none = check_objective(Objective::custom("expo", [](double z) { return -std::exp(-z); }), 0.5, 10.0);
  CHECK_FALSE(none.ok);
  CHECK_THAT(none.reason, Catch::Contains("has no gamma-property"));
  // With γ = 1 every expected utility qualifies.
  CHECK(check_objective(Objective::custom("expo", [](double z) { return -std::exp(-z); }), 1.0, 10.0).ok);
}

TEST_CASE("forcing an unsuitable objective warns instead of throwing", "[ddp][objective]") {
  std::vector<std::string> warnings;
  rddist::Hooks hooks;
  hooks.warning = [&](const std::string& m) { warnings.push_back(m); };
  CHECK_THROWS_WITH(require_suitable(Objective::quantile(0.5), 1.0, 10.0, false, hooks, "here"),
                    Catch::StartsWith("here: refusing objective quantile(tau = 0.5)"));
  CHECK(warnings.empty());
  const Suitability s = require_suitable(Objective::quantile(0.5), 1.0, 10.0, true, hooks, "here");
  CHECK_FALSE(s.ok);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("need not be optimal"));
}

TEST_CASE("a custom utility returning a non-finite value is an error, not a NaN",
          "[ddp][objective]") {
  const Objective f = Objective::custom("log", [](double z) { return std::log(z); });
  const double z[] = {-1.0}, p[] = {1.0};
  CHECK_THROWS_AS(f.expected(z, p, 1, 0.0, 1.0), rddist::numerical_error);
  CHECK_THROWS_WITH(f.expected(z, p, 1, 0.0, 1.0), Catch::Contains("non-finite value at z = -1"));
}

TEST_CASE("objective parameters are validated", "[ddp][objective]") {
  CHECK_THROWS_AS(Objective::homeostatic(0.0), rddist::invalid_argument);
  CHECK_THROWS_AS(Objective::exponential(0.0), rddist::invalid_argument);
  CHECK_THROWS_AS(Objective::quantile(1.0), rddist::invalid_argument);
  CHECK_THROWS_AS(Objective::cvar(0.0), rddist::invalid_argument);
  CHECK_THROWS_AS(Objective::hinge(std::nan(""), 1.0), rddist::invalid_argument);
}
