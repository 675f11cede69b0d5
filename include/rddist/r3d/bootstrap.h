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
// Band: ĉ = the ⌈(1−α)(B+1)⌉-th smallest sup_q |Ĝ_b(q)|, band τ̂ ± ĉ. Pointwise standard
// errors sd_b Ĝ_b(q) and intervals τ̂ ± z_{1−α/2} se. Tests on a range R of levels:
//   nullity      sup_R |τ̂|,             draws sup_R |Ĝ_b|
//   homogeneity  sup_R |τ̂ − mean_R τ̂|,  draws sup_R |Ĝ_b − mean_R Ĝ_b|
//   gini         |Gini(m̂₊) − Gini(m̂₋)|,  draws |Gini(m̂₊+ν̂₊) − Gini(m̂₋+ν̂₋) − (Gini(m̂₊) − Gini(m̂₋))|
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
// centred (R3D 0.1.0's choice).
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
  // Residual adjustment. Unset: hc2 in paper mode (the adjustment whose band coverage was
  // closest to 95% in validation/vce_mc.R) and hc0 in compatibility mode, which allows
  // nothing else. hc0 is the paper's original process.
  std::optional<Vce> vce;
  arma::mat multipliers;         // optional n × B, row = unit in input order (overrides)
  arma::uvec cluster;            // optional cluster label per unit (input order)
  // Each test runs on each range (the whole grid when there is none); the Gini test
  // compares whole distributions and always uses the whole grid.
  std::vector<TestType> tests = {TestType::nullity, TestType::homogeneity};
  std::vector<TestRange> test_ranges;
  std::vector<FunctionalSpec> functionals;
  bool keep_draws = false;
  unsigned threads = 1;
};

// Checks the options that do not depend on the data (draws, alpha, ranges, the residual
// adjustment against the mode); argument_error naming the option otherwise.
void check_bootstrap_options(const BootstrapOptions& options, Compat compat);

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
  arma::uword clusters = 0;        // number of clusters (0: none)
  double crit_val = 0.0;           // uniform band half-width ĉ
  // Uniform bands of the side curves, m̂± ± ĉ±, from the sup over levels of |ν̂±|.
  double crit_val_plus = 0.0, crit_val_minus = 0.0;
  arma::vec se, conf_low, conf_high, band_low, band_high;
  // Always kept (small): the M × M covariance of Ĝ across the draws (divisor B − 1), whose
  // diagonal is se², and the pointwise standard errors of the side processes ν̂₊, ν̂₋.
  arma::mat covariance;
  arma::vec se_plus, se_minus;
  std::vector<TestResult> tests;
  std::vector<FunctionalResult> functionals;
  // Kept when options.keep_draws: B × M processes Ĝ, ν̂₊, ν̂₋, and B-vectors ν̂T±.
  arma::mat process, nu_plus, nu_minus;
  arma::vec nu_t_plus, nu_t_minus;
};

// The bootstrap of an estimate computed by estimate_r3d on `data` (the same units, in the
// same order).
BootstrapResult bootstrap_r3d(const RdData& data, const Estimate& estimate,
                              const BootstrapOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_BOOTSTRAP_H
