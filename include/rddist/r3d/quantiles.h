// quantiles.h — empirical quantile functions of the units' samples (paper §1).
//
// Each unit i contributes its own sample Z_i1..Z_in_i; the estimators work with the
// matrix of its empirical quantiles Q̂_i(q_j), one row per unit and one column per level.
//
// Definitions, for a sample sorted as z_(1) <= ... <= z_(n):
//   type 7 (R's default): h = (n - 1) q + 1, Q(q) = z_(⌊h⌋) + (h - ⌊h⌋)(z_(⌊h⌋+1) - z_(⌊h⌋)).
//   type 1 (the paper's): Q(q) = inf{z : F̂(z) >= q}, F̂ the empirical distribution function.
// Both follow R's stats::quantile() operation by operation, so results agree to the last bit.
//
// Weighted samples (sampling weights w_k >= 0, normalised to sum to one, zero weights ignored):
//   type 1: Q(q) = z_(k) for the smallest k with S_k = w_1 + ... + w_k >= q
//           (up to a relative tolerance of 4 machine epsilons).
//   type 7: the k-th order statistic sits at p_k = (S_k - w_k/2 - w_1/2) / (1 - w_1/2 - w_n/2),
//           the midpoint of its slice of cumulative weight, rescaled so that p_1 = 0 and
//           p_n = 1; Q interpolates linearly between the points (p_k, z_(k)).
// With equal weights p_k = (k - 1)/(n - 1) and S_k = k/n, so both reduce to the unweighted
// definitions; the implementation takes the unweighted path whenever all weights are equal.
#ifndef RDDIST_R3D_QUANTILES_H
#define RDDIST_R3D_QUANTILES_H

#include <cstddef>
#include <vector>

#include "rddist/arma.h"
#include "rddist/hooks.h"
#include "rddist/r3d/options.h"

namespace rddist {

// A read-only view of one unit's draws; weights is null for an unweighted sample.
struct UnitSample {
  const double* values = nullptr;
  const double* weights = nullptr;
  std::size_t size = 0;
};

// Quantile of an ascending sample at level q in [0, 1].
double sorted_quantile(const double* sorted, std::size_t n, double q, QuantileType type);

// Quantiles of a sample (any order) at the levels q; optional draw weights.
arma::vec empirical_quantiles(const arma::vec& sample, const arma::vec& q,
                              QuantileType type = QuantileType::type7);
arma::vec weighted_quantiles(const arma::vec& sample, const arma::vec& weights,
                             const arma::vec& q, QuantileType type = QuantileType::type7);

// The n × M matrix of the units' empirical quantiles at the levels q. Checks every unit
// (non-empty, finite values, valid weights) and names the first offending unit, counted
// from 1 in input order. Units are split across `threads` worker threads.
arma::mat quantile_matrix(const std::vector<UnitSample>& units, const arma::vec& q,
                          QuantileType type = QuantileType::type7, unsigned threads = 1,
                          const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_QUANTILES_H
