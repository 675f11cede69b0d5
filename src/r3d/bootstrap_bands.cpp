// bootstrap_bands.cpp — the uniform band of τ and the per-level statistics and p-values
// (paper §2.6; see bootstrap.h for the formulas).
//
// Both band shapes are one rule with a scale s(q): the critical value is the order
// statistic of sup_q |Ĝ_b(q)| / s(q), and the band is τ̂(q) ± ĉ s(q), with s = 1 for the
// constant band and s = ŝ for the studentized band.
#include <cmath>
#include <limits>

#include "bootstrap_detail.h"
#include "rddist/error.h"
#include "rddist/normal.h"

namespace rddist {
namespace detail {

arma::vec sup_statistics(const arma::mat& x, const arma::vec& scale) {
  arma::vec sup(x.n_rows, arma::fill::zeros);
  for (arma::uword j = 0; j < x.n_cols; ++j) {
    if (std::isnan(scale[j])) continue;
    const double inv = 1.0 / scale[j];
    const double* col = x.colptr(j);
    for (arma::uword b = 0; b < x.n_rows; ++b) sup[b] = std::max(sup[b], std::fabs(col[b]) * inv);
  }
  return sup;
}

double share_at_or_above(const arma::vec& values, double statistic) {
  return static_cast<double>(arma::accu(values >= statistic)) / static_cast<double>(values.n_elem);
}

double monte_carlo_p_value(const arma::vec& values, double statistic) {
  return (static_cast<double>(arma::accu(values >= statistic)) + 1.0) /
         static_cast<double>(values.n_elem + 1);
}

void uniform_band(const Estimate& est, const Process& p, double alpha, BootstrapResult& r) {
  const arma::uword m = est.tau.n_elem;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const arma::vec sup = sup_statistics(p.draws, p.scale);
  // With every level degenerate there is nothing to measure a band with.
  r.crit_val = arma::find_finite(p.scale).is_empty() ? nan : critical_value(sup, alpha);
  r.band_low.set_size(m);
  r.band_high.set_size(m);
  r.statistic.set_size(m);
  r.p_value.set_size(m);
  r.p_value_uniform.set_size(m);
  for (arma::uword j = 0; j < m; ++j) {
    const double s = p.scale[j];
    r.band_low[j] = std::isnan(s) ? nan : est.tau[j] - r.crit_val * s;
    r.band_high[j] = std::isnan(s) ? nan : est.tau[j] + r.crit_val * s;
    const bool degenerate = std::isnan(s);
    r.statistic[j] = degenerate ? nan : est.tau[j] / r.se[j];
    r.p_value[j] = degenerate ? nan : 2.0 * (1.0 - normal_cdf(std::fabs(r.statistic[j])));
    // The smallest α at which the band τ̂ ± ĉ(α)s excludes zero at this level, t = |τ̂|/s:
    // ĉ(α) is the ⌈(1−α)(B+1)⌉-th smallest sup, which lies below t exactly when
    // α >= (#{sup >= t} + 1)/(B + 1), the Monte Carlo p-value of t among the sups.
    r.p_value_uniform[j] = degenerate ? nan : monte_carlo_p_value(sup, std::fabs(est.tau[j]) / s);
    if (degenerate) r.conf_low[j] = r.conf_high[j] = nan;
  }
}

}  // namespace detail

Band band_from_draws(const arma::vec& estimate, const arma::mat& process, const arma::vec& se,
                     BandType band, double alpha) {
  require(process.n_cols == estimate.n_elem && se.n_elem == estimate.n_elem, "draws",
          "the draws have ", process.n_cols, " levels but the estimate has ", estimate.n_elem);
  arma::vec scale = band == BandType::studentized ? se : arma::vec(se.n_elem, arma::fill::ones);
  scale.elem(arma::find(se <= 0.0)).fill(arma::datum::nan);
  Band b;
  b.crit_val = critical_value(detail::sup_statistics(process, scale), alpha);
  b.low = estimate - b.crit_val * scale;
  b.high = estimate + b.crit_val * scale;
  return b;
}

}  // namespace rddist
