// bootstrap_tests.cpp — uniform tests of the effect on ranges of levels and the test of
// equal Gini indices (paper §2.6; see bootstrap.h for the statistics).
//
// Every test compares a statistic computed from τ̂ with the same statistic computed from
// each bootstrap draw of the process Ĝ, measured in the band's scale s(q) (1 for the
// constant band, ŝ(q) for the studentized one); the one-sided tests use the signed
// process, calibrated at the least favourable point τ = 0 of their null hypothesis. The
// deviations over the tested levels are summed up by their largest value, by their mean
// square, or by the smaller of those two statistics' p-values (TestStatistic).
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
// has p-value 1, not 0. A `squared` statistic (a mean square) is compared by its root.
void drop_rounding_noise(double scale, bool squared, double& statistic, arma::vec& stats) {
  const auto noise = [scale, squared](double s) {
    return is_rounding_noise(squared ? std::sqrt(std::fabs(s)) : s, scale);
  };
  if (noise(statistic)) statistic = 0.0;
  stats.transform([&noise](double s) { return noise(s) ? 0.0 : s; });
}

// The size of τ̂'s variation in the band's scale: the outcomes' noise scale (over the
// first stage's jump in fuzzy designs; Process::noise), divided by the smallest standard
// error for a studentized band.
double statistic_scale(const Process& p, const arma::uvec& idx) {
  const double effect = p.noise;
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
  drop_rounding_noise(1.0, false, statistic, stats);  // the Gini index is scale-free
}

// The deviations a test sums up, in its scale: the estimate's (1 × m) and each draw's
// (B × m) at the m tested levels whose scale is defined, signed for the one-sided tests
// (two_sided false), with the levels' weights in a Cramér–von Mises mean.
struct Deviations {
  arma::rowvec estimate;
  arma::mat draws;
  arma::vec weights;
  bool two_sided = true;
};

// Weights of the levels q (increasing) in a mean over their range: each level's share of
// the range nearest to it, the end levels' cells mirrored (equal on an even grid).
arma::vec level_weights(const arma::vec& q) {
  const arma::uword m = q.n_elem;
  if (m <= 1) return arma::vec(m, arma::fill::ones);
  arma::vec w(m);
  for (arma::uword j = 0; j < m; ++j) {
    const double left = j > 0 ? q[j] - q[j - 1] : q[1] - q[0];
    const double right = j + 1 < m ? q[j + 1] - q[j] : q[m - 1] - q[m - 2];
    w[j] = 0.5 * (left + right);
  }
  return w / arma::accu(w);
}

// Scales the columns idx of the estimate and the draws by `scale` (a vector over idx),
// keeping the levels whose scale is defined.
Deviations scaled(const arma::rowvec& estimate, const arma::mat& draws, const arma::vec& scale,
                  const arma::vec& q, double sign, bool two_sided) {
  const arma::uvec keep = arma::find_finite(scale);
  Deviations dev;
  dev.two_sided = two_sided;
  const arma::rowvec inv = (sign / scale.elem(keep)).t();
  dev.estimate = estimate.cols(keep) % inv;
  dev.draws = draws.cols(keep);
  dev.draws.each_row() %= inv;
  dev.weights = level_weights(q.elem(keep));
  return dev;
}

// Nullity and the one-sided tests: τ̂ and Ĝ_b in the band's scale (sign −1 for H0 τ ≥ 0).
Deviations effect_deviations(const Estimate& est, const Process& p, const arma::uvec& idx,
                             double sign, bool two_sided) {
  return scaled(est.tau.elem(idx).t(), p.draws.cols(idx), p.scale.elem(idx),
                est.q_grid.elem(idx), sign, two_sided);
}

// Homogeneity: τ̂ and the process centred by their mean over the range, in the scale of
// the centred process (its exact standard errors, for a studentized band).
Deviations homogeneity_deviations(const Estimate& est, const Process& p, const arma::uvec& idx) {
  const arma::uword m = idx.n_elem;
  arma::rowvec tau = est.tau.elem(idx).t();
  tau -= arma::mean(tau);
  arma::mat sub = p.draws.cols(idx);
  sub.each_col() -= arma::mean(sub, 1);
  arma::vec scale(m, arma::fill::ones);
  if (p.band == BandType::studentized) {
    const arma::mat centre = arma::eye(m, m) - arma::mat(m, m, arma::fill::value(1.0 / m));
    const arma::mat cov = centre * p.covariance.submat(idx, idx) * centre;
    scale = arma::sqrt(arma::clamp(cov.diag(), 0.0, arma::datum::inf));
  }
  for (arma::uword j = 0; j < m; ++j)
    if (std::isnan(p.scale[idx[j]]) || !(scale[j] > 0.0)) scale[j] = arma::datum::nan;
  return scaled(tau, sub, scale, est.q_grid.elem(idx), 1.0, true);
}

