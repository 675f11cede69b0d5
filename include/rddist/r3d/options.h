// options.h — the named choices shared by every stage of the R3D pipeline.
//
// Each enumeration has a parser from the spelling used by the R and command-line front
// ends (parse_*) and the inverse (to_string), so that all front ends accept and report
// exactly the same names. Parsers throw rddist::invalid_argument listing the valid names.
#ifndef RDDIST_R3D_OPTIONS_H
#define RDDIST_R3D_OPTIONS_H

#include <string>

namespace rddist {

// Side of the cutoff: above holds x >= c, below holds x < c (paper §2).
enum class Side { below, above };

// Estimator (paper §2.5): local Fréchet regression in Wasserstein space, or local
// polynomial regression quantile by quantile.
enum class Method { frechet, simple };

// Kernels supported on [-1, 1] and integrating to one.
enum class Kernel { triangular, epanechnikov, uniform };

// Numerical conventions: the paper's, or those of the reference package R3D 0.1.0.
enum class Compat { paper, r3d_0_1_0 };

// Empirical quantile definition used for the units' samples (R's types 7 and 1).
enum class QuantileType { type7, type1 };

// Residuals entering the multiplier bootstrap: raw (hc0, the paper's process), or scaled
// by the leverage of their local polynomial fit, 1/sqrt(1 − h_ii) (hc2) or 1/(1 − h_ii)
// (hc3); with clusters the leave-cluster-out analogues (CR2, CR3).
enum class Vce { hc0, hc2, hc3 };

Method parse_method(const std::string& name);
Kernel parse_kernel(const std::string& name);
Compat parse_compat(const std::string& name);
QuantileType parse_quantile_type(int type);
Vce parse_vce(const std::string& name);

std::string to_string(Side side);
std::string to_string(Method method);
std::string to_string(Kernel kernel);
std::string to_string(Compat compat);
int to_int(QuantileType type);
std::string to_string(Vce vce);

}  // namespace rddist

#endif  // RDDIST_R3D_OPTIONS_H
