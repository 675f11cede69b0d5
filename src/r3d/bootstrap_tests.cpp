// bootstrap_tests.cpp — uniform tests of the effect on ranges of levels and the test of
// equal Gini indices (paper §2.6; see bootstrap.h for the statistics).
//
// Every test compares a statistic computed from τ̂ with the same statistic computed from
// each bootstrap draw of the process Ĝ, measured in the band's scale s(q) (1 for the
// constant band, ŝ(q) for the studentized one); the one-sided tests use the signed
// process, calibrated at the least favourable point τ = 0 of their null hypothesis.
#include <algorithm>
#include <cmath>
#include <vector>

#include "bootstrap_detail.h"
#include "rounding_noise.h"
#include "rddist/error.h"
#include "rddist/r3d/functionals.h"
#include "rddist/r3d/quantiles.h"

namespace rddist {
namespace detail {
namespace {

arma::uvec levels_in(const arma::vec& q, double low, double high) {
  const double tol = 1e-12;
  return arma::find(q >= low - tol && q <= high + tol);
}

// Statistics at rounding level relative to `scale` (rounding_noise.h) carry no evidence
// against the null (outcomes identical across units over the tested levels give
// |τ̂| ≈ 1e-15 and draws of the same size): they count as exactly zero, so such a test
// has p-value 1, not 0.
void drop_rounding_noise(double scale, double& statistic, arma::vec& stats) {
  if (is_rounding_noise(statistic, scale)) statistic = 0.0;
  stats.transform([scale](double s) { return is_rounding_noise(s, scale) ? 0.0 : s; });
}

// The size of τ̂'s values in the band's scale: the side curves' largest magnitude (over
// the first stage's jump in fuzzy designs), divided by the smallest standard error for a
// studentized band.
double statistic_scale(const Estimate& est, const Process& p, const arma::uvec& idx) {
  const double sides = std::max(arma::abs(est.plus.curve).max(), arma::abs(est.minus.curve).max());
  const double effect = est.options.fuzzy ? sides / std::fabs(est.first_stage.jump) : sides;
  if (p.band == BandType::constant) return effect;
  double smallest = INFINITY;
  for (arma::uword j : idx)
    if (!std::isnan(p.scale[j])) smallest = std::min(smallest, p.scale[j]);
  return std::isfinite(smallest) ? effect / smallest : effect;
}

// The Gini test's statistic and draws.
void gini_test(const Estimate& est, const Draws& d, const Hooks& hooks, double& statistic,
               arma::vec& stats) {
  const arma::vec& q = est.q_grid;
  const double g = gini(q, est.plus.curve) - gini(q, est.minus.curve);
  const bool centred = est.options.compat == Compat::paper;
  arma::uword failed = 0;
  std::vector<double> kept;
  for (arma::uword k = 0; k < d.plus.n_rows; ++k) {
    try {
      const double gb = gini(q, est.plus.curve + d.plus.row(k).t()) -
                        gini(q, est.minus.curve + d.minus.row(k).t());
      kept.push_back(std::fabs(centred ? gb - g : gb));
    } catch (const data_error&) {
      ++failed;
    }
  }
  require_data<numerical_error>(!kept.empty(), "the Gini test failed: no bootstrap draw gave "
                                "positive means on both sides");
  if (failed)
    hooks.warn(detail::concat("gini test: ", failed, " of ", d.plus.n_rows, " bootstrap draws "
                              "had a non-positive mean on one side and were left out"));
  stats = arma::vec(kept);
  statistic = std::fabs(g);
  drop_rounding_noise(1.0, statistic, stats);  // the Gini index is scale-free
}

// Homogeneity: the process and τ̂ centred by their mean over the range, in the scale of
// the centred process (its exact standard errors, for a studentized band).
void homogeneity_test(const Estimate& est, const Process& p, const arma::uvec& idx,
                      double& statistic, arma::vec& stats) {
  const arma::uword m = idx.n_elem;
  arma::vec tau = est.tau.elem(idx);
  tau -= arma::mean(tau);
  arma::mat sub = p.draws.cols(idx);
  sub.each_col() -= arma::mean(sub, 1);
  arma::vec scale(m, arma::fill::ones);
  if (p.band == BandType::studentized) {
    const arma::mat centre = arma::eye(m, m) - arma::mat(m, m, arma::fill::value(1.0 / m));
    const arma::mat cov = centre * p.covariance.submat(idx, idx) * centre;
    scale = arma::sqrt(arma::clamp(cov.diag(), 0.0, arma::datum::inf));
    for (arma::uword j = 0; j < m; ++j)
      if (std::isnan(p.scale[idx[j]]) || !(scale[j] > 0.0)) scale[j] = arma::datum::nan;
  }
  stats = sup_statistics(sub, scale);
  statistic = sup_statistics(tau.t(), scale)[0];
}

// The one-sided tests: the largest signed deviation, sign +1 for H0 τ ≤ 0 and −1 for
// H0 τ ≥ 0.
void one_sided_test(const Estimate& est, const Process& p, const arma::uvec& idx, double sign,
                    double& statistic, arma::vec& stats) {
  statistic = -INFINITY;
  stats.set_size(p.draws.n_rows);
  stats.fill(-INFINITY);
  for (arma::uword j : idx) {
    const double s = p.scale[j];
    if (std::isnan(s)) continue;
    statistic = std::max(statistic, sign * est.tau[j] / s);
    for (arma::uword b = 0; b < p.draws.n_rows; ++b)
      stats[b] = std::max(stats[b], sign * p.draws(b, j) / s);
  }
}

}  // namespace

double type7_quantile(arma::vec v, double p) {
  v = arma::sort(v);
  return sorted_quantile(v.memptr(), v.n_elem, p, QuantileType::type7);
}

TestResult run_test(TestType type, TestRange range, const Process& p, const Estimate& est,
                    const Draws& d, double alpha, const Hooks& hooks) {
  const arma::vec& grid = est.q_grid;
  if (type == TestType::gini) range = TestRange{grid.min(), grid.max()};
  TestResult r{type, std::max(range.low, grid.min()), std::min(range.high, grid.max()), 0,
               0.0, 0.0, 0.0};
  arma::vec stats;
  const double nan = arma::datum::nan;
  if (type == TestType::gini) {
    if (arma::find_finite(p.scale).is_empty()) {  // a degenerate bootstrap: nothing to test
      r.statistic = r.p_value = r.crit_val = nan;
      r.levels = grid.n_elem;
      return r;
    }
    gini_test(est, d, hooks, r.statistic, stats);
    r.levels = grid.n_elem;
  } else {
    const arma::uvec idx = levels_in(grid, range.low, range.high);
    const arma::uword need = type == TestType::homogeneity ? 2 : 1;
    require(idx.n_elem >= need, "test_ranges", "the ", to_string(type), " test range [",
            range.low, ", ", range.high, "] contains ", idx.n_elem,
            " level(s) of the quantile grid; it needs at least ", need);
    r.levels = idx.n_elem;
    if (arma::find_finite(arma::vec(p.scale.elem(idx))).is_empty()) {
      r.statistic = r.p_value = r.crit_val = nan;
      return r;
    }
    if (type == TestType::nullity) {
      stats = sup_statistics(p.draws, p.scale, idx);
      r.statistic = sup_statistics(est.tau.t(), p.scale, idx)[0];
    } else if (type == TestType::homogeneity) {
      homogeneity_test(est, p, idx, r.statistic, stats);
    } else {
      one_sided_test(est, p, idx, type == TestType::nonpositive ? 1.0 : -1.0, r.statistic, stats);
    }
    drop_rounding_noise(statistic_scale(est, p, idx), r.statistic, stats);
  }
  r.p_value = est.options.compat == Compat::paper ? monte_carlo_p_value(stats, r.statistic)
                                                  : share_at_or_above(stats, r.statistic);
  r.crit_val = type7_quantile(stats, 1.0 - alpha);
  return r;
}

}  // namespace detail
}  // namespace rddist
