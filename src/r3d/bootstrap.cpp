// bootstrap.cpp — sampling the multiplier process and the inference built on it (paper
// §2.6, App.; see bootstrap.h for the formulas).
//
// Sampling. The stacked vector (ν̂₊, ν̂T₊, ν̂₋, ν̂T₋) is Σ_r ξ_r w_r over sampling rows r
// (units or clusters). "gaussian": its covariance Σ = W'W is formed side by side (the
// cross block only from clusters present on both sides), and B draws are Z Σ^{1/2} with
// Σ^{1/2} the symmetric square root and Z standard normal from stream 0 of the seed.
// "multipliers": ξ_{r,b} is the b-th normal of the row's own stream, and the draws are
// Ξ W computed in chunks of draws so that memory stays bounded.
#include "rddist/r3d/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "bootstrap_detail.h"
#include "rounding_noise.h"
#include "rddist/error.h"
#include "rddist/r3d/functionals.h"
#include "rddist/normal.h"
#include "rddist/r3d/quantiles.h"
#include "rddist/rng.h"

namespace rddist {

namespace {

using detail::Draws;

// The symmetric square root V Λ^{1/2} V' of a positive semi-definite matrix (negative
// rounding → 0). Unlike V Λ^{1/2} alone it is unique and continuous in the matrix, so data
// that differ in the last bits give draws that differ in the last bits.
arma::mat psd_root(const arma::mat& sigma) {
  arma::vec lambda;
  arma::mat v;
  require_data<numerical_error>(arma::eig_sym(lambda, v, 0.5 * (sigma + sigma.t())),
                                "the covariance of the bootstrap process could not be factored");
  lambda.elem(arma::find(lambda < 0.0)).zeros();
  return (v.each_row() % arma::sqrt(lambda).t()) * v.t();
}

Draws split(const arma::mat& both, arma::uword k, arma::uword m, bool fuzzy) {
  Draws d;
  d.plus = both.cols(0, m - 1);
  d.minus = both.cols(k, k + m - 1);
  if (fuzzy) {
    d.t_plus = both.col(m);
    d.t_minus = both.col(k + m);
  }
  return d;
}

// The exact covariance Σ = W'W of the stacked process (ν̂₊, ν̂T₊, ν̂₋, ν̂T₋) given the data,
// side blocks first; clusters present on both sides share their multiplier, which gives
// the cross block Σ₊₋ = Σ_g w₊,g w₋,g'.
arma::mat process_covariance(const detail::Influence& inf) {
  const arma::uword k = inf.plus.rows.n_cols;
  arma::mat sigma(2 * k, 2 * k, arma::fill::zeros);
  sigma.submat(0, 0, k - 1, k - 1) = inf.plus.rows.t() * inf.plus.rows;
  sigma.submat(k, k, 2 * k - 1, 2 * k - 1) = inf.minus.rows.t() * inf.minus.rows;
  if (inf.clusters > 0) {
    std::map<arma::uword, arma::uword> minus_row;
    for (arma::uword r = 0; r < inf.minus.streams.n_elem; ++r) minus_row[inf.minus.streams[r]] = r;
    arma::mat cross(k, k, arma::fill::zeros);
    for (arma::uword r = 0; r < inf.plus.streams.n_elem; ++r) {
      const auto it = minus_row.find(inf.plus.streams[r]);
      if (it != minus_row.end()) cross += inf.plus.rows.row(r).t() * inf.minus.rows.row(it->second);
    }
    sigma.submat(0, k, k - 1, 2 * k - 1) = cross;
    sigma.submat(k, 0, 2 * k - 1, k - 1) = cross.t();
  }
  return sigma;
}

// The map L (M × 2k) from the stacked process to Ĝ: Ĝ = ν̂₊ − ν̂₋, or in fuzzy designs
// [Δ_T (ν̂₊ − ν̂₋) − Δ_Y (ν̂T₊ − ν̂T₋)] / Δ_T².
arma::mat tau_map(const detail::Influence& inf, const Estimate& est) {
  const arma::uword k = inf.plus.rows.n_cols, m = inf.levels;
  arma::mat L(m, 2 * k, arma::fill::zeros);
  const double dt = est.options.fuzzy ? est.first_stage.jump : 1.0;
  for (arma::uword j = 0; j < m; ++j) {
    L(j, j) = 1.0 / dt;
    L(j, k + j) = -1.0 / dt;
    if (est.options.fuzzy) {
      const double dy = est.plus.curve[j] - est.minus.curve[j];
      L(j, m) = -dy / (dt * dt);
      L(j, k + m) = dy / (dt * dt);
    }
  }
  return L;
}

Draws sample_gaussian(const detail::Influence& inf, const arma::mat& sigma, arma::uword draws,
                      std::uint64_t seed) {
  const arma::uword k = inf.plus.rows.n_cols, m = inf.levels;
  const arma::mat root = psd_root(sigma);
  arma::mat z = normal_columns(seed, arma::uvec{0}, draws * 2 * k);
  z.reshape(draws, 2 * k);
  return split(z * root.t(), k, m, inf.fuzzy);
}

// Ξ W over one side for draws [b0, b1): column r of Ξ comes from stream streams[r].
void multiply_chunk(const detail::SideInfluence& side, std::vector<RandomStream>& streams,
                    const arma::mat* explicit_xi, arma::uword b0, arma::uword b1, arma::mat& out,
                    unsigned threads) {
  const arma::uword rows = side.rows.n_rows, width = b1 - b0;
  if (rows == 0) {
    out.rows(b0, b1 - 1).zeros();
    return;
  }
  arma::mat xi(width, rows);
  if (explicit_xi) {
    xi = explicit_xi->submat(side.units, arma::regspace<arma::uvec>(b0, b1 - 1)).t();
  } else {
    auto fill = [&](arma::uword r0, arma::uword r1) {
      for (arma::uword r = r0; r < r1; ++r) {
        double* col = xi.colptr(r);
        for (arma::uword b = 0; b < width; ++b) col[b] = streams[r].normal();
      }
    };
    const arma::uword per = (rows + threads - 1) / threads;
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
      const arma::uword r0 = std::min(rows, t * per), r1 = std::min(rows, r0 + per);
      if (r0 < r1) pool.emplace_back(fill, r0, r1);
    }
    fill(0, std::min(rows, per));
    for (auto& th : pool) th.join();
  }
  out.rows(b0, b1 - 1) = xi * side.rows;
}

Draws sample_multipliers(const detail::Influence& inf, const BootstrapOptions& o,
                         std::uint64_t seed, arma::uword draws, const Hooks& hooks) {
  const arma::uword k = inf.plus.rows.n_cols;
  const arma::mat* xi = o.multipliers.is_empty() ? nullptr : &o.multipliers;
  // One generator per sampling row, continued from chunk to chunk. A cluster on both
  // sides has one stream; copies of its generator advance in lockstep.
  auto generators = [&](const detail::SideInfluence& side) {
    std::vector<RandomStream> g;
    g.reserve(side.streams.n_elem);
    for (arma::uword s : side.streams) g.emplace_back(seed, s);
    return g;
  };
  std::vector<RandomStream> gp = generators(inf.plus), gm = generators(inf.minus);
  arma::mat plus(draws, k), minus(draws, k);
  const arma::uword chunk = 256;
  for (arma::uword b0 = 0; b0 < draws; b0 += chunk) {
    hooks.poll();
    const arma::uword b1 = std::min(draws, b0 + chunk);
    multiply_chunk(inf.plus, gp, xi, b0, b1, plus, o.threads);
    multiply_chunk(inf.minus, gm, xi, b0, b1, minus, o.threads);
    hooks.report("bootstrap", static_cast<double>(b1) / static_cast<double>(draws));
  }
  arma::mat both = arma::join_rows(plus, minus);
  return split(both, k, inf.levels, inf.fuzzy);
}

// The process of τ̂: ν̂₊ − ν̂₋, or the fuzzy ratio's linearisation.
arma::mat tau_process(const Draws& d, const Estimate& est) {
  const arma::mat diff = d.plus - d.minus;
  if (!est.options.fuzzy) return diff;
  const double dt = est.first_stage.jump;
  const arma::rowvec dy = (est.plus.curve - est.minus.curve).t();
  const arma::vec dnu_t = d.t_plus - d.t_minus;
  return (dt * diff - dnu_t * dy) / (dt * dt);
}

// Standard errors from a covariance's diagonal (rounding below zero → 0).
arma::vec standard_errors(const arma::mat& cov) {
  return arma::sqrt(arma::clamp(arma::vec(cov.diag()), 0.0, arma::datum::inf));
}

// The scale of the band: ŝ (studentized) or 1 (constant); NaN at degenerate levels,
// whose standard error is rounding noise next to the curves, so that no band or test
// divides by it.
arma::vec band_scale(const arma::vec& se, BandType band, double curves) {
  arma::vec s = band == BandType::studentized ? se : arma::vec(se.n_elem, arma::fill::ones);
  for (arma::uword j = 0; j < se.n_elem; ++j)
    if (detail::is_rounding_noise(se[j], curves)) s[j] = arma::datum::nan;
  return s;
}

// The scale against which a standard error is rounding noise (rounding_noise.h): the
// spread of the Q̂_i(q) of the units inside the windows, at the level where it is widest,
// floored by their magnitude and the side curves'. (The curves alone can be zero while
// the outcomes are not: y = x has intercepts 0 at the cutoff.)
double outcome_scale(const RdData& data, const Estimate& est) {
  double magnitude = std::max(arma::abs(est.plus.curve).max(), arma::abs(est.minus.curve).max());
  double spread = 0.0;
  std::vector<char> in_window(data.x.n_elem, 0);  // one pass over Q, however many fits
  for (const SideEstimate* side : {&est.plus, &est.minus})
    for (const LocalPolyFit& fit : side->fits)
      for (arma::uword i : fit.units) in_window[i] = 1;
  const arma::mat& q = data.quantiles;
  for (arma::uword j = 0; j < q.n_cols; ++j) {
    const double* col = q.colptr(j);
    double low = INFINITY, high = -INFINITY;
    for (arma::uword i = 0; i < q.n_rows; ++i)
      if (in_window[i]) {
        low = std::min(low, col[i]);
        high = std::max(high, col[i]);
      }
    if (low <= high) {
      spread = std::max(spread, high - low);
      magnitude = std::max({magnitude, std::fabs(low), std::fabs(high)});
    }
  }
  return detail::noise_scale(spread, magnitude);
}

// Rank k = ⌈(1 − α)(B + 1)⌉ of the band's order statistic; the tolerance keeps an exact
// product such as 0.95 · 200 from rounding up to the next rank.
double critical_rank(double alpha, arma::uword draws) {
  return std::ceil((1.0 - alpha) * static_cast<double>(draws + 1) - 1e-9);
}

// The smallest B with critical_rank(α, B) <= B, i.e. B >= (1 − α)/α, or 0 when that is
// beyond any reasonable number of draws.
double draws_needed(double alpha) {
  const double need = std::ceil((1.0 - alpha) / alpha - 1e-9);
  return need <= 1e9 ? need : 0.0;
}

void check_draws_for_level(arma::uword draws, double alpha) {
  require(draws >= 2, "draws", "{draws} must be at least 2, got ", draws);
  if (critical_rank(alpha, draws) <= static_cast<double>(draws)) return;
  const double need = draws_needed(alpha);
  if (need == 0.0)
    throw argument_error("alpha", detail::concat("a band at level 1 - ", alpha, " needs more than "
                                                 "1e9 bootstrap draws; use a larger {alpha}"));
  throw argument_error("draws", detail::concat(draws, " draws are too few for a band at level 1 - ",
                                               alpha, "; {draws} must be at least ",
                                               static_cast<arma::uword>(need)));
}

void check_data(const RdData& data, const Estimate& est, const BootstrapOptions& o) {
  if (!o.multipliers.is_empty()) {
    require(o.multipliers.n_rows == data.x.n_elem, "multipliers", "the multiplier matrix "
            "{multipliers} has ", o.multipliers.n_rows, " rows but there are ", data.x.n_elem,
            " units; give one row per unit in input order");
    require(o.multipliers.is_finite(), "multipliers", "the multiplier matrix {multipliers} "
            "has missing or non-finite values");
    // A side's kernel-weighted residuals sum to zero, so a draw whose multipliers are all
    // equal is zero: such columns would make the band zero-width and every test p = 1/(B+1).
    for (arma::uword b = 0; b < o.multipliers.n_cols; ++b)
      require(o.multipliers.col(b).min() < o.multipliers.col(b).max(), "multipliers",
              "column ", b + 1, " of the multiplier matrix {multipliers} is constant, which "
              "makes its draw of the process zero; give independent mean-zero multipliers "
              "(one per unit and draw)");
  }
  require(!est.options.fuzzy || data.treatment.n_elem == data.x.n_elem, "treatment",
          "the data have no treatment for this fuzzy estimate");
}

// A fit with no more units than coefficients passes through every unit: its residuals
// are zero, its side adds no variance and the intervals would be confidently too narrow
// (hc2 and hc3 cannot even be formed: every leverage is one). An error in paper mode; a
// warning in compatibility mode, which reproduces R3D 0.1.0's numbers, these included.
void check_residuals_exist(const Estimate& est, const Hooks& hooks) {
  const bool compat = est.options.compat == Compat::r3d_0_1_0;
  auto check = [&](const LocalPolyFit& fit, const char* what, const char* bandwidth) {
    const arma::uword coefficients = static_cast<arma::uword>(fit.order) + 1;
    if (fit.units.n_elem > coefficients) return;
    const std::string text = detail::concat(
        "the ", what, " fit ", to_string(fit.side), " the cutoff has ", fit.units.n_elem,
        " unit(s) for ", coefficients, " coefficient(s) at bandwidth h = ", fit.bandwidth,
        ": it passes through every unit and leaves no residuals to measure its uncertainty "
        "with");
    if (!compat)
      throw data_error(text + "; use larger {" + bandwidth + "} or a lower order {p}");
    hooks.warn(text + ", so its side adds nothing to the intervals and bands, which are too "
               "narrow (R3D 0.1.0 computes them so; {compat=paper} refuses them)");
  };
  for (const SideEstimate* side : {&est.plus, &est.minus})
    for (const LocalPolyFit& fit : side->fits) check(fit, "outcome", "bandwidth");
  if (!est.options.fuzzy) return;
  check(est.first_stage.plus, "treatment", "bandwidth_treatment");
  check(est.first_stage.minus, "treatment", "bandwidth_treatment");
}

// Fewer clusters than this in a side's window, or in the two windows together, make the
// clustered bootstrap unreliable: its variance is estimated from that many sums, and the
// bands are too narrow (the usual advice is 20 to 50 clusters or more).
constexpr arma::uword kFewClustersSide = 10, kFewClustersTotal = 20;

// One cluster in a side's windows is an error: the side's kernel-weighted residuals sum to
// zero, so one multiplier for all of them adds no variance and the side looks exact (with
// one cluster on both sides the standard errors are rounding noise; with one on one side
// only they are confidently too small). Checked before the residuals are adjusted for
// leverage, since such a cluster also determines its side's fit alone.
void require_clusters(const Estimate& est, const arma::uvec& cluster) {
  if (cluster.is_empty()) return;
  auto clusters_of = [&](const SideEstimate& side, const LocalPolyFit* t_fit) {
    std::vector<arma::uword> ids;
    for (const LocalPolyFit& fit : side.fits)
      for (arma::uword i : fit.units) ids.push_back(cluster[i]);
    if (t_fit)
      for (arma::uword i : t_fit->units) ids.push_back(cluster[i]);
    return arma::uvec(arma::unique(arma::uvec(ids)));
  };
  const bool fuzzy = est.options.fuzzy;
  const arma::uvec above = clusters_of(est.plus, fuzzy ? &est.first_stage.plus : nullptr);
  const arma::uvec below = clusters_of(est.minus, fuzzy ? &est.first_stage.minus : nullptr);
  const arma::uword all = arma::uvec(arma::unique(arma::join_cols(above, below))).n_elem;
  require_data(all >= 2, "the units inside the bandwidth windows belong to ", all,
               " cluster: a clustered bootstrap estimates the variance from the variation "
               "between clusters and has none; drop {cluster} or give more clusters");
  for (const auto& [ids, side] : {std::pair{&above, "above"}, std::pair{&below, "below"}})
    require_data(ids->n_elem >= 2, "the units inside the bandwidth window ", side, " the "
                 "cutoff belong to one cluster: a side's residuals sum to zero, so one "
                 "cluster adds no variance and the intervals would be far too narrow; give "
                 "{cluster} with at least two clusters on each side of the cutoff, or drop it");
}

// Few clusters (but at least two a side): a warning.
void warn_few_clusters(const detail::Influence& inf, const Hooks& hooks) {
  if (inf.clusters == 0) return;
  const arma::uvec all = arma::unique(arma::join_cols(inf.plus.streams, inf.minus.streams));
  const arma::uword above = inf.plus.streams.n_elem, below = inf.minus.streams.n_elem;
  if (all.n_elem >= kFewClustersTotal && above >= kFewClustersSide && below >= kFewClustersSide)
    return;
  hooks.warn(detail::concat("only ", all.n_elem, " clusters have units inside the bandwidth "
                            "windows (", above, " above the cutoff, ", below, " below): with so "
                            "few clusters the clustered bootstrap understates the variance and "
                            "the intervals and bands are too narrow; treat them as a lower "
                            "bound on the uncertainty"));
}

// Levels whose bootstrap distribution is degenerate (no variation at all): a warning
// saying how many and that their inference is NA, instead of a confident zero width.
void warn_degenerate(const arma::vec& scale, const arma::vec& q, const Hooks& hooks) {
  const arma::uvec bad = arma::find_nonfinite(scale);
  if (bad.is_empty()) return;
  if (bad.n_elem == q.n_elem) {
    hooks.warn("the bootstrap distribution is degenerate at every level: the units' outcomes "
               "leave no variation to measure uncertainty with (identical or noiseless "
               "quantiles), so intervals, bands, p-values and tests are NA");
    return;
  }
  hooks.warn(detail::concat("the bootstrap distribution is degenerate at ", bad.n_elem, " of ",
                            q.n_elem, " levels (first at q = ", q[bad[0]], "): the units' "
                            "outcomes do not vary there, so their intervals and p-values are "
                            "NA and the band and tests use the other levels"));
}

// A first-stage F below this draws the weak-first-stage warning (the usual rule of thumb
// for a single instrument).
constexpr double kWeakFirstStageF = 10.0;

// Fuzzy designs: the standard error of the first-stage jump (the treatment columns of
// the two sides in the covariance of the side processes) and its F; a warning when the
// jump is weak next to its own noise.
void first_stage_strength(const Estimate& est, const arma::mat& sigma, arma::uword k,
                          BootstrapResult& r, const Hooks& hooks) {
  if (!est.options.fuzzy) return;
  const arma::uword t = k - 1;  // the treatment column of a side
  const double var = sigma(t, t) + sigma(k + t, k + t) - 2.0 * sigma(t, k + t);
  r.first_stage_se = std::sqrt(std::max(var, 0.0));
  r.first_stage_f = std::pow(est.first_stage.jump / r.first_stage_se, 2);
  if (!(r.first_stage_f < kWeakFirstStageF)) return;
  hooks.warn(detail::concat("weak first stage: the jump in treatment probability at the "
                            "cutoff is ", est.first_stage.jump, " with standard error ",
                            r.first_stage_se, " (F = ", r.first_stage_f, ", below ",
                            kWeakFirstStageF, "): the fuzzy effect divides by a jump the data "
                            "barely tell from zero, so its intervals and bands understate the "
                            "uncertainty; report the reduced form (the design without "
                            "{treatment}) alongside"));
}

// The uniform bands of the two side curves, in the band's shape.
void side_bands(const Estimate& est, const Draws& d, BootstrapResult& r, double alpha,
                double curves) {
  auto one = [&](const arma::mat& draws, const arma::vec& se, const arma::vec& curve,
                 double& crit, arma::vec& low, arma::vec& high) {
    const arma::vec s = band_scale(se, r.band, curves);
    crit = arma::find_finite(s).is_empty() ? arma::datum::nan
                                           : critical_value(detail::sup_statistics(draws, s), alpha);
    low = curve - crit * s;
    high = curve + crit * s;
  };
  one(d.plus, r.se_plus, est.plus.curve, r.crit_val_plus, r.band_plus_low, r.band_plus_high);
  one(d.minus, r.se_minus, est.minus.curve, r.crit_val_minus, r.band_minus_low, r.band_minus_high);
}

// A seed drawn from the system's entropy source when none was given.
std::uint64_t fresh_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

void check_bootstrap_options(const BootstrapOptions& o, Compat compat) {
  require(o.alpha > 0.0 && o.alpha < 1.0, "alpha", "{alpha} must lie strictly between 0 and 1, got ",
          o.alpha);
  const arma::uword draws = o.multipliers.is_empty() ? o.draws : o.multipliers.n_cols;
  check_draws_for_level(draws, o.alpha);
  if (!o.multipliers.is_empty()) {
    require(o.multipliers.is_finite(), "multipliers",
            "the multiplier matrix {multipliers} has non-finite entries");
    require(o.cluster.is_empty(), "multipliers", "explicit multipliers {multipliers} and "
            "clusters {cluster} cannot be combined; give one multiplier per unit, equal within "
            "a cluster");
  }
  require(compat == Compat::paper || !o.vce || *o.vce == Vce::hc0, "vce",
          "{compat=r3d-0.1.0} reproduces R3D's bootstrap, which uses raw residuals; use "
          "{vce=hc0} or {compat=paper}");
  require(compat == Compat::paper || !o.band || *o.band == BandType::constant, "band_type",
          "{compat=r3d-0.1.0} reproduces R3D's constant band; use {band_type=constant} or "
          "{compat=paper}");
  require(compat == Compat::paper || !o.test_statistic || *o.test_statistic == TestStatistic::sup,
          "test_statistic", "{compat=r3d-0.1.0} reproduces R3D's tests, which use the sup "
          "statistic; use {test_statistic=sup} or {compat=paper}");
  for (const TestRange& r : o.test_ranges) {
    require(r.low >= 0.0 && r.high <= 1.0, "test_ranges", "the test range [", r.low, ", ", r.high,
            "] ({test_ranges}) must lie within [0, 1]");
    require(r.low < r.high, "test_ranges", "the test range [", r.low, ", ", r.high,
            "] ({test_ranges}) must run from a lower to a higher level");
  }
  for (const FunctionalSpec& f : o.functionals) {
    if (f.type == FunctionalType::spread)
      require(f.a >= 0.0 && f.b <= 1.0 && f.a < f.b, "functionals",
              "a quantile spread needs 0 <= a < b <= 1");
    if (f.type == FunctionalType::lower_tail_mean || f.type == FunctionalType::upper_tail_mean)
      require(f.a > 0.0 && f.a < 1.0, "functionals", "a tail mean needs its level in (0, 1)");
    if (f.type == FunctionalType::custom)
      require(static_cast<bool>(f.function), "functionals", "functional ", f.label,
              " has no function");
  }
}

double critical_value(arma::vec sup, double alpha) {
  check_draws_for_level(sup.n_elem, alpha);
  const auto k = static_cast<arma::uword>(critical_rank(alpha, sup.n_elem));
  sup = arma::sort(sup);
  return sup[k - 1];
}

BootstrapResult bootstrap_r3d(const RdData& data, const Estimate& est,
                              const BootstrapOptions& o, const Hooks& hooks) {
  check_bootstrap_options(o, est.options.compat);
  check_data(data, est, o);
  check_residuals_exist(est, hooks);
  const arma::uword draws = o.multipliers.is_empty() ? o.draws : o.multipliers.n_cols;
  const std::uint64_t seed = o.seed ? *o.seed : fresh_seed();
  const Vce vce = o.vce ? *o.vce : (est.options.compat == Compat::paper ? Vce::hc3 : Vce::hc0);
  require_clusters(est, o.cluster);
  const detail::Influence inf = detail::build_influence(data, est, o.cluster, vce, hooks);
  warn_few_clusters(inf, hooks);
  hooks.poll();
  const bool literal = o.sampler == Sampler::multipliers || !o.multipliers.is_empty();
  const arma::mat sigma = process_covariance(inf);
  const Draws d = literal ? sample_multipliers(inf, o, seed, draws, hooks)
                          : sample_gaussian(inf, sigma, draws, seed);
  const arma::mat process = tau_process(d, est);

  BootstrapResult r;
  r.draws = draws;
  r.alpha = o.alpha;
  r.seed = seed;
  r.sampler = literal ? Sampler::multipliers : Sampler::gaussian;
  r.vce = vce;
  r.clusters = inf.clusters;
  r.band = o.band ? *o.band
                  : (est.options.compat == Compat::paper ? BandType::studentized : BandType::constant);
  r.test_statistic = o.test_statistic ? *o.test_statistic
                     : (r.band == BandType::studentized ? TestStatistic::minp : TestStatistic::sup);
  const arma::uword k = inf.plus.rows.n_cols, m = est.q_grid.n_elem;
  const arma::mat L = tau_map(inf, est);
  r.covariance = L * sigma * L.t();
  r.se = standard_errors(r.covariance);
  r.se_plus = standard_errors(sigma.submat(0, 0, m - 1, m - 1));
  r.se_minus = standard_errors(sigma.submat(k, k, k + m - 1, k + m - 1));
  first_stage_strength(est, sigma, k, r, hooks);
  const double curves = outcome_scale(data, est);
  const double effect = est.options.fuzzy ? curves / std::fabs(est.first_stage.jump) : curves;
  const detail::Process p{process, r.covariance, band_scale(r.se, r.band, effect), r.band, effect};
  warn_degenerate(p.scale, est.q_grid, hooks);
  r.se.elem(arma::find_nonfinite(p.scale)).fill(arma::datum::nan);  // rounding noise, not a number
  const double z = normal_quantile(1.0 - o.alpha / 2.0);
  r.conf_low = est.tau - z * r.se;
  r.conf_high = est.tau + z * r.se;
  detail::uniform_band(est, p, o.alpha, r);
  side_bands(est, d, r, o.alpha, curves);
  for (TestType t : requested_tests(o, m)) {
    if (t == TestType::gini || o.test_ranges.empty()) {
      r.tests.push_back(detail::run_test(t, TestRange{}, r.test_statistic, p, est, d, o.alpha, hooks));
      continue;
    }
    for (const TestRange& range : o.test_ranges)
      r.tests.push_back(detail::run_test(t, range, r.test_statistic, p, est, d, o.alpha, hooks));
  }
  for (const FunctionalSpec& f : o.functionals)
    r.functionals.push_back(detail::run_functional(f, est, d, o.alpha, hooks));
  if (o.keep_draws) {
    r.process = process;
    r.nu_plus = d.plus;
    r.nu_minus = d.minus;
    r.nu_t_plus = d.t_plus;
    r.nu_t_minus = d.t_minus;
  }
  return r;
}

std::vector<TestType> default_tests(arma::uword levels) {
  if (levels < 2) return {TestType::nullity};
  return {TestType::nullity, TestType::homogeneity};
}

std::vector<TestType> requested_tests(const BootstrapOptions& options, arma::uword levels) {
  return options.tests ? *options.tests : default_tests(levels);
}

}  // namespace rddist
