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
#include "rddist/r3d/monotone.h"
#include "rddist/r3d/unit_order.h"

namespace rddist {
namespace {

// A first-stage jump below this (in absolute value) is treated as no first stage at all.
constexpr double kNoFirstStage = 1e-8;
// A first-stage jump below this draws a weak-first-stage warning.
constexpr double kWeakFirstStage = 0.1;

SideEstimate fit_side(const arma::vec& xc, const arma::mat& Q, const arma::vec& h_num,
                      Side side, const EstimateOptions& opt, const arma::vec& unit_weights) {
  const arma::uword n = xc.n_elem, m = Q.n_cols;
  const arma::uword p1 = static_cast<arma::uword>(opt.p) + 1;
  // Levels grouped by bandwidth; std::map keeps the groups in a fixed order.
  std::map<double, std::vector<arma::uword>> groups;
  for (arma::uword j = 0; j < m; ++j) groups[h_num[j]].push_back(j);

  SideEstimate s;
  s.fit_of_level.set_size(m);
  s.coef.set_size(p1, m);
  const bool common = groups.size() == 1;
  s.weights.zeros(n, common ? 1 : m);
  arma::uvec touched(n, arma::fill::zeros);
  for (const auto& [h, levels] : groups) {
    const arma::uvec cols(levels);
    s.fits.push_back(local_poly_window(xc, side, h, opt.p, opt.kernel, unit_weights));
    LocalPolyFit& fit = s.fits.back();
    fit.fit_responses(Q, common ? arma::uvec() : cols);
    const arma::uword f = s.fits.size() - 1;
    s.fit_of_level.elem(cols).fill(f);
    s.coef.cols(cols) = fit.coef;
    const arma::vec w = fit.full_weights(n);
    if (common) s.weights.col(0) = w;
    else
      for (arma::uword j : levels) s.weights.col(j) = w;
    touched.elem(fit.units).ones();
  }
  s.n_units = arma::accu(touched);
  s.intercept = s.coef.row(0).t();
  return s;
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
}

void check_bandwidths(const Bandwidths& bw, const EstimateOptions& opt, arma::uword n_levels) {
  const arma::uword k = bw.num.n_elem;
  require(k > 0, "bandwidth", "no outcome bandwidth was given");
  require(opt.method == Method::simple || k == 1 || arma::all(bw.num == bw.num[0]), "bandwidth",
          "the frechet method fits the whole curve with one bandwidth; give {bandwidth} a "
          "single number (one per level needs {method=simple})");
  require(k == 1 || k == n_levels, "bandwidth", "got ", k, " outcome bandwidths for ", n_levels,
          " quantile levels; give {bandwidth} one number or one per level");
  for (arma::uword j = 0; j < k; ++j)
    require(std::isfinite(bw.num[j]) && bw.num[j] > 0.0, "bandwidth", "bandwidth ", j + 1,
            " is ", bw.num[j], "; {bandwidth} must be positive numbers");
  if (opt.fuzzy)
    require(std::isfinite(bw.den) && bw.den > 0.0, "bandwidth_treatment",
            "a fuzzy design needs a positive treatment bandwidth {bandwidth_treatment}, got ",
            bw.den);
}

arma::vec expand_bandwidths(const Bandwidths& bw, arma::uword n_levels) {
  return bw.num.n_elem == 1 ? arma::vec(n_levels, arma::fill::value(bw.num[0])) : bw.num;
}

namespace {

// The estimator on units already in canonical order.
Estimate estimate_sorted(const RdData& data, const Bandwidths& bandwidths,
                         const EstimateOptions& options, const Hooks& hooks) {
  Estimate est;
  est.options = options;
  est.q_grid = data.q_grid;
  est.n = data.x.n_elem;
  est.h_num = expand_bandwidths(bandwidths, data.q_grid.n_elem);
  est.common_bandwidth = arma::all(est.h_num == est.h_num[0]);

  const arma::vec xc = data.x - options.cutoff;
  est.plus = fit_side(xc, data.quantiles, est.h_num, Side::above, options, data.unit_weights);
  est.minus = fit_side(xc, data.quantiles, est.h_num, Side::below, options, data.unit_weights);
  est.plus.curve = monotonize(data.q_grid, est.plus.intercept, options);
  est.minus.curve = monotonize(data.q_grid, est.minus.intercept, options);
  est.tau = est.plus.curve - est.minus.curve;

  if (options.fuzzy) {
    est.h_den = bandwidths.den;
    const arma::mat t(data.treatment);
    FirstStage& fs = est.first_stage;
    fs.plus = fit_local_poly(xc, t, Side::above, est.h_den, options.p, options.kernel,
                             data.unit_weights, "r3d (first stage)");
    fs.minus = fit_local_poly(xc, t, Side::below, est.h_den, options.p, options.kernel,
                              data.unit_weights, "r3d (first stage)");
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
    est.tau /= fs.jump;
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
