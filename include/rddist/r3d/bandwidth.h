// bandwidth.h — MSE- and IMSE-optimal bandwidths for the R3D estimators (paper App. ).
//
// Robust bias correction is built in: the estimate uses order p = s + 1 with the bandwidth
// that is (I)MSE-optimal for order s (Calonico, Cattaneo and Titiunik 2014). For side ±,
//   B±(q) = e_0'Γ±⁻¹Λ± · m±^{(s+1)}(q) / (s+1)!                    leading bias
//   V±(q) = σ²±(q) · e_0'Γ±⁻¹Ψ±Γ±⁻¹e_0 / f_X(c)                    variance
//   simple   h(q) = [ (V₊+V₋) / (2(s+1) (B₊−B₋)²) ]^{1/(2s+3)} n^{−1/(2s+3)}
//   frechet  h    = [ ∫(V₊+V₋) dq / (2(s+1) ∫(B₊−B₋)² dq) ]^{1/(2s+3)} n^{−1/(2s+3)}
//   fuzzy    h_T  from the same formula with T as the response.
// With rule "two" each side gets its own bandwidth from its own terms, h±(q) =
// [V± / (2(s+1) B±²)]^{1/(2s+3)} n^{−1/(2s+3)} (integrated over q for frechet), after the
// same common pilot.
// The unknowns are estimated in three steps: Silverman's density at the cutoff; a pilot
// from global polynomials of degree s+1 on each side; a first stage of local polynomials
// of order s+1 at the pilot bandwidth. Integrals over q use trapezoid weights.
//
// Paper mode regularises the squared bias by adding `regularization` times the estimated
// variance of the bias estimate (as rdrobust does), so a flat curvature estimate gives a
// large but finite bandwidth instead of a fallback; it then keeps the bandwidth where the
// estimator can work: at least p + 2 distinct x on each side, and no wider than the data.
// Every adjustment is recorded in `notes`.
//
// Unit weights multiply the kernel weights in every fit, as in the estimate; units of
// weight zero are left out. With covariates the selector runs twice: first on the raw
// responses, then on the responses adjusted with the covariate coefficients estimated at
// the first pass's bandwidths (covariates.h), whose result it returns.
//
// Compatibility mode (r3d-0.1.0) reproduces R3D 0.1.0: Riemann-sum kernel constants,
// OLS pilots on the raw x, a triangular first stage of order s whose last coefficient
// divided by (s+1)! is the bias term, variances from the units with positive intercept
// weight, and Silverman's rule 1.06·sd(X)·n^{−1/(2s+1)} whenever a bias term is ≤ 1e-14.
#ifndef RDDIST_R3D_BANDWIDTH_H
#define RDDIST_R3D_BANDWIDTH_H

#include <limits>
#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/r3d/estimate.h"
#include "rddist/hooks.h"
#include "rddist/r3d/options.h"

namespace rddist {

struct BandwidthOptions {
  // The estimate the bandwidths are for: cutoff, method, kernel, mode, design, and the
  // order p of the final fit (used by the guards only).
  EstimateOptions estimate;
  int s = 1;                       // order whose (I)MSE is optimised
  bool coverage = false;           // multiply by n^{−s/((2s+3)(s+3))} (Calonico et al.)
  double regularization = 1.0;     // paper mode: multiple of Var(bias estimate) added
  BandwidthRule rule = BandwidthRule::common;  // one bandwidth for both sides, or one each
  bool outcome = true;             // false: only the treatment bandwidth (fuzzy designs)
  unsigned threads = 1;            // paper mode: 2 fits the two sides concurrently
};

// Checks s and the regularisation; argument_error naming them otherwise.
void check_bandwidth_options(const BandwidthOptions& options);

struct BandwidthSelection {
  static constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

  arma::vec h_num;          // outcome bandwidth: one value (frechet) or one per level;
                            // above the cutoff (and below it with rule common)
  double h_den = NaN;       // treatment bandwidth (fuzzy), above the cutoff
  arma::vec h_num_below;    // the bandwidths below the cutoff (equal to h_num for common)
  double h_den_below = NaN;
  // With covariates: the first pass's bandwidths, at which the coefficients adjusting the
  // responses of the second pass were estimated.
  arma::vec covariate_pilot_num, covariate_pilot_num_below;
  double covariate_pilot_den = NaN, covariate_pilot_den_below = NaN;
  arma::vec pilot_num;      // pilot bandwidth(s), shaped like h_num
  double pilot_den = NaN;
  // First-stage plug-ins per level. Paper mode: B± and V± as in the header formulas.
  // Compatibility mode: R3D's quantities (last coefficient / (s+1)!, positive-weight
  // mean squared residual), which omit the kernel constants and f_X.
  arma::vec B_plus, B_minus, V_plus, V_minus;
  arma::vec regularizer;    // paper mode: the term added to (B₊−B₋)² per level
  double B_plus_den = NaN, B_minus_den = NaN, V_plus_den = NaN, V_minus_den = NaN;
  double f_x = NaN;         // density of the running variable at the cutoff
  double silverman = NaN;   // Silverman's bandwidth 1.06·sd(X)·n^{−1/5} used for f_x
  std::vector<std::string> notes;  // guards and fallbacks that fired, in order
};

// Kernel density of the centred running variable at zero with Silverman's bandwidth
// b = 1.06·sd(x)·n^{−1/5}: f = mean(K(x/b)) / b, the mean weighted by `weights` when
// given. Returns f and sets *bandwidth to b.
double silverman_density(const arma::vec& x_centred, Kernel kernel, double* bandwidth = nullptr,
                         const arma::vec& weights = arma::vec());

BandwidthSelection select_bandwidths(const RdData& data, const BandwidthOptions& options,
                                     const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_BANDWIDTH_H
