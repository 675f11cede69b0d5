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

void check_finite(const arma::vec& v, const char* where, const char* what) {
  for (arma::uword i = 0; i < v.n_elem; ++i)
    fail_if(!std::isfinite(v[i]), where, what, " has a missing or non-finite value at unit ",
            i + 1, "; remove or fix that unit");
}

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
    s.fits.push_back(local_poly_window(xc, side, h, opt.p, opt.kernel, unit_weights, "r3d"));
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

void validate_rd_data(const RdData& d, const EstimateOptions& opt, const char* where) {
  const arma::uword n = d.x.n_elem;
  fail_if(n == 0, where, "there are no units");
  check_finite(d.x, where, "the running variable");
  fail_if(d.quantiles.n_rows != n, where, "got ", d.quantiles.n_rows,
          " rows of quantiles for ", n, " units; give one row per unit");
  fail_if(d.q_grid.n_elem == 0, where, "the quantile grid is empty");
  fail_if(d.quantiles.n_cols != d.q_grid.n_elem, where, "the quantile matrix has ",
          d.quantiles.n_cols, " columns but the grid has ", d.q_grid.n_elem, " levels");
  for (arma::uword j = 0; j < d.q_grid.n_elem; ++j) {
    fail_if(!(d.q_grid[j] > 0.0 && d.q_grid[j] < 1.0), where, "quantile level ", d.q_grid[j],
            " is outside (0, 1); every level must lie strictly between 0 and 1");
    fail_if(j > 0 && !(d.q_grid[j] > d.q_grid[j - 1]), where,
            "the quantile grid must be strictly increasing (level ", j + 1, " = ", d.q_grid[j],
            " follows ", d.q_grid[j > 0 ? j - 1 : 0], ")");
  }
  fail_if(!d.quantiles.is_finite(), where,
          "the quantile matrix has missing or non-finite entries");
  fail_if(!std::isfinite(opt.cutoff), where, "the cutoff must be a finite number");
  fail_if(opt.p < 0 || opt.p > 10, where, "the polynomial order p = ", opt.p,
          " must be an integer between 0 and 10");
  const double lo = d.x.min(), hi = d.x.max();
  fail_if<data_error>(opt.cutoff < lo || opt.cutoff > hi, where, "the cutoff ", opt.cutoff,
                      " lies outside the range of the running variable [", lo, ", ", hi, "]");
  const arma::uword above = arma::accu(d.x >= opt.cutoff);
  fail_if<data_error>(above == 0, where, "no units lie at or above the cutoff ", opt.cutoff);
  fail_if<data_error>(above == n, where, "no units lie below the cutoff ", opt.cutoff);
  if (!d.unit_weights.is_empty()) {
    fail_if(d.unit_weights.n_elem != n, where, "got ", d.unit_weights.n_elem,
            " unit weights for ", n, " units");
    check_finite(d.unit_weights, where, "the unit weights");
    fail_if(arma::any(d.unit_weights < 0.0), where, "unit weights must be non-negative");
  }
  if (opt.fuzzy) {
    fail_if(d.treatment.n_elem != n, where, "a fuzzy design needs one treatment value per unit (got ",
            d.treatment.n_elem, " for ", n, " units)");
    check_finite(d.treatment, where, "the treatment");
    fail_if(arma::any(d.treatment < 0.0) || arma::any(d.treatment > 1.0), where,
            "treatment values must lie in [0, 1] (0/1 indicators or shares)");
  }
}

arma::vec expand_bandwidths(const Bandwidths& bw, const EstimateOptions& opt,
                            arma::uword n_levels, const char* where) {
  const arma::uword k = bw.num.n_elem;
  fail_if(k == 0, where, "no outcome bandwidth was given");
  fail_if(k != 1 && k != n_levels, where, "got ", k, " outcome bandwidths for ", n_levels,
          " quantile levels; give one number or one per level");
  for (arma::uword j = 0; j < k; ++j)
    fail_if(!(std::isfinite(bw.num[j]) && bw.num[j] > 0.0), where, "bandwidth ", j + 1, " is ",
            bw.num[j], "; bandwidths must be positive numbers");
  fail_if(opt.method == Method::frechet && k > 1 && arma::any(bw.num != bw.num[0]), where,
          "the frechet method fits the whole curve with one bandwidth; give a single number "
          "(per-level bandwidths need method \"simple\")");
  if (opt.fuzzy)
    fail_if(!(std::isfinite(bw.den) && bw.den > 0.0), where,
            "a fuzzy design needs a positive treatment bandwidth, got ", bw.den);
  return k == 1 ? arma::vec(n_levels, arma::fill::value(bw.num[0])) : bw.num;
}

namespace {

// The estimator on units already in canonical order.
Estimate estimate_sorted(const RdData& data, const Bandwidths& bandwidths,
                         const EstimateOptions& options, const Hooks& hooks) {
  Estimate est;
  est.options = options;
  est.q_grid = data.q_grid;
  est.n = data.x.n_elem;
  est.h_num = expand_bandwidths(bandwidths, options, data.q_grid.n_elem, "r3d");
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
    fail_if<numerical_error>(!(std::fabs(fs.jump) >= kNoFirstStage), "r3d",
                             "the first stage has no jump at the cutoff (estimated change in "
                             "treatment probability ", fs.jump,
                             "); the fuzzy effect is not identified — check the treatment "
                             "column or use a sharp design");
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
  validate_rd_data(data, options, "r3d");
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
