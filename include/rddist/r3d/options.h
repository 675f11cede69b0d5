// options.h — the named choices of the R3D pipeline and their spellings, in one place.
//
// Each enumeration has a parser from the spelling the R and command-line front ends use
// (parse_*) and the inverse (to_string), so that every front end accepts and reports
// exactly the same names. Parsers throw rddist::argument_error naming the argument and
// listing the valid names.
#ifndef RDDIST_R3D_OPTIONS_H
#define RDDIST_R3D_OPTIONS_H

#include <functional>
#include <string>

#include "rddist/arma.h"

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

// How the bootstrap draws its process: from the exact Gaussian law of the multiplier sums
// (gaussian), or as the literal sums with one multiplier per unit or cluster (multipliers).
enum class Sampler { gaussian, multipliers };

// The uniform band's shape: τ̂(q) ± ĉ·ŝ(q), with ŝ the pointwise standard error
// (studentized), or τ̂(q) ± ĉ with one half-width for every level (constant, the paper's).
enum class BandType { studentized, constant };

// How the outcome bandwidth is selected: one for both sides, minimising the (I)MSE of τ̂
// (common), or one per side, each minimising the (I)MSE of its own side's intercept curve
// (two; rdrobust's msetwo).
enum class BandwidthRule { common, two };

// Uniform tests of the effect on a range of levels (paper §2.6): τ = 0 (nullity), τ
// constant (homogeneity), τ ≥ 0 (nonnegative; rejecting says some quantile falls) and
// τ ≤ 0 (nonpositive); and a test of equal Gini indices.
enum class TestType { nullity, homogeneity, gini, nonnegative, nonpositive };

// How a uniform test sums up its deviations t(q) (in the band's scale) over the tested
// levels: their largest value (sup, dual to the band: the band excludes zero at some
// level exactly when the sup nullity test rejects), or their mean square over the range
// (cvm, Cramér–von Mises: evidence accumulates across levels), or the smaller of those two
// statistics' p-values, calibrated by the same draws (minp: a test as powerful as the
// better of the two up to the price of choosing between them).
enum class TestStatistic { sup, cvm, minp };

// Functionals of a side's quantile function with bootstrap intervals for their difference.
enum class FunctionalType { mean, gini, spread, lower_tail_mean, upper_tail_mean, cdf, custom };

struct FunctionalSpec {
  FunctionalType type = FunctionalType::mean;
  double a = 0.1, b = 0.9;  // spread: Q(b) − Q(a); tail means: τ = a; cdf: the value y
  // custom: the caller's function φ(q, Q) of a quantile function Q on the grid q, and its
  // name. It must return a finite number at the estimated curves.
  std::function<double(const arma::vec& q, const arma::vec& Q)> function;
  std::string label;
  std::string name() const;  // the spelling parse_functional accepts (custom: the label)
};

Method parse_method(const std::string& name);
Kernel parse_kernel(const std::string& name);
Compat parse_compat(const std::string& name);
QuantileType parse_quantile_type(int type);
Vce parse_vce(const std::string& name);
Sampler parse_sampler(const std::string& name);
BandType parse_band_type(const std::string& name);
BandwidthRule parse_bandwidth_rule(const std::string& name);
TestType parse_test(const std::string& name);
TestStatistic parse_test_statistic(const std::string& name);
// "mean", "gini", "q90-q10" (spread between two percentiles), "lower_mean:0.1" (mean
// below the 10th percentile), "upper_mean:0.9" (mean above the 90th), "cdf:1.5" (the
// distribution function at 1.5, P(Y <= 1.5)).
FunctionalSpec parse_functional(const std::string& text);
// A user's functional φ(q, Q) named `label`.
FunctionalSpec custom_functional(std::string label,
                                 std::function<double(const arma::vec&, const arma::vec&)> f);

std::string to_string(Side side);
std::string to_string(Method method);
std::string to_string(Kernel kernel);
std::string to_string(Compat compat);
int to_int(QuantileType type);
std::string to_string(Vce vce);
std::string to_string(Sampler sampler);
std::string to_string(BandType band);
std::string to_string(BandwidthRule rule);
std::string to_string(TestType type);
std::string to_string(TestStatistic statistic);

}  // namespace rddist

#endif  // RDDIST_R3D_OPTIONS_H
