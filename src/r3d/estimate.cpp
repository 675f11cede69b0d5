// estimate.cpp — the R3D point estimator (paper §2.5; Defs. 1 and 2).
//
// Steps: centre x at the cutoff; per side, fit the quantile columns by local polynomial
// regression, grouping levels that share a bandwidth into one fit; monotonize each side's
// intercept curve (isotonic projection for frechet; sorting, or R3D 0.1.0's interpolated
// rearrangement in compatibility mode, for simple); difference; for fuzzy designs divide by
// the first-stage jump of T.
#include "rddist/r3d/estimate.h"

#include <cmath>
#include <map>

#include "rddist/error.h"
#include "rddist/r3d/covariates.h"
#include "rddist/r3d/monotone.h"
#include "rddist/r3d/unit_order.h"

namespace rddist {
namespace {

// A first-stage jump below this (in absolute value) is treated as no first stage at all.
constexpr double kNoFirstStage = 1e-8;
// A first-stage jump below this draws a weak-first-stage warning.
constexpr double kWeakFirstStage = 0.1;

// The windows of one side, one per distinct bandwidth (h: one per level), their intercept
// weights and the units they touch; no responses yet.
SideEstimate side_windows(const arma::vec& xc, const arma::vec& h, Side side,
                          const EstimateOptions& opt, const arma::vec& unit_weights,
                          const Hooks& hooks) {
  const arma::uword n = xc.n_elem, m = h.n_elem;
  // Levels grouped by bandwidth; std::map keeps the groups in a fixed order.
  std::map<double, std::vector<arma::uword>> groups;
  for (arma::uword j = 0; j < m; ++j) groups[h[j]].push_back(j);
  SideEstimate s;
  s.fit_of_level.set_size(m);
  const bool common = groups.size() == 1;
  s.weights.zeros(n, common ? 1 : m);
  arma::uvec touched(n, arma::fill::zeros);
  for (const auto& [bw, levels] : groups) {
    hooks.poll();  // one window per bandwidth: "simple" has one per level
    const arma::uvec cols(levels);
    s.fits.push_back(local_poly_window(xc, side, bw, opt.p, opt.kernel, unit_weights));
    const LocalPolyFit& fit = s.fits.back();
    s.fit_of_level.elem(cols).fill(s.fits.size() - 1);
    const arma::vec w = fit.full_weights(n);
    if (common) s.weights.col(0) = w;
    else
      for (arma::uword j : levels) s.weights.col(j) = w;
    touched.elem(fit.units).ones();
  }
  s.n_units = arma::accu(touched);
  return s;
}

// Fits the levels of y in the side's windows, after subtracting the covariate adjustment
// (Z_i − Z̄)'γ̂(q_j) when gamma is not empty.
void fit_side(SideEstimate& s, const RdData& data, const arma::mat& y, const arma::rowvec& centre,
              const arma::mat& gamma, const Hooks& hooks) {
  const arma::uword m = y.n_cols;
  s.coef.set_size(s.fits.empty() ? 0 : static_cast<arma::uword>(s.fits[0].order) + 1, m);
  const bool common = s.fits.size() == 1;
  for (arma::uword f = 0; f < s.fits.size(); ++f) {
    hooks.poll();
    LocalPolyFit& fit = s.fits[f];
    const arma::uvec cols = common ? arma::regspace<arma::uvec>(0, m - 1)
                                   : arma::uvec(arma::find(s.fit_of_level == f));
    fit.fit_responses(y, common ? arma::uvec() : cols);
    if (!gamma.is_empty()) fit.subtract_from_responses(covariate_offset(data, centre, gamma, fit.units, cols));
    s.coef.cols(cols) = fit.coef;
  }
  s.intercept = s.coef.row(0).t();
}

arma::vec monotonize(const arma::vec& q, const arma::vec& curve, const EstimateOptions& opt) {
  if (opt.method == Method::frechet) return isotonic_projection(curve);
  return opt.compat == Compat::r3d_0_1_0 ? rearrange_r3d(q, curve) : rearrange(curve);
}

}  // namespace

void check_estimate_options(const EstimateOptions& opt) {
  require(std::isfinite(opt.cutoff), "cutoff", "{cutoff} must be a finite number");
  require(opt.p >= 0 && opt.p <= 10, "p", "the polynomial order {p} = ", opt.p,
          " must be a whole number between 0 and 10");
}

void check_estimate_data(const RdData& data, const EstimateOptions& opt) {
  check_estimate_options(opt);
  check_sample(data, opt.fuzzy);
  check_cutoff(data, opt.cutoff);
  if (data.covariates.n_cols == 0) return;
  require(opt.compat == Compat::paper, "covariates",
          "R3D 0.1.0 has no covariates: {covariates} needs {compat=paper}");
  check_covariates(data);
}

namespace {

void check_side_bandwidths(const arma::vec& h, const char* id, const EstimateOptions& opt,
                           arma::uword n_levels) {
  const arma::uword k = h.n_elem;
  require(k > 0, id, "no outcome bandwidth was given");
  require(opt.method == Method::simple || k == 1 || arma::all(h == h[0]), id,
          "the frechet method fits the whole curve with one bandwidth; give {", id,
          "} a single number (one per level needs {method=simple})");
  require(k == 1 || k == n_levels, id, "got ", k, " outcome bandwidths for ", n_levels,
          " quantile levels; give {", id, "} one number or one per level");
  for (arma::uword j = 0; j < k; ++j)
    require(std::isfinite(h[j]) && h[j] > 0.0, id, "bandwidth ", j + 1, " is ", h[j], "; {", id,
            "} must be positive numbers");
}

}  // namespace

void check_bandwidths(const Bandwidths& bw, const EstimateOptions& opt, arma::uword n_levels) {
  check_side_bandwidths(bw.num, "bandwidth", opt, n_levels);
  if (!bw.num_below.is_empty()) check_side_bandwidths(bw.num_below, "bandwidth_below", opt, n_levels);
  if (opt.fuzzy) {
    require(std::isfinite(bw.den) && bw.den > 0.0, "bandwidth_treatment",
            "a fuzzy design needs a positive treatment bandwidth {bandwidth_treatment}, got ",
            bw.den);
    require(std::isnan(bw.den_below) || bw.den_below > 0.0, "bandwidth_treatment_below",
            "{bandwidth_treatment_below} must be a positive number, got ", bw.den_below);
  }
  const bool two = !bw.num_below.is_empty() || (opt.fuzzy && !std::isnan(bw.den_below));
  require(!two || opt.compat == Compat::paper, "bandwidth_below",
          "R3D 0.1.0 uses one bandwidth on both sides: a bandwidth per side needs {compat=paper}");
}

arma::vec expand_bandwidths(const Bandwidths& bw, arma::uword n_levels, Side side) {
  const arma::vec& h = side == Side::below && !bw.num_below.is_empty() ? bw.num_below : bw.num;
  return h.n_elem == 1 ? arma::vec(n_levels, arma::fill::value(h[0])) : h;
}

namespace {

// The fuzzy first stage: fits of T at the treatment bandwidths, adjusted for the
// covariates like the outcome; its jump is the denominator of τ̂.
void fit_first_stage(Estimate& est, const RdData& data, const arma::vec& xc, const Hooks& hooks) {
  const EstimateOptions& o = est.options;
  const arma::mat t(data.treatment);
  FirstStage& fs = est.first_stage;
  fs.plus = local_poly_window(xc, Side::above, est.h_den, o.p, o.kernel, data.unit_weights,
                              "r3d (first stage)");
  fs.minus = local_poly_window(xc, Side::below, est.h_den_below, o.p, o.kernel, data.unit_weights,
                               "r3d (first stage)");
  fs.plus.fit_responses(t);
  fs.minus.fit_responses(t);
  if (data.covariates.n_cols > 0) {
    const std::vector<LocalPolyFit> above{fs.plus}, below{fs.minus};
    const arma::uvec first{0};
    est.gamma_treatment = covariate_coefficients(data, t, {&above, first}, {&below, first},
                                                 "the first stage");
    const arma::mat g(est.gamma_treatment);
    const arma::rowvec& c = est.covariate_centre;
    fs.plus.subtract_from_responses(covariate_offset(data, c, g, fs.plus.units, first));
    fs.minus.subtract_from_responses(covariate_offset(data, c, g, fs.minus.units, first));
  }
  fs.jump = fs.plus.coef(0, 0) - fs.minus.coef(0, 0);
  require_data<numerical_error>(std::fabs(fs.jump) >= kNoFirstStage,
                                "the first stage has no jump at the cutoff (estimated change "
                                "in treatment probability ", fs.jump,
                                "); the fuzzy effect is not identified — check {treatment} or "
                                "use a sharp design");
  if (std::fabs(fs.jump) < kWeakFirstStage)
    hooks.warn(detail::concat("weak first stage: the estimated jump in treatment probability "
                              "at the cutoff is only ", fs.jump,
                              "; the fuzzy effect divides by it and is unstable"));
}

// The estimator on units already in canonical order.
Estimate estimate_sorted(const RdData& data, const Bandwidths& bandwidths,
                         const EstimateOptions& options, const Hooks& hooks) {
  Estimate est;
  est.options = options;
  est.q_grid = data.q_grid;
  est.n = data.x.n_elem;
  const arma::uword m = data.q_grid.n_elem;
  est.h_num = expand_bandwidths(bandwidths, m, Side::above);
  est.h_num_below = expand_bandwidths(bandwidths, m, Side::below);
  est.common_bandwidth = arma::all(est.h_num == est.h_num[0]) &&
                         arma::all(est.h_num_below == est.h_num_below[0]);
  if (options.fuzzy) {
    est.h_den = bandwidths.den;
    est.h_den_below = std::isnan(bandwidths.den_below) ? bandwidths.den : bandwidths.den_below;
  }
  est.two_sided = arma::any(est.h_num != est.h_num_below) ||
                  (options.fuzzy && est.h_den != est.h_den_below);

  const arma::vec xc = data.x - options.cutoff;
  // Progress in quarters: the windows of each side, then their fits ("simple" has one
  // window per level, which takes seconds on large samples).
  est.plus = side_windows(xc, est.h_num, Side::above, options, data.unit_weights, hooks);
  hooks.report("estimate", 0.25);
  est.minus = side_windows(xc, est.h_num_below, Side::below, options, data.unit_weights, hooks);
  hooks.report("estimate", 0.5);
  if (data.covariates.n_cols > 0) {
    est.covariate_centre = covariate_centre(data);
    est.gamma = covariate_coefficients(data, data.quantiles, {&est.plus.fits, est.plus.fit_of_level},
                                       {&est.minus.fits, est.minus.fit_of_level}, "the outcome");
  }
  fit_side(est.plus, data, data.quantiles, est.covariate_centre, est.gamma, hooks);
  hooks.report("estimate", 0.75);
  fit_side(est.minus, data, data.quantiles, est.covariate_centre, est.gamma, hooks);
  est.plus.curve = monotonize(data.q_grid, est.plus.intercept, options);
  est.minus.curve = monotonize(data.q_grid, est.minus.intercept, options);
  est.tau = est.plus.curve - est.minus.curve;
  if (options.fuzzy) {
    fit_first_stage(est, data, xc, hooks);
    est.tau /= est.first_stage.jump;
  }
  return est;
}

// Rewrites per-unit outputs computed on sorted units so that they refer to input units.
void restore_input_order(Estimate& est, const arma::uvec& order) {
  auto fix_fit = [&](LocalPolyFit& fit) { fit.units = order.elem(fit.units); };
  for (SideEstimate* side : {&est.plus, &est.minus}) {
    for (LocalPolyFit& fit : side->fits) fix_fit(fit);
    arma::mat w(side->weights.n_rows, side->weights.n_cols);
    w.rows(order) = side->weights;
    side->weights = std::move(w);
  }
  if (est.options.fuzzy) {
    fix_fit(est.first_stage.plus);
    fix_fit(est.first_stage.minus);
  }
  est.order = order;
}

}  // namespace

Estimate estimate_r3d(const RdData& data, const Bandwidths& bandwidths,
                      const EstimateOptions& options, const Hooks& hooks) {
  check_estimate_data(data, options);
  check_bandwidths(bandwidths, options, data.q_grid.n_elem);
  if (is_canonical(data)) {
    Estimate est = estimate_sorted(data, bandwidths, options, hooks);
    est.order = arma::regspace<arma::uvec>(0, data.x.n_elem - 1);
    return est;
  }
  const arma::uvec order = canonical_order(data);
  Estimate est = estimate_sorted(permute_units(data, order), bandwidths, options, hooks);
  restore_input_order(est, order);
  return est;
}

}  // namespace rddist
