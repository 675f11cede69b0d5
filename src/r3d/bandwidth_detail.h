// bandwidth_detail.h — pieces shared by the two bandwidth selectors (paper mode in
// bandwidth.cpp, R3D 0.1.0 compatibility mode in bandwidth_r3d.cpp). Not installed.
#ifndef RDDIST_BANDWIDTH_DETAIL_H
#define RDDIST_BANDWIDTH_DETAIL_H

#include <cmath>

#include "rddist/r3d/bandwidth.h"
#include "thin_products.h"

namespace rddist {
namespace detail {

// h = [variance / (2(s+1) bias²)]^{1/(2s+3)} · n^{−1/(2s+3)}.
inline double mse_optimal(double variance, double bias_sq, int s, double n) {
  const double e = 1.0 / (2.0 * s + 3.0);
  return std::pow(variance / (2.0 * (s + 1) * bias_sq), e) * std::pow(n, -e);
}

// The coverage-error shrinkage factor n^{−s/((2s+3)(s+3))}.
inline double coverage_factor(int s, double n) {
  return std::pow(n, -static_cast<double>(s) / ((2.0 * s + 3.0) * (s + 3.0)));
}

inline double factorial(int k) {
  double f = 1.0;
  for (int i = 2; i <= k; ++i) f *= i;
  return f;
}

BandwidthSelection select_bandwidths_r3d(const RdData& data, const BandwidthOptions& options);

}  // namespace detail
}  // namespace rddist

#endif  // RDDIST_BANDWIDTH_DETAIL_H
