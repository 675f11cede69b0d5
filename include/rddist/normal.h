// normal.h — the standard normal distribution function and its inverse.
//
// Φ(z) = erfc(−z/√2)/2 from the C library. Φ⁻¹(p) starts from a logistic-type
// approximation and takes Halley steps on Φ(z) − p, which converge to full double
// precision in a few iterations for p in (0, 1).
#ifndef RDDIST_NORMAL_H
#define RDDIST_NORMAL_H

namespace rddist {

double normal_cdf(double z);
double normal_quantile(double p);  // p in (0, 1); throws invalid_argument otherwise

}  // namespace rddist

#endif  // RDDIST_NORMAL_H
