// bootstrap_detail.h — the pieces of the multiplier bootstrap shared by its sources (not
// installed): the influence rows (bootstrap_influence.cpp), the sampled processes and their
// exact covariance (bootstrap.cpp), the bands and per-level p-values
// (bootstrap_bands.cpp), the tests (bootstrap_tests.cpp) and the functionals
// (bootstrap_functionals.cpp).
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

// Polls `hooks` between the fits of a side.
Influence build_influence(const RdData& data, const Estimate& est, const arma::uvec& cluster,
                          Vce vce, const Hooks& hooks = Hooks());

// The sampled side processes: B × M draws of ν̂₊ and ν̂₋, and B draws of ν̂T± (fuzzy).
struct Draws {
  arma::mat plus, minus;
  arma::vec t_plus, t_minus;
};

// What the bands and tests measure the process in: the process Ĝ (B × M), the exact
// covariance of Ĝ (M × M), and the scale s(q) of the band (ŝ(q) studentized, 1 constant).
// A level whose standard error is zero up to rounding is degenerate: its scale is NaN and
// it takes no part in sup statistics.
struct Process {
  arma::mat draws;
  arma::mat covariance;
  arma::vec scale;
  BandType band = BandType::constant;
  double noise = 0.0;  // the size of τ̂'s variation against which rounding noise is judged
};

// max over the levels of |x_b(q)| / s(q) for each row b of x; NaN scales are skipped.
arma::vec sup_statistics(const arma::mat& x, const arma::vec& scale);

// R's type-7 quantile of the values at level p.
double type7_quantile(arma::vec values, double p);

// Share of the values at or above `statistic`.
double share_at_or_above(const arma::vec& values, double statistic);

// (#{values >= statistic} + 1)/(B + 1): the Monte Carlo p-value, counting the observed
// statistic among the draws, which is exact under the null for any B and never zero
// (paper mode; R3D 0.1.0 reports the share of draws, which can be 0).
double monte_carlo_p_value(const arma::vec& values, double statistic);

// Fills the band, its critical value and the per-level statistics and p-values of `r`.
void uniform_band(const Estimate& est, const Process& p, double alpha, BootstrapResult& r);

// One test on one range of levels, with `statistic` for all but the Gini test.
TestResult run_test(TestType type, TestRange range, TestStatistic statistic, const Process& p,
                    const Estimate& est, const Draws& d, double alpha, const Hooks& hooks);

// One functional with its basic bootstrap interval.
FunctionalResult run_functional(const FunctionalSpec& f, const Estimate& est, const Draws& d,
                                double alpha, const Hooks& hooks);

}  // namespace detail
}  // namespace rddist

#endif  // RDDIST_BOOTSTRAP_DETAIL_H
