// normal.cpp — Φ and Φ⁻¹ (see normal.h).
#include "rddist/normal.h"

#include <cmath>

#include "rddist/error.h"

namespace rddist {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  fail_if(!(p > 0.0 && p < 1.0), "normal_quantile", "p = ", p, " must lie strictly between 0 and 1");
  // Work in the lower half and reflect, so that Φ(z) − p is computed without cancellation.
  const bool upper = p > 0.5;
  const double r = upper ? 1.0 - p : p;
  // Start: z ≈ −sqrt(−2 ln r) corrected (Abramowitz–Stegun 26.2.23 form), then Halley.
  const double t = std::sqrt(-2.0 * std::log(r));
  double z = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                       (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (int it = 0; it < 8; ++it) {
    const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
    if (pdf == 0.0) break;
    const double f = (0.5 * std::erfc(-z / std::sqrt(2.0)) - r) / pdf;  // Newton step
    const double step = f / (1.0 + 0.5 * z * f);                        // Halley correction
    z -= step;
    if (std::fabs(step) <= 1e-16 * std::fabs(z)) break;
  }
  return upper ? -z : z;
}

}  // namespace rddist
