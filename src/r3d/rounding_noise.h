// rounding_noise.h — when a computed quantity is floating-point noise (internal).
//
// Computations that are exact in real arithmetic (a polynomial fit to a polynomial, the
// difference of two identical curves) leave residues around 1e-15 of the data's scale.
// Ratios or comparisons of such residues are meaningless, so the bandwidth selector's
// plug-ins and the bootstrap's test statistics treat anything at or below kRoundingNoise
// times the relevant scale as exactly zero.
//
// The scale is the spread of the values the computation measures, not their size: adding
// 1e11 to every outcome changes no estimate, standard error or bandwidth, so it must not
// turn them into noise. The values' own rounding (a few ulps of their magnitude, ulp =
// 2.2e-16 relative) is the floor below which their variation cannot be told from zero:
// noise_scale() keeps kMagnitudeNoise of the magnitude (about 450 ulps) as that floor.
#ifndef RDDIST_ROUNDING_NOISE_H
#define RDDIST_ROUNDING_NOISE_H

#include <algorithm>
#include <cmath>

namespace rddist::detail {

constexpr double kRoundingNoise = 1e-10;
constexpr double kMagnitudeNoise = 1e-13;

// The scale for is_rounding_noise() of values with this spread (the variation measured)
// and magnitude (their largest absolute value).
inline double noise_scale(double spread, double magnitude) {
  return std::max(spread, magnitude * (kMagnitudeNoise / kRoundingNoise));
}

// `value` is zero up to rounding relative to `scale` (≥ 0).
inline bool is_rounding_noise(double value, double scale) {
  return std::fabs(value) <= kRoundingNoise * scale;
}

}  // namespace rddist::detail

#endif  // RDDIST_ROUNDING_NOISE_H
