// covariates.h — linear covariate adjustment with one coefficient vector common to both
// sides (Calonico, Cattaneo, Farrell and Titiunik 2019, §3), level by level.
//
// With unit-level covariates Z_i (d columns), each level's fit is the pooled weighted
// least-squares regression
//   Y_i(q) = 1{i above} r_p(u_i)'α₊(q) + 1{i below} r_p(u_i)'α₋(q) + Z_i'γ(q) + e_i(q),
// each side weighted by its own kernel K_h(x) = K(x/h)/h at its own bandwidth, and
// τ̂(q) = e_0'(α̂₊ − α̂₋).
// Partialling the side polynomials out (Frisch–Waugh) gives, with G, R, K of each side's
// window (local_poly.h) and the side residualised products
//   A± = Z'KZ − Z'KR G⁻¹ R'KZ,   b±(q) = Z'KY(q) − Z'KR G⁻¹ R'KY(q),
// the coefficients γ̂(q) = (A₊ + A₋)⁻¹ (b₊(q) + b₋(q)); the side intercepts are those of
// the adjusted responses Y(q) − Z'γ̂(q). Everything after that — the monotone projection,
// the bootstrap's residuals and leverages — works on the adjusted responses, as rdrobust
// does for a scalar outcome (its variance treats γ̂ as known, and so does ours).
// The covariates enter centred at their sample means Z̄, which leaves γ̂ and τ̂ unchanged
// and makes each side's curve the quantile function at the cutoff for units with the
// average covariates.
#ifndef RDDIST_R3D_COVARIATES_H
#define RDDIST_R3D_COVARIATES_H

#include <vector>

#include "rddist/arma.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/local_poly.h"
#include "rddist/r3d/sample.h"

namespace rddist {

// The windows serving each level on one side: level j is fitted in fits[fit_of_level[j]].
struct LevelWindows {
  const std::vector<LocalPolyFit>* fits = nullptr;
  arma::uvec fit_of_level;
};

// γ̂ (d × R): the covariate coefficients of the columns of y (n × R, one per level) from
// the windows of both sides. Throws data_error naming the covariate when one does not vary
// within the windows beyond what the side polynomials explain, or is collinear with
// earlier ones there; `what` names the response in that message ("the outcome").
arma::mat covariate_coefficients(const RdData& data, const arma::mat& y, const LevelWindows& above,
                                 const LevelWindows& below, const char* what);

// The same at given bandwidths per level of each side (windows of order options.p with
// options.kernel and the unit weights), for the bandwidth selector's second pass.
arma::mat covariate_coefficients_at(const RdData& data, const arma::mat& y, const arma::vec& h_above,
                                    const arma::vec& h_below, const EstimateOptions& options,
                                    const char* what);

// The sample means Z̄ of the covariates (1 × d).
arma::rowvec covariate_centre(const RdData& data);

// (Z_i − Z̄)'γ̂ for the units `units` (rows) and the columns `columns` of gamma, with Z̄
// = `centre`: what the adjustment subtracts from their responses.
arma::mat covariate_offset(const RdData& data, const arma::rowvec& centre, const arma::mat& gamma,
                           const arma::uvec& units, const arma::uvec& columns);

// Checks that the covariates vary and are not collinear in the whole sample (data_error
// naming the first covariate that is constant or a combination of earlier ones).
void check_covariates(const RdData& data);

}  // namespace rddist

#endif  // RDDIST_R3D_COVARIATES_H
