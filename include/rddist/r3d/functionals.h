// functionals.h — summaries of a quantile function known on a grid.
//
// A side curve m̂±(q) is the quantile function of a distribution (paper §1: of the
// conditional Wasserstein barycenter at the cutoff), so distributional summaries are
// integrals of it over q. On a grid q_1 < ... < q_M inside (0, 1) we extend the curve
// flat to q = 0 and q = 1 (repeating the end values) and integrate by the trapezoid rule:
//   mean            μ = ∫_0^1 Q(p) dp
//   Gini            G = 1 - 2 ∫_0^1 L(p) dp,  Lorenz curve L(p) = ∫_0^p Q / μ  (cumulative
//                   trapezoids), clamped to [0, 1]; defined only for μ > 0
//   quantile spread Q(b) - Q(a), linear interpolation on the grid (e.g. q90 - q10)
//   tail means      (1/τ) ∫_0^τ Q  (lower) and (1/(1-τ)) ∫_τ^1 Q  (upper)
//   distribution    F(y) = |{u in [0, 1] : Q(u) <= y}|, Q linear between grid points; for
//                   a non-decreasing Q this inverts the curve. It is informative only for
//                   Q(q_1) <= y < Q(q_M): outside, the grid says only F(y) <= q_1 or
//                   F(y) >= q_M. Where the true quantile function is linear between grid
//                   points it is exact; otherwise its error is at most the spacing of the
//                   grid around y.
// The Gini follows R3D 0.1.0 step by step, so it matches the reference package.
#ifndef RDDIST_R3D_FUNCTIONALS_H
#define RDDIST_R3D_FUNCTIONALS_H

#include "rddist/arma.h"

namespace rddist {

double quantile_mean(const arma::vec& q, const arma::vec& Q);
double gini(const arma::vec& q, const arma::vec& Q);
double quantile_spread(const arma::vec& q, const arma::vec& Q, double lower, double upper);
double lower_tail_mean(const arma::vec& q, const arma::vec& Q, double tau);
double upper_tail_mean(const arma::vec& q, const arma::vec& Q, double tau);

double distribution_at(const arma::vec& q, const arma::vec& Q, double y);

// Q at level p by linear interpolation on the grid extended flat to [0, 1].
double interpolate_quantile(const arma::vec& q, const arma::vec& Q, double p);

}  // namespace rddist

#endif  // RDDIST_R3D_FUNCTIONALS_H
