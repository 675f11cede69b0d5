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

TestType parse_test(const std::string& name) {
  if (name == "nullity") return TestType::nullity;
  if (name == "homogeneity") return TestType::homogeneity;
  if (name == "gini") return TestType::gini;
  throw invalid_argument("parse_test: unknown test '" + name +
                         "'; use \"nullity\", \"homogeneity\" or \"gini\"");
}

std::string to_string(TestType type) {
  switch (type) {
    case TestType::nullity: return "nullity";
    case TestType::homogeneity: return "homogeneity";
    case TestType::gini: return "gini";
  }
  return "unknown";
}

std::string FunctionalSpec::name() const {
  auto pct = [](double v) { return detail::concat(std::round(v * 1e8) / 1e6); };
  auto level = [](double v) { return detail::concat(std::round(v * 1e8) / 1e8); };
  switch (type) {
    case FunctionalType::mean: return "mean";
    case FunctionalType::gini: return "gini";
    case FunctionalType::spread: return "q" + pct(b) + "-q" + pct(a);
    case FunctionalType::lower_tail_mean: return "lower_mean:" + level(a);
    case FunctionalType::upper_tail_mean: return "upper_mean:" + level(a);
  }
  return "unknown";
}

FunctionalSpec parse_functional(const std::string& text) {
  FunctionalSpec f;
  auto number = [&](const std::string& s) {
    std::size_t used = 0;
    double v = std::numeric_limits<double>::quiet_NaN();
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    fail_if(used == 0 || used != s.size() || !std::isfinite(v), "parse_functional", "'", text,
            "' is not a functional; use mean, gini, q90-q10, lower_mean:0.1 or upper_mean:0.9");
    return v;
  };
  if (text == "mean") return f;
  if (text == "gini") {
    f.type = FunctionalType::gini;
    return f;
  }
  const std::size_t dash = text.find("-q");
  if (text.size() > 1 && text[0] == 'q' && dash != std::string::npos) {
    f.type = FunctionalType::spread;
    f.b = number(text.substr(1, dash - 1)) / 100.0;
    f.a = number(text.substr(dash + 2)) / 100.0;
    fail_if(!(f.a >= 0.0 && f.b <= 1.0 && f.a < f.b), "parse_functional", "'", text,
            "': a spread qB-qA needs 0 <= A < B <= 100");
    return f;
  }
  for (const auto& [prefix, type] : {std::pair<std::string, FunctionalType>{"lower_mean:", FunctionalType::lower_tail_mean},
                                     {"upper_mean:", FunctionalType::upper_tail_mean}}) {
    if (text.rfind(prefix, 0) == 0) {
      f.type = type;
      f.a = number(text.substr(prefix.size()));
      fail_if(!(f.a > 0.0 && f.a < 1.0), "parse_functional", "'", text,
              "': the level of a tail mean must lie in (0, 1)");
      return f;
    }
  }
  throw invalid_argument("parse_functional: '" + text + "' is not a functional; use mean, gini, "
                         "q90-q10, lower_mean:0.1 or upper_mean:0.9");
}

