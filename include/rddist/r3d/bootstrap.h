// bootstrap.h — multiplier bootstrap, uniform bands, tests and functionals (paper §2.6,
// App. ).
//
// Each unit i in a window contributes an influence row: for side ±,
//   a_i(q) = s±,i(h(q)) · e_i(q),   e_i(q) = Q̂_i(q) − r_p(u_i)'α̂±(q)
// (for frechet the fitted row r_p(u_i)'α̂±(·) is first made monotone), and, in fuzzy
// designs, a_T,i = s±,i(h_T) · e_T,i with e_T,i = T_i − r_p(u_i)'α̂±,T. With multipliers
// ξ_i ~ N(0, 1) — one per unit, or one per cluster shared by its units — the process is
//   ν̂±(q) = Σ_i ξ_i a_i(q),   sharp Ĝ = ν̂₊ − ν̂₋,
//   fuzzy Ĝ = [Δ_T (ν̂₊ − ν̂₋) − Δ_Y (ν̂T₊ − ν̂T₋)] / Δ_T².
// Because the multipliers are Gaussian, (ν̂₊, ν̂₋, ν̂T₊, ν̂T₋) given the data is exactly a
// Gaussian vector with covariance W'W, W the matrix of influence rows (summed within
// clusters). The default sampler draws it from that covariance, which costs
// O(units · M² + B · M²) instead of O(units · B · M) for the literal sum; the literal sum
// ("multipliers" sampler, per-unit streams in canonical order) remains available and is
// used whenever the caller passes its own n × B multiplier matrix. Both samplers give the
// same bootstrap distribution.
//
// Standard errors: ŝ(q)² is the exact variance of Ĝ(q) given the data, the diagonal of
// the process's covariance L W'W L' (L the linear map above), without Monte Carlo noise.
// Bands, with s(q) = ŝ(q) (studentized band) or s(q) = 1 (constant band, the paper's):
//   ĉ = the ⌈(1−α)(B+1)⌉-th smallest of sup_q |Ĝ_b(q)| / s(q),   band τ̂(q) ± ĉ s(q).
// Pointwise intervals τ̂ ± z_{1−α/2} ŝ, pointwise p-values 2(1 − Φ(|τ̂/ŝ|)), and uniform
// p-values: the smallest α at which the band excludes 0 at q, which with the order-statistic
// rule is (#{b : sup |Ĝ_b| / s >= |τ̂(q)| / s(q)} + 1) / (B + 1). Tests on a range R of levels, with the band's scale s:
//   nullity      sup_R |τ̂/s|,              draws sup_R |Ĝ_b/s|
//   homogeneity  sup_R |(τ̂ − mean_R τ̂)/s_h|, draws sup_R |(Ĝ_b − mean_R Ĝ_b)/s_h|, s_h the
//                standard error of the centred process (1 for the constant band)
//   nonnegative  sup_R (−τ̂/s),             draws sup_R (−Ĝ_b/s): H0 τ(q) ≥ 0 on R, at its
//                least favourable point τ = 0; rejecting says that some quantile falls
//   nonpositive  sup_R (τ̂/s),              draws sup_R (Ĝ_b/s): H0 τ(q) ≤ 0 on R
//   gini         |Gini(m̂₊) − Gini(m̂₋)|,  draws |Gini(m̂₊+ν̂₊) − Gini(m̂₋+ν̂₋) − (Gini(m̂₊) − Gini(m̂₋))|
// Those are the sup statistics (TestStatistic::sup). The Cramér–von Mises statistics
// (TestStatistic::cvm) replace the largest deviation by the mean square over the range,
// Σ_q w(q) t(q)² with t the scaled deviation above (one-sided: max(t(q), 0)²), and the
// weights w(q) the share of the range nearest to each level (equal on an evenly spaced
// grid; levels whose scale is degenerate are left out). The min-p statistic
// (TestStatistic::minp) is min(p_sup, p_cvm), the two statistics' shares of draws at or
// above them; each draw gets the min of its own two shares among the draws, and the test
// rejects for small values: its p-value counts the draws whose min-p is at most the
// estimate's (where the others count those at or above), and its reported critical value
// is the α quantile of the draws' min-p (reject below it).
// p-value = share of draws at or above the statistic; reported test critical values are
// type-7 quantiles of the draws at 1 − α. Functionals φ of the side curves get basic
// bootstrap intervals from φ(m̂ + ν̂_b) − φ(m̂); draws where φ is not finite are left out
// (with a warning), while φ must be finite at the estimate itself.
//
// Residual adjustment (vce): hc0 uses e_i as above (the paper's process). hc2 and hc3
// replace e_i by e_i/sqrt(1 − h_ii) and e_i/(1 − h_ii), h_ii the unit's leverage in its
// side's weighted fit at that bandwidth (the treatment fit for e_T,i). With clusters the
// residuals of a cluster's units are replaced by (I − H_gg)^{−1/2} e_g (CR2) or
// (I − H_gg)^{−1} e_g (CR3, the leave-cluster-out residuals), H_gg the cluster's block of
// the hat matrix; for clusters of one unit these are hc2 and hc3. For frechet the same
// transformation is applied to the residuals from the monotone fitted rows. A leverage
// (or cluster block eigenvalue) of 1 leaves the adjustment undefined and is an error.
//
// Compatibility mode (r3d-0.1.0): only units with a strictly positive intercept weight
// contribute (at each level); the fuzzy treatment rows are weighted by the outcome weights
// of the first level and exist only for units positive there; the Gini draws are not
// centred (R3D 0.1.0's choice); the band is constant (R3D's), and so are the tests, with
// the sup statistic.
#ifndef RDDIST_R3D_BOOTSTRAP_H
#define RDDIST_R3D_BOOTSTRAP_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/r3d/estimate.h"
#include "rddist/hooks.h"

