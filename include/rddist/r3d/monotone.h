// monotone.h — turning a fitted curve on the quantile grid into a quantile function.
//
// Pointwise fits m̂(q_1..q_M) need not be non-decreasing in q. Two remedies (paper §3):
//   isotonic_projection  the L² projection onto non-decreasing vectors (pool adjacent
//                        violators); used by the Fréchet estimator, where it is exactly the
//                        Wasserstein-space projection of the local Fréchet fit.
//   rearrange            monotone rearrangement by sorting the values (Chernozhukov,
//                        Fernández-Val and Galichon 2010); used by the simple estimator.
//   rearrange_r3d        the variant of R3D 0.1.0 (compatibility mode): interpolate the
//                        curve on the grid rescaled to [0, 1], sample it at 1001 equally spaced
//                        points and read back the type-7 quantiles of those samples at the
//                        rescaled grid.
#ifndef RDDIST_R3D_MONOTONE_H
#define RDDIST_R3D_MONOTONE_H

#include "rddist/arma.h"

namespace rddist {

// Non-decreasing vector closest to y in (weighted) least squares. Weights, if given,
// must be positive and as many as y.
arma::vec isotonic_projection(const arma::vec& y);
arma::vec isotonic_projection(const arma::vec& y, const arma::vec& weights);

// Applies isotonic_projection to every row of Y (units × levels) in place.
void isotonic_rows(arma::mat& Y);

// Values of y sorted ascending.
arma::vec rearrange(const arma::vec& y);

// R3D 0.1.0 rearrangement of y on the strictly increasing grid q (see above).
arma::vec rearrange_r3d(const arma::vec& q, const arma::vec& y);

}  // namespace rddist

#endif  // RDDIST_R3D_MONOTONE_H
