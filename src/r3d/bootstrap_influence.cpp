// bootstrap_influence.cpp — the rows a_i = s_i · e_i of the multiplier process (paper
// App.; see bootstrap.h), per side, per level, and for the treatment in fuzzy
// designs; then summed within clusters and labelled with their random streams.
//
// Paper mode: every unit in a window contributes s_i(h) e_i, e_i the residual of the
// order-p fit at the unit's own x (for frechet, against the unit's fitted row made
// monotone in q), optionally adjusted for its leverage (vce). Compatibility mode
// (R3D 0.1.0): units with s_i <= 0 contribute nothing, and the treatment rows use the
// outcome weights of the first level.
//
// Leverage adjustment. With H = R G⁻¹R'K the hat matrix of a weighted fit (R the design,
// K the kernel weights, G = R'KR), a cluster's residuals become (I − H_gg)^{-1} e_g (hc3)
// or the symmetric (I − H_gg)^{-1/2} e_g (hc2). Writing A = K_g^{1/2} R_g G^{-1/2} and
// B = A'A = G^{-1/2} G_g G^{-1/2} ((p+1) × (p+1), eigenvalues λ in [0, 1)):
//   (I − AA')^{-1}   = I + A (I − B)^{-1} A'
//   (I − AA')^{-1/2} = I + A g(B) A',  g(λ) = ((1 − λ)^{-1/2} − 1)/λ,
// so ẽ_g = e_g + R_g G^{-1/2} f(B) G^{-1/2} R_g' K_g e_g with f = 1/(1 − λ) or g — small
// matrices only, whatever the cluster size. A unit alone is the case B = h_ii: e/(1 − h)
// and e/sqrt(1 − h).
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "bootstrap_detail.h"
#include "rddist/error.h"
#include "rddist/r3d/covariates.h"
#include "rddist/r3d/monotone.h"
#include "thin_products.h"

