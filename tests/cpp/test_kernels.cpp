// Tests of kernels: weights, closed-form moments against quadrature, known constants.
#include <catch2/catch.hpp>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>

#include "rddist/r3d/kernels.h"

using rddist::Kernel;
using rddist::Side;

namespace {

double quad(Kernel k, Side side, int m, int power) {
  const double lo = side == Side::above ? 0.0 : -1.0, hi = side == Side::above ? 1.0 : 0.0;
  auto f = [&](double u) { return std::pow(u, m) * std::pow(rddist::kernel_weight(k, u), power); };
  return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(f, lo, hi, 10, 1e-14);
}

}  // namespace

TEST_CASE("kernels integrate to one and include |u| = 1", "[kernels]") {
  for (Kernel k : {Kernel::triangular, Kernel::epanechnikov, Kernel::uniform}) {
    CHECK(rddist::kernel_moment(k, Side::above, 0) + rddist::kernel_moment(k, Side::below, 0) ==
          Approx(1.0).epsilon(1e-15));
    CHECK(rddist::kernel_weight(k, 1.5) == 0.0);
    CHECK(rddist::kernel_weight(k, -1.0) >= 0.0);
  }
  CHECK(rddist::kernel_weight(Kernel::uniform, 1.0) == 0.5);
  CHECK(rddist::kernel_weight(Kernel::epanechnikov, 0.5) == Approx(0.5625));
  CHECK(rddist::kernel_weight(Kernel::triangular, -0.25) == Approx(0.75));
}

TEST_CASE("closed-form moments agree with Gauss-Kronrod quadrature", "[kernels]") {
  for (Kernel k : {Kernel::triangular, Kernel::epanechnikov, Kernel::uniform})
    for (Side side : {Side::below, Side::above})
      for (int power : {1, 2})
        for (int m = 0; m <= 9; ++m) {
          INFO("kernel " << rddist::to_string(k) << " side " << rddist::to_string(side)
                         << " m " << m << " power " << power);
          CHECK(rddist::kernel_moment(k, side, m, power) ==
                Approx(quad(k, side, m, power)).epsilon(1e-13).margin(1e-15));
        }
}

TEST_CASE("boundary constants of local linear fits take their textbook values", "[kernels]") {
  // Equivalent boundary kernel of a local linear fit (s = 1):
  //   triangular: bias e0'Γ⁻¹Λ = -1/10, variance e0'Γ⁻¹ΨΓ⁻¹e0 = 24/5;
  //   uniform:    bias -1/6, variance 4.
  const auto tri = rddist::kernel_constants(Kernel::triangular, Side::above, 1);
  CHECK(tri.bias_constant() == Approx(-0.1).epsilon(1e-13));
  CHECK(tri.variance_constant() == Approx(4.8).epsilon(1e-13));
  const auto uni = rddist::kernel_constants(Kernel::uniform, Side::above, 1);
  CHECK(uni.bias_constant() == Approx(-1.0 / 6.0).epsilon(1e-13));
  CHECK(uni.variance_constant() == Approx(4.0).epsilon(1e-13));
  // The below side mirrors the above side: same variance, bias sign (-1)^(s+1).
  const auto tri_below = rddist::kernel_constants(Kernel::triangular, Side::below, 1);
  CHECK(tri_below.variance_constant() == Approx(4.8).epsilon(1e-13));
  CHECK(tri_below.bias_constant() == Approx(-0.1).epsilon(1e-13));
  const auto tri2_below = rddist::kernel_constants(Kernel::triangular, Side::below, 2);
  const auto tri2 = rddist::kernel_constants(Kernel::triangular, Side::above, 2);
  CHECK(tri2_below.bias_constant() == Approx(-tri2.bias_constant()).epsilon(1e-13));
}
