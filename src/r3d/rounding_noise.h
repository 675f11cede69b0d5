// rounding_noise.h — when a computed quantity is floating-point noise (internal).
//
// Computations that are exact in real arithmetic (a polynomial fit to a polynomial, the
// difference of two identical curves) leave residues around 1e-15 of the data's scale.
// Ratios or comparisons of such residues are meaningless, so the bandwidth selector's
// plug-ins and the bootstrap's test statistics treat anything at or below kRoundingNoise
// times the relevant scale as exactly zero.
#ifndef RDDIST_ROUNDING_NOISE_H
#define RDDIST_ROUNDING_NOISE_H

#include <cmath>

namespace rddist::detail {

constexpr double kRoundingNoise = 1e-10;

// `value` is zero up to rounding relative to `scale` (≥ 0).
inline bool is_rounding_noise(double value, double scale) {
  return std::fabs(value) <= kRoundingNoise * scale;
}

}  // namespace rddist::detail

#endif  // RDDIST_ROUNDING_NOISE_H