// The statistic of each row of deviations z: max_q t(q) or Σ_q w(q) t(q)², with
// t = |z| for two-sided tests and t = z (squared only where positive) for one-sided ones.
// With no level left (every scale degenerate) there is no deviation: the statistic is 0.
arma::vec summarise(const arma::mat& z, const Deviations& dev, TestStatistic statistic) {
  if (z.n_cols == 0) return arma::vec(z.n_rows, arma::fill::zeros);
  const arma::mat t = dev.two_sided ? arma::mat(arma::abs(z)) : z;
  if (statistic == TestStatistic::sup) return arma::max(t, 1);
  const arma::mat positive = arma::clamp(t, 0.0, arma::datum::inf);
  return arma::square(positive) * dev.weights;
}

// The deviations one of the effect tests sums up on the levels idx.
Deviations test_deviations(TestType type, const Estimate& est, const Process& p,
                           const arma::uvec& idx) {
  return type == TestType::homogeneity ? homogeneity_deviations(est, p, idx)
         : type == TestType::nullity   ? effect_deviations(est, p, idx, 1.0, true)
         : effect_deviations(est, p, idx, type == TestType::nonpositive ? 1.0 : -1.0, false);
}

// The sup or Cramér–von Mises statistic of the deviations and its draws, rounding noise
// (relative to `scale`) dropped.
void sup_or_cvm(const Deviations& dev, TestStatistic statistic, double scale, double& observed,
                arma::vec& stats) {
  stats = summarise(dev.draws, dev, statistic);
  observed = summarise(dev.estimate, dev, statistic)[0];
  drop_rounding_noise(scale, statistic == TestStatistic::cvm, observed, stats);
}

// The share of the draws at or above each draw.
arma::vec draws_shares(const arma::vec& draws) {
  const arma::vec sorted = arma::sort(draws);
  const double n = static_cast<double>(sorted.n_elem);
  arma::vec share(draws.n_elem);
  for (arma::uword k = 0; k < draws.n_elem; ++k) {
    const double* first = std::lower_bound(sorted.begin(), sorted.end(), draws[k]);
    share[k] = static_cast<double>(sorted.end() - first) / n;
  }
  return share;
}

// The min-p statistic: the smaller of the sup and Cramér–von Mises statistics' shares of
// draws at or above them, for the estimate and for each draw among the draws.
void min_p(const Deviations& dev, double scale, double& observed, arma::vec& stats) {
  double sup = 0.0, cvm = 0.0;
  arma::vec sup_draws, cvm_draws;
  sup_or_cvm(dev, TestStatistic::sup, scale, sup, sup_draws);
  sup_or_cvm(dev, TestStatistic::cvm, scale, cvm, cvm_draws);
  observed = std::min(share_at_or_above(sup_draws, sup), share_at_or_above(cvm_draws, cvm));
  stats = arma::min(draws_shares(sup_draws), draws_shares(cvm_draws));
}

}  // namespace

double type7_quantile(arma::vec v, double p) {
  v = arma::sort(v);
  return sorted_quantile(v.memptr(), v.n_elem, p, QuantileType::type7);
}

TestResult run_test(TestType type, TestRange range, TestStatistic statistic, const Process& p,
                    const Estimate& est, const Draws& d, double alpha, const Hooks& hooks) {
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
    const Deviations dev = test_deviations(type, est, p, idx);
    const double scale = statistic_scale(p, idx);
    if (statistic == TestStatistic::minp) {  // small values are evidence: count those below
      min_p(dev, scale, r.statistic, stats);
      r.p_value = monte_carlo_p_value(-stats, -r.statistic);
      r.crit_val = type7_quantile(stats, alpha);
      return r;
    }
    sup_or_cvm(dev, statistic, scale, r.statistic, stats);
  }
  r.p_value = est.options.compat == Compat::paper ? monte_carlo_p_value(stats, r.statistic)
                                                  : share_at_or_above(stats, r.statistic);
  r.crit_val = type7_quantile(stats, 1.0 - alpha);
  return r;
}

}  // namespace detail
}  // namespace rddist