namespace rddist {

// A range of levels for the tests: levels q with low <= q <= high (a tolerance of 1e-12
// keeps grid points written in decimal inside).
struct TestRange {
  double low = 0.0, high = 1.0;
};

struct BootstrapOptions {
  arma::uword draws = 2000;      // B
  double alpha = 0.05;
  // Seed of the multipliers; unset: one is drawn from std::random_device and reported.
  std::optional<std::uint64_t> seed;
  Sampler sampler = Sampler::gaussian;
  // Band shape. Unset: studentized in paper mode (see validation/band_mc.R for the choice),
  // constant in compatibility mode, which allows nothing else.
  std::optional<BandType> band;
  // Residual adjustment. Unset: hc3 in paper mode (with the studentized band, the
  // narrowest candidate covering at least 94% in every design of validation/band_mc.R
  // with n >= 500) and hc0 in compatibility mode, which allows nothing else. hc0 is the
  // paper's original process.
  std::optional<Vce> vce;
  arma::mat multipliers;         // optional n × B, row = unit in input order (overrides)
  arma::uvec cluster;            // optional cluster label per unit (input order)
  // Each test runs on each range (the whole grid when there is none); the Gini test
  // compares whole distributions and always uses the whole grid. Unset: default_tests().
  std::optional<std::vector<TestType>> tests;
  // Statistic of the nullity, homogeneity and one-sided tests. Unset: minp with the
  // studentized band (in validation/test_statistic_mc.R it keeps the size and, averaged
  // over the designs, rejects false nulls as often as sup, while cvm, stronger against
  // shifts of the whole distribution, is far weaker against effects confined to part of
  // it); sup with the constant band, whose tests are the paper's, and in compatibility
  // mode, which allows nothing else.
  std::optional<TestStatistic> test_statistic;
  std::vector<TestRange> test_ranges;
  std::vector<FunctionalSpec> functionals;
  bool keep_draws = false;
  unsigned threads = 1;
};

// Checks the options that do not depend on the data (draws, alpha, ranges, the residual
// adjustment against the mode); argument_error naming the option otherwise.
void check_bootstrap_options(const BootstrapOptions& options, Compat compat);

// The tests run when none are asked for: nullity, and homogeneity when the grid has at
// least two levels.
std::vector<TestType> default_tests(arma::uword levels);

// The tests `options` asks for on a grid of `levels` levels.
std::vector<TestType> requested_tests(const BootstrapOptions& options, arma::uword levels);

// The uniform band's critical value from B sup-statistics: the k-th smallest with
// k = ⌈(1 − α)(B + 1)⌉ (argument_error when k > B: too few draws for the level).
double critical_value(arma::vec sup_statistics, double alpha);

struct TestResult {
  TestType type;
  double low, high;              // the range, within the grid's levels
  arma::uword levels;            // number of grid levels in the range
  double statistic, crit_val, p_value;
};

struct FunctionalResult {
  std::string name;
  double plus, minus, difference;  // φ(m̂₊), φ(m̂₋), their difference
  double se, conf_low, conf_high;  // for the difference
};

struct BootstrapResult {
  arma::uword draws = 0;
  double alpha = 0.05;
  std::uint64_t seed = 0;          // the seed used (given or drawn)
  Sampler sampler = Sampler::gaussian;
  Vce vce = Vce::hc0;              // the adjustment used
  BandType band = BandType::constant;  // the band shape used
  TestStatistic test_statistic = TestStatistic::sup;  // the tests' statistic used
  arma::uword clusters = 0;        // number of clusters (0: none)
  // The band's critical value ĉ: its half-width (constant) or half-width in standard
  // errors (studentized).
  double crit_val = 0.0;
  arma::vec se, conf_low, conf_high, band_low, band_high;
  // Per level: the t-statistic τ̂/ŝ, its pointwise two-sided p-value, and the uniform
  // p-value (the smallest α at which the band excludes zero there).
  arma::vec statistic, p_value, p_value_uniform;
  // Uniform bands of the side curves m̂± with the same shape, from the sup over levels of
  // |ν̂±|/s±, and their critical values.
  double crit_val_plus = 0.0, crit_val_minus = 0.0;
  arma::vec band_plus_low, band_plus_high, band_minus_low, band_minus_high;
  // The exact M × M covariance of Ĝ given the data, whose diagonal is se², and the exact
  // pointwise standard errors of the side processes ν̂₊, ν̂₋.
  arma::mat covariance;
  arma::vec se_plus, se_minus;
  // Fuzzy designs: the exact standard error of the first-stage jump m̂₊,T − m̂₋,T from the
  // same covariance, and the first-stage F = (jump / se)²; NaN for sharp designs.
  double first_stage_se = arma::datum::nan, first_stage_f = arma::datum::nan;
  std::vector<TestResult> tests;
  std::vector<FunctionalResult> functionals;
  // Kept when options.keep_draws: B × M processes Ĝ, ν̂₊, ν̂₋, and B-vectors ν̂T±.
  arma::mat process, nu_plus, nu_minus;
  arma::vec nu_t_plus, nu_t_minus;
};

// The uniform band of `estimate` at level 1 − alpha from kept draws of its process
// (B × M), with a bootstrap result's band shape and standard errors (bands at other levels
// than the bootstrap's own, e.g. R's confint()).
struct Band {
  double crit_val = 0.0;
  arma::vec low, high;
};
Band band_from_draws(const arma::vec& estimate, const arma::mat& process, const arma::vec& se,
                     BandType band, double alpha);

// The bootstrap of an estimate computed by estimate_r3d on `data` (the same units, in the
// same order).
BootstrapResult bootstrap_r3d(const RdData& data, const Estimate& estimate,
                              const BootstrapOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_BOOTSTRAP_H