namespace rddist {
namespace detail {
namespace {

constexpr double kLeverageOne = 1.0 - 1e-10;

double adjustment_factor(double lambda, Vce vce) {
  if (vce == Vce::hc3) return 1.0 / (1.0 - lambda);
  if (lambda < 1e-8) return 0.5 + 0.375 * lambda;  // series of ((1 − λ)^{-1/2} − 1)/λ
  return (1.0 / std::sqrt(1.0 - lambda) - 1.0) / lambda;
}

}  // namespace

// Replaces the residual rows of one fit (row k belongs to fit.units[k]) by their
// leverage-adjusted versions; cluster_of (input-indexed) groups units, or is empty.
void adjust_residuals(arma::mat& resid, const LocalPolyFit& fit, Vce vce,
                      const arma::uvec& cluster_of) {
  if (vce == Vce::hc0 || resid.n_rows == 0) return;
  const char* side = fit.side == Side::above ? "above" : "below";
  if (cluster_of.is_empty()) {
    const arma::vec h = fit.leverages();
    for (arma::uword k = 0; k < h.n_elem; ++k) {
      require_data<numerical_error>(h[k] < kLeverageOne, "{unit=", fit.units[k] + 1, "} (", side,
                                    " the cutoff) has leverage ", h[k], " at bandwidth ",
                                    fit.bandwidth, ": it determines its side's fit alone, so "
                                    "the ", to_string(vce), " adjustment is undefined; use "
                                    "{vce=hc0} or a wider {bandwidth}");
      resid.row(k) *= vce == Vce::hc3 ? 1.0 / (1.0 - h[k]) : 1.0 / std::sqrt(1.0 - h[k]);
    }
    return;
  }
  const arma::mat R = fit.design();
  arma::vec g_val;
  arma::mat g_vec;
  arma::eig_sym(g_val, g_vec, arma::symmatu(skinny_cross(R, fit.weighted_design)));
  const arma::mat g_inv_half = g_vec * arma::diagmat(1.0 / arma::sqrt(g_val)) * g_vec.t();
  std::map<arma::uword, std::vector<arma::uword>> rows_of;
  for (arma::uword k = 0; k < fit.units.n_elem; ++k) rows_of[cluster_of[fit.units[k]]].push_back(k);
  for (const auto& [cluster, rows] : rows_of) {
    const arma::uvec idx(rows);
    const arma::mat Rg = R.rows(idx);
    const arma::vec kg = fit.kernel_w.elem(idx);
    const arma::mat B = g_inv_half * (Rg.t() * (Rg.each_col() % kg)) * g_inv_half;
    arma::vec lambda;
    arma::mat v;
    arma::eig_sym(lambda, v, arma::symmatu(B));
    require_data<numerical_error>(lambda.max() < kLeverageOne, "cluster ", cluster + 1,
                                  " determines the fit ", side, " the cutoff at bandwidth ",
                                  fit.bandwidth, " by itself, so the ", to_string(vce),
                                  " adjustment is undefined; use {vce=hc0} or a wider {bandwidth}");
    arma::vec f(lambda.n_elem);
    for (arma::uword j = 0; j < f.n_elem; ++j) f[j] = adjustment_factor(std::max(0.0, lambda[j]), vce);
    const arma::mat M = g_inv_half * v * arma::diagmat(f) * v.t() * g_inv_half;
    const arma::mat e = resid.rows(idx);
    resid.rows(idx) = e + Rg * (M * (Rg.t() * (e.each_col() % kg)));
  }
}

namespace {

// Influence rows of one side for the units `window` (input indices), built
// column group by column group from the side's fits; `row_of` maps an input index to its
// row.
arma::mat side_influence(const RdData& d, const Estimate& est, const SideEstimate& side,
                         const FirstStage* first_stage, Side which, const arma::uvec& window,
                         arma::uvec& row_of, Vce vce, const arma::uvec& cluster_of,
                         const Hooks& hooks) {
  const arma::uword m = est.q_grid.n_elem;
  const bool compat = est.options.compat == Compat::r3d_0_1_0;
  row_of.elem(window) = arma::regspace<arma::uvec>(0, window.n_elem - 1);
  arma::mat a(window.n_elem, m + (first_stage ? 1 : 0), arma::fill::zeros);
  for (arma::uword f = 0; f < side.fits.size(); ++f) {
    hooks.poll();  // "simple" has one fit per level
    const LocalPolyFit& fit = side.fits[f];
    const arma::uvec levels = arma::find(side.fit_of_level == f);
    arma::mat fitted = fit.design() * side.coef.cols(levels);
    if (est.options.method == Method::frechet) isotonic_rows(fitted);
    arma::mat resid = d.quantiles.submat(fit.units, levels) - fitted;
    if (!est.gamma.is_empty())  // the residuals of the covariate-adjusted responses
      resid -= covariate_offset(d, est.covariate_centre, est.gamma, fit.units, levels);
    adjust_residuals(resid, fit, vce, cluster_of);
    arma::vec s = fit.intercept_w;
    if (compat) s.elem(arma::find(s <= 0.0)).zeros();
    a.submat(row_of.elem(fit.units), levels) = resid.each_col() % s;
  }
  if (!first_stage) return a;
  const LocalPolyFit& t_fit = which == Side::above ? first_stage->plus : first_stage->minus;
  if (!compat) {
    arma::mat t_resid = t_fit.residuals();
    adjust_residuals(t_resid, t_fit, vce, cluster_of);
    a.submat(row_of.elem(t_fit.units), arma::uvec{m}) = t_resid % t_fit.intercept_w;
    return a;
  }
  // R3D 0.1.0: the treatment residual T_i − r_p(x_i/h_T)'α̂_T of the units with a positive
  // outcome weight at the first level, weighted by that outcome weight.
  const LocalPolyFit& first = side.fits[side.fit_of_level[0]];
  const arma::uvec pos = arma::find(first.intercept_w > 0.0);
  const arma::uvec units = first.units.elem(pos);
  const arma::vec u = (d.x.elem(units) - est.options.cutoff) / est.h_den;
  const arma::vec fitted = polynomial_basis(u, est.options.p) * t_fit.coef.col(0);
  a.submat(row_of.elem(units), arma::uvec{m}) =
      (d.treatment.elem(units) - fitted) % first.intercept_w.elem(pos);
  return a;
}

// Labels the rows of the window units with their streams, or sums them within clusters.
SideInfluence collapse(arma::mat a, const arma::uvec& window, const arma::uvec& rank,
                       const arma::uvec& cluster_of, const arma::uvec& cluster_rank) {
  SideInfluence s;
  if (cluster_of.is_empty()) {
    s.units = window;
    s.rows = std::move(a);
    s.streams = rank.elem(window);
    return s;
  }
  std::map<arma::uword, arma::uword> row_of;  // cluster stream → row, in rank order
  for (arma::uword i : window) row_of.emplace(cluster_rank[cluster_of[i]], 0);
  arma::uword r = 0;
  for (auto& entry : row_of) entry.second = r++;
  s.rows.zeros(row_of.size(), a.n_cols);
  s.streams.set_size(row_of.size());
  for (const auto& [stream, row] : row_of) s.streams[row] = stream;
  for (arma::uword k = 0; k < window.n_elem; ++k)
    s.rows.row(row_of[cluster_rank[cluster_of[window[k]]]]) += a.row(k);
  return s;
}

// Units in some window of the side, in canonical order (so that every sum over them runs
// in an order that does not depend on the input).
arma::uvec window_units(const SideEstimate& side, const FirstStage* fs, Side which,
                        const arma::uvec& rank) {
  std::vector<arma::uword> units;
  for (const LocalPolyFit& fit : side.fits) units.insert(units.end(), fit.units.begin(), fit.units.end());
  if (fs) {
    const LocalPolyFit& t = which == Side::above ? fs->plus : fs->minus;
    units.insert(units.end(), t.units.begin(), t.units.end());
  }
  std::sort(units.begin(), units.end(),
            [&](arma::uword a, arma::uword b) { return rank[a] < rank[b]; });
  units.erase(std::unique(units.begin(), units.end()), units.end());
  return arma::uvec(units);
}

}  // namespace

Influence build_influence(const RdData& d, const Estimate& est, const arma::uvec& cluster,
                          Vce vce, const Hooks& hooks) {
  const arma::uword n = d.x.n_elem;
  require(est.n == n && est.order.n_elem == n, "x", "the estimate was computed on ", est.n,
          " units but the data have ", n);
  require(cluster.is_empty() || cluster.n_elem == n, "cluster", "got ", cluster.n_elem,
          " cluster labels {cluster} for ", n, " units; give one per unit");
  // Canonical rank of each input unit: its random stream.
  arma::uvec rank(n);
  rank.elem(est.order) = arma::regspace<arma::uvec>(0, n - 1);
  // Clusters: dense ids, ranked by their first unit in canonical order.
  arma::uvec cluster_of, cluster_rank;
  Influence inf;
  if (!cluster.is_empty()) {
    std::map<arma::uword, arma::uword> id;
    cluster_of.set_size(n);
    for (arma::uword k = 0; k < n; ++k) {
      const arma::uword i = est.order[k];
      cluster_of[i] = id.emplace(cluster[i], id.size()).first->second;
    }
    // Ids were handed out in canonical order, so the id is the rank.
    cluster_rank = arma::regspace<arma::uvec>(0, id.size() - 1);
    inf.clusters = id.size();
  }
  const FirstStage* fs = est.options.fuzzy ? &est.first_stage : nullptr;
  inf.levels = est.q_grid.n_elem;
  inf.fuzzy = est.options.fuzzy;
  arma::uvec row_of(n);
  for (Side side : {Side::above, Side::below}) {
    const SideEstimate& fits = side == Side::above ? est.plus : est.minus;
    const arma::uvec window = window_units(fits, fs, side, rank);
    SideInfluence& out = side == Side::above ? inf.plus : inf.minus;
    out = collapse(side_influence(d, est, fits, fs, side, window, row_of, vce, cluster_of, hooks),
                   window, rank, cluster_of, cluster_rank);
  }
  return inf;
}

}  // namespace detail
}  // namespace rddist
