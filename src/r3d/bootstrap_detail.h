// bootstrap_detail.h — the influence rows of the multiplier bootstrap (shared between
// bootstrap_influence.cpp, which builds them, and bootstrap.cpp, which samples). Not
// installed.
#ifndef RDDIST_BOOTSTRAP_DETAIL_H
#define RDDIST_BOOTSTRAP_DETAIL_H

#include "rddist/r3d/bootstrap.h"

namespace rddist {
namespace detail {

// Influence rows of one side. Row r belongs to sampling unit streams[r] (a unit's
// canonical rank, or a cluster's rank); columns are the M levels, then the treatment
// column in fuzzy designs. Rows of units in the same cluster are summed.
struct SideInfluence {
  arma::mat rows;      // R × k
  arma::uvec streams;  // R stream indices
  arma::uvec units;    // R input indices (unclustered only; used with explicit multipliers)
};

struct Influence {
  SideInfluence plus, minus;
  arma::uword levels = 0;      // M
  bool fuzzy = false;
  arma::uword clusters = 0;    // number of clusters (0: unclustered)
};

// Replaces the residual rows of one fit (row k belongs to fit.units[k]) by their
// leverage-adjusted versions (see bootstrap_influence.cpp); cluster_of maps input units
// to clusters, or is empty for unit-level adjustment.
void adjust_residuals(arma::mat& resid, const LocalPolyFit& fit, Vce vce,
                      const arma::uvec& cluster_of);

Influence build_influence(const RdData& data, const Estimate& est, const arma::uvec& cluster,
                          Vce vce);

}  // namespace detail
}  // namespace rddist

#endif  // RDDIST_BOOTSTRAP_DETAIL_H