namespace {

constexpr const char* kWhere = "r3d_bootstrap";

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
  fail_if<numerical_error>(!arma::eig_sym(lambda, v, 0.5 * (sigma + sigma.t())), kWhere,
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

Draws sample_multipliers(const detail::Influence& inf, const BootstrapOptions& o, arma::uword draws,
                         const Hooks& hooks) {
  const arma::uword k = inf.plus.rows.n_cols;
  const arma::mat* xi = o.multipliers.is_empty() ? nullptr : &o.multipliers;
  // One generator per sampling row, continued from chunk to chunk. A cluster on both
  // sides has one stream; copies of its generator advance in lockstep.
  auto generators = [&](const detail::SideInfluence& side) {
    std::vector<RandomStream> g;
    g.reserve(side.streams.n_elem);
    for (arma::uword s : side.streams) g.emplace_back(o.seed, s);
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

// The k-th smallest value, k = ⌈(1 − α)(B + 1)⌉ (k <= B is checked up front).
double order_statistic_critical(arma::vec sup, double alpha) {
  const arma::uword b = sup.n_elem;
  const auto k = static_cast<arma::uword>(std::ceil((1.0 - alpha) * static_cast<double>(b + 1) - 1e-9));
  sup = arma::sort(sup);
  return sup[k - 1];
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

TestResult run_test(const TestSpec& spec, const arma::mat& process, const Estimate& est,
                    const Draws& d, double alpha, const Hooks& hooks) {
  TestResult r{spec.type, spec.low, spec.high, 0, 0.0, 0.0, 0.0};
  const arma::uword b = process.n_rows;
  arma::vec stats(b);
  if (spec.type == TestType::gini) {
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
    fail_if<numerical_error>(kept.empty(), kWhere, "the Gini test failed: no bootstrap draw "
                             "gave positive means on both sides");
    if (failed)
      hooks.warn(detail::concat("gini test: ", failed, " of ", b, " bootstrap draws had a "
                                "non-positive mean on one side and were left out"));
    stats = arma::vec(kept);
    r.statistic = std::fabs(g);
    r.levels = q.n_elem;
    drop_rounding_noise(1.0, r.statistic, stats);  // the Gini index is scale-free
  } else {
    const arma::uvec idx = levels_in(est.q_grid, spec.low, spec.high);
    const arma::uword need = spec.type == TestType::homogeneity ? 2 : 1;
    fail_if(idx.n_elem < need, kWhere, "the ", to_string(spec.type), " test range [", spec.low,
            ", ", spec.high, "] contains ", idx.n_elem, " level(s) of the quantile grid; it needs at least ",
            need);
    r.levels = idx.n_elem;
    const arma::vec tau = est.tau.elem(idx);
    arma::mat sub = process.cols(idx);
    if (spec.type == TestType::nullity) {
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
  r.difference = r.plus - r.minus;
  std::vector<double> dev;
  arma::uword failed = 0;
  for (arma::uword k = 0; k < d.plus.n_rows; ++k) {
    try {
      dev.push_back(functional_value(f, q, est.plus.curve + d.plus.row(k).t()) -
                    functional_value(f, q, est.minus.curve + d.minus.row(k).t()) - r.difference);
    } catch (const data_error&) {
      ++failed;
    }
  }
  fail_if<numerical_error>(dev.size() < 2, kWhere, "functional ", r.name,
                           " could not be evaluated on the bootstrap draws");
  if (failed)
    hooks.warn(detail::concat("functional ", r.name, ": ", failed, " of ", d.plus.n_rows,
                              " bootstrap draws could not be evaluated and were left out"));
  const arma::vec v(dev);
  r.se = arma::stddev(v);
  // Basic bootstrap interval: θ̂ − upper and θ̂ − lower quantiles of θ̂* − θ̂.
  r.conf_low = r.difference - type7(v, 1.0 - alpha / 2.0);
  r.conf_high = r.difference - type7(v, alpha / 2.0);
  return r;
}

void check_options(const RdData& data, const Estimate& est, const BootstrapOptions& o,
                   arma::uword draws) {
  fail_if(!(o.alpha > 0.0 && o.alpha < 1.0), kWhere, "alpha = ", o.alpha, " must lie in (0, 1)");
  fail_if(draws < 2, kWhere, "needs at least 2 bootstrap draws, got ", draws);
  const double k = std::ceil((1.0 - o.alpha) * static_cast<double>(draws + 1) - 1e-9);
  fail_if(k > static_cast<double>(draws), kWhere, draws, " draws are too few for a ",
          100.0 * (1.0 - o.alpha), "% band; use at least ",
          static_cast<arma::uword>(std::ceil((1.0 - o.alpha) / o.alpha)), " draws");
  if (!o.multipliers.is_empty()) {
    fail_if(o.multipliers.n_rows != data.x.n_elem, kWhere, "the multiplier matrix has ",
            o.multipliers.n_rows, " rows but there are ", data.x.n_elem,
            " units; give one row per unit in input order");
    fail_if(!o.multipliers.is_finite(), kWhere, "the multiplier matrix has non-finite entries");
    fail_if(!o.cluster.is_empty(), kWhere, "explicit multipliers and clusters cannot be combined; "
            "give one multiplier per unit, equal within a cluster");
  }
  fail_if(est.options.compat == Compat::r3d_0_1_0 && o.vce && *o.vce != Vce::hc0, kWhere,
          "the r3d-0.1.0 mode reproduces R3D's bootstrap, which uses raw residuals; use "
          "vce = \"hc0\" or compat = \"paper\"");
  fail_if(est.options.fuzzy && data.treatment.n_elem != data.x.n_elem, kWhere,
          "the data have no treatment for this fuzzy estimate");
  for (const FunctionalSpec& f : o.functionals) {
    if (f.type == FunctionalType::spread)
      fail_if(!(f.a >= 0.0 && f.b <= 1.0 && f.a < f.b), kWhere, "a quantile spread needs 0 <= a < b <= 1");
    if (f.type == FunctionalType::lower_tail_mean || f.type == FunctionalType::upper_tail_mean)
      fail_if(!(f.a > 0.0 && f.a < 1.0), kWhere, "a tail mean needs its level in (0, 1)");
  }
}

}  // namespace

BootstrapResult bootstrap_r3d(const RdData& data, const Estimate& est,
                              const BootstrapOptions& o, const Hooks& hooks) {
  const arma::uword draws = o.multipliers.is_empty() ? o.draws : o.multipliers.n_cols;
  check_options(data, est, o, draws);
  const Vce vce = o.vce ? *o.vce : (est.options.compat == Compat::paper ? Vce::hc2 : Vce::hc0);
  const detail::Influence inf = detail::build_influence(data, est, o.cluster, vce);
  hooks.poll();
  const bool literal = o.sampler == Sampler::multipliers || !o.multipliers.is_empty();
  const Draws d = literal ? sample_multipliers(inf, o, draws, hooks)
                          : sample_gaussian(inf, draws, o.seed);
  const arma::mat process = tau_process(d, est);

  BootstrapResult r;
  r.draws = draws;
  r.alpha = o.alpha;
  r.seed = o.seed;
  r.sampler = literal ? Sampler::multipliers : Sampler::gaussian;
  r.vce = vce;
  r.clusters = inf.clusters;
  r.crit_val = order_statistic_critical(arma::max(arma::abs(process), 1), o.alpha);
  r.band_low = est.tau - r.crit_val;
  r.band_high = est.tau + r.crit_val;
  r.crit_val_plus = order_statistic_critical(arma::max(arma::abs(d.plus), 1), o.alpha);
  r.crit_val_minus = order_statistic_critical(arma::max(arma::abs(d.minus), 1), o.alpha);
  r.se = arma::stddev(process, 0, 0).t();
  r.covariance = arma::cov(process);
  r.se_plus = arma::stddev(d.plus, 0, 0).t();
  r.se_minus = arma::stddev(d.minus, 0, 0).t();
  const double z = normal_quantile(1.0 - o.alpha / 2.0);
  r.conf_low = est.tau - z * r.se;
  r.conf_high = est.tau + z * r.se;
  for (const TestSpec& t : o.tests) r.tests.push_back(run_test(t, process, est, d, o.alpha, hooks));
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
