// kernels.cpp — kernel weights and exact one-sided kernel moments (App. ).
//
// On [0, 1]:  ∫ u^k (1 - u) = 1/(k+1) - 1/(k+2),   ∫ u^k (1 - u)² = 1/(k+1) - 2/(k+2) + 1/(k+3),
//             ∫ u^k (1 - u²) = 1/(k+1) - 1/(k+3),  ∫ u^k (1 - u²)² = 1/(k+1) - 2/(k+3) + 1/(k+5).
#include "rddist/r3d/kernels.h"

#include <cmath>

#include "rddist/error.h"

namespace rddist {

double kernel_weight(Kernel kernel, double u) {
  const double a = std::fabs(u);
  if (!(a <= 1.0)) return 0.0;
  switch (kernel) {
    case Kernel::triangular: return 1.0 - a;
    case Kernel::epanechnikov: return 0.75 * (1.0 - u * u);
    case Kernel::uniform: return 0.5;
  }
  return 0.0;
}

double kernel_moment(Kernel kernel, Side side, int k, int power) {
  fail_if(k < 0, "kernel_moment", "the moment order must be non-negative, got ", k);
  fail_if(power != 1 && power != 2, "kernel_moment", "power must be 1 or 2, got ", power);
  const double d = static_cast<double>(k);
  double upper = 0.0;  // the integral over [0, 1]
  switch (kernel) {
    case Kernel::triangular:
      upper = power == 1 ? 1.0 / (d + 1) - 1.0 / (d + 2)
                         : 1.0 / (d + 1) - 2.0 / (d + 2) + 1.0 / (d + 3);
      break;
    case Kernel::epanechnikov:
      upper = power == 1 ? 0.75 * (1.0 / (d + 1) - 1.0 / (d + 3))
                         : 0.5625 * (1.0 / (d + 1) - 2.0 / (d + 3) + 1.0 / (d + 5));
      break;
    case Kernel::uniform:
      upper = (power == 1 ? 0.5 : 0.25) / (d + 1);
      break;
  }
  const bool flip = side == Side::below && (k % 2 == 1);
  return flip ? -upper : upper;
}

KernelConstants kernel_constants(Kernel kernel, Side side, int s) {
  fail_if(s < 0, "kernel_constants", "the order s must be non-negative, got ", s);
  const arma::uword d = static_cast<arma::uword>(s) + 1;
  KernelConstants c{arma::mat(d, d), arma::vec(d), arma::mat(d, d)};
  for (arma::uword a = 0; a < d; ++a) {
    for (arma::uword b = 0; b < d; ++b) {
      c.gamma(a, b) = kernel_moment(kernel, side, static_cast<int>(a + b), 1);
      c.psi(a, b) = kernel_moment(kernel, side, static_cast<int>(a + b), 2);
    }
    c.lambda[a] = kernel_moment(kernel, side, static_cast<int>(a) + s + 1, 1);
  }
  return c;
}

KernelConstants kernel_constants_riemann(Kernel kernel, Side side, int s) {
  fail_if(s < 0, "kernel_constants_riemann", "the order s must be non-negative, got ", s);
  const arma::uword d = static_cast<arma::uword>(s) + 1;
  KernelConstants c{arma::mat(d, d, arma::fill::zeros), arma::vec(d, arma::fill::zeros),
                    arma::mat(d, d, arma::fill::zeros)};
  constexpr int kPoints = 1000;
  const double weight = 2.0 / kPoints;
  for (int k = 0; k < kPoints; ++k) {
    const double g = -1.0 + 2.0 * k / (kPoints - 1);
    if ((side == Side::above) != (g >= 0.0)) continue;
    const double kg = kernel_weight(kernel, g);
    arma::vec r(d);
    r[0] = 1.0;
    for (arma::uword a = 1; a < d; ++a) r[a] = r[a - 1] * g;
    c.gamma += kg * weight * (r * r.t());
    c.psi += kg * kg * weight * (r * r.t());
    c.lambda += std::pow(g, s + 1) * kg * weight * r;
  }
  return c;
}

double KernelConstants::bias_constant() const {
  const arma::vec g = arma::solve(gamma, lambda);
  return g[0];
}

double KernelConstants::variance_constant() const {
  const arma::mat gi = arma::inv(gamma);
  const arma::vec e = gi.col(0);
  return arma::as_scalar(e.t() * psi * e);
}

}  // namespace rddist
