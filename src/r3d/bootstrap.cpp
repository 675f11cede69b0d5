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

struct Draws {
  arma::mat plus, minus;     // B × M
  arma::vec t_plus, t_minus; // B (fuzzy)
};

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

Draws sample_gaussian(const detail::Influence& inf, arma::uword draws, std::uint64_t seed) {
  const arma::uword k = inf.plus.rows.n_cols, m = inf.levels;
  arma::mat sigma(2 * k, 2 * k, arma::fill::zeros);
  sigma.submat(0, 0, k - 1, k - 1) = inf.plus.rows.t() * inf.plus.rows;
  sigma.submat(k, k, 2 * k - 1, 2 * k - 1) = inf.minus.rows.t() * inf.minus.rows;
  if (inf.clusters > 0) {
    // Clusters present on both sides share their multiplier: Σ₊₋ = Σ_g w₊,g w₋,g'.
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

double type7(arma::vec v, double p) {
  v = arma::sort(v);
  return sorted_quantile(v.memptr(), v.n_elem, p, QuantileType::type7);
}

arma::uvec levels_in(const arma::vec& q, double low, double high) {
  const double tol = 1e-12;
  return arma::find(q >= low - tol && q <= high + tol);
}

// Statistics at rounding level relative to `scale` (rounding_noise.h) carry no evidence
// against the null (outcomes identical across units over the tested levels give
// |τ̂| ≈ 1e-15 and draws of the same size): they count as exactly zero, so such a test
// has p-value 1, not 0.
void drop_rounding_noise(double scale, double& statistic, arma::vec& stats) {
  if (detail::is_rounding_noise(statistic, scale)) statistic = 0.0;
  stats.transform([scale](double s) { return detail::is_rounding_noise(s, scale) ? 0.0 : s; });
}

// The size of τ̂'s values: the side curves' largest magnitude (over the first stage's
// jump in fuzzy designs).
double effect_scale(const Estimate& est) {
  const double sides = std::max(arma::abs(est.plus.curve).max(), arma::abs(est.minus.curve).max());
  return est.options.fuzzy ? sides / std::fabs(est.first_stage.jump) : sides;
}

TestResult run_test(TestType type, TestRange range, const arma::mat& process, const Estimate& est,
                    const Draws& d, double alpha, const Hooks& hooks) {
  const arma::vec& grid = est.q_grid;
  if (type == TestType::gini) range = TestRange{grid.min(), grid.max()};
  TestResult r{type, std::max(range.low, grid.min()), std::min(range.high, grid.max()), 0,
               0.0, 0.0, 0.0};
  const arma::uword b = process.n_rows;
  arma::vec stats(b);
  if (type == TestType::gini) {
    const arma::vec& q = est.q_grid;
    const double g = gini(q, est.plus.curve) - gini(q, est.minus.curve);
    const bool centred = est.options.compat == Compat::paper;
    arma::uword failed = 0;
    std::vector<double> kept;
    for (arma::uword k = 0; k < b; ++k) {
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
      hooks.warn(detail::concat("gini test: ", failed, " of ", b, " bootstrap draws had a "
                                "non-positive mean on one side and were left out"));
    stats = arma::vec(kept);
    r.statistic = std::fabs(g);
    r.levels = q.n_elem;
    drop_rounding_noise(1.0, r.statistic, stats);  // the Gini index is scale-free
  } else {
    const arma::uvec idx = levels_in(est.q_grid, range.low, range.high);
    const arma::uword need = type == TestType::homogeneity ? 2 : 1;
    require(idx.n_elem >= need, "test_ranges", "the ", to_string(type), " test range [",
            range.low, ", ", range.high, "] contains ", idx.n_elem,
            " level(s) of the quantile grid; it needs at least ", need);
    r.levels = idx.n_elem;
    const arma::vec tau = est.tau.elem(idx);
    arma::mat sub = process.cols(idx);
    if (type == TestType::nullity) {
      r.statistic = arma::abs(tau).max();
    } else {
      r.statistic = arma::abs(tau - arma::mean(tau)).max();
      sub.each_col() -= arma::mean(sub, 1);
    }
    stats = arma::max(arma::abs(sub), 1);
    drop_rounding_noise(effect_scale(est), r.statistic, stats);
  }
  r.p_value = static_cast<double>(arma::accu(stats >= r.statistic)) / static_cast<double>(stats.n_elem);
  r.crit_val = type7(stats, 1.0 - alpha);
  return r;
}

double functional_value(const FunctionalSpec& f, const arma::vec& q, const arma::vec& curve) {
  switch (f.type) {
    case FunctionalType::mean: return quantile_mean(q, curve);
    case FunctionalType::gini: return gini(q, curve);
    case FunctionalType::spread: return quantile_spread(q, curve, f.a, f.b);
    case FunctionalType::lower_tail_mean: return lower_tail_mean(q, curve, f.a);
    case FunctionalType::upper_tail_mean: return upper_tail_mean(q, curve, f.a);
    case FunctionalType::custom: return f.function(q, curve);
  }
  return 0.0;
}

FunctionalResult run_functional(const FunctionalSpec& f, const Estimate& est, const Draws& d,
                                double alpha, const Hooks& hooks) {
  const arma::vec& q = est.q_grid;
  FunctionalResult r;
  r.name = f.name();
  r.plus = functional_value(f, q, est.plus.curve);
  r.minus = functional_value(f, q, est.minus.curve);
  require(std::isfinite(r.plus) && std::isfinite(r.minus), "functionals", "functional ", r.name,
          " is not finite at the estimated quantile functions (", r.plus, " above, ", r.minus,
          " below the cutoff)");
  r.difference = r.plus - r.minus;
  std::vector<double> dev;
  arma::uword failed = 0;
  for (arma::uword k = 0; k < d.plus.n_rows; ++k) {
    if (k % 64 == 0) hooks.poll();
    try {
      const double v = functional_value(f, q, est.plus.curve + d.plus.row(k).t()) -
                       functional_value(f, q, est.minus.curve + d.minus.row(k).t()) - r.difference;
      if (std::isfinite(v)) dev.push_back(v);
      else ++failed;
    } catch (const data_error&) {
      ++failed;
    }
  }
  require_data<numerical_error>(dev.size() >= 2, "functional ", r.name, " is not finite in ",
                                failed, " of ", d.plus.n_rows,
                                " bootstrap draws; no interval can be formed");
  if (failed)
    hooks.warn(detail::concat("functional ", r.name, " is not finite in ", failed, " of ",
                              d.plus.n_rows, " bootstrap draws; its interval uses the other draws"));
  const arma::vec v(dev);
  r.se = arma::stddev(v);
  // Basic bootstrap interval: θ̂ − upper and θ̂ − lower quantiles of θ̂* − θ̂.
  r.conf_low = r.difference - type7(v, 1.0 - alpha / 2.0);
  r.conf_high = r.difference - type7(v, alpha / 2.0);
  return r;
}

void check_data(const RdData& data, const Estimate& est, const BootstrapOptions& o) {
  if (!o.multipliers.is_empty())
    require(o.multipliers.n_rows == data.x.n_elem, "multipliers", "the multiplier matrix "
            "{multipliers} has ", o.multipliers.n_rows, " rows but there are ", data.x.n_elem,
            " units; give one row per unit in input order");
  require(!est.options.fuzzy || data.treatment.n_elem == data.x.n_elem, "treatment",
          "the data have no treatment for this fuzzy estimate");
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
  const arma::uword draws = o.multipliers.is_empty() ? o.draws : o.multipliers.n_cols;
  const std::uint64_t seed = o.seed ? *o.seed : fresh_seed();
  const Vce vce = o.vce ? *o.vce : (est.options.compat == Compat::paper ? Vce::hc2 : Vce::hc0);
  const detail::Influence inf = detail::build_influence(data, est, o.cluster, vce);
  hooks.poll();
  const bool literal = o.sampler == Sampler::multipliers || !o.multipliers.is_empty();
  const Draws d = literal ? sample_multipliers(inf, o, seed, draws, hooks)
                          : sample_gaussian(inf, draws, seed);
  const arma::mat process = tau_process(d, est);

  BootstrapResult r;
  r.draws = draws;
  r.alpha = o.alpha;
  r.seed = seed;
  r.sampler = literal ? Sampler::multipliers : Sampler::gaussian;
  r.vce = vce;
  r.clusters = inf.clusters;
  r.crit_val = critical_value(arma::max(arma::abs(process), 1), o.alpha);
  r.band_low = est.tau - r.crit_val;
  r.band_high = est.tau + r.crit_val;
  r.crit_val_plus = critical_value(arma::max(arma::abs(d.plus), 1), o.alpha);
  r.crit_val_minus = critical_value(arma::max(arma::abs(d.minus), 1), o.alpha);
  r.se = arma::stddev(process, 0, 0).t();
  r.covariance = arma::cov(process);
  r.se_plus = arma::stddev(d.plus, 0, 0).t();
  r.se_minus = arma::stddev(d.minus, 0, 0).t();
  const double z = normal_quantile(1.0 - o.alpha / 2.0);
  r.conf_low = est.tau - z * r.se;
  r.conf_high = est.tau + z * r.se;
  for (TestType t : o.tests) {
    if (t == TestType::gini || o.test_ranges.empty()) {
      r.tests.push_back(run_test(t, TestRange{}, process, est, d, o.alpha, hooks));
      continue;
    }
    for (const TestRange& range : o.test_ranges)
      r.tests.push_back(run_test(t, range, process, est, d, o.alpha, hooks));
  }
  for (const FunctionalSpec& f : o.functionals)
    r.functionals.push_back(run_functional(f, est, d, o.alpha, hooks));
  if (o.keep_draws) {
    r.process = process;
    r.nu_plus = d.plus;
    r.nu_minus = d.minus;
    r.nu_t_plus = d.t_plus;
    r.nu_t_minus = d.t_minus;
  }
  return r;
}

}  // namespace rddist
