// covariates.cpp — the pooled covariate coefficients of each level and their checks (see
// covariates.h).
#include "rddist/r3d/covariates.h"

#include <cmath>
#include <map>
#include <utility>

#include "rddist/error.h"

namespace rddist {
namespace {

// A covariate whose residual sum of squares, after what is partialled out, is below this
// share of its sum of squares before carries no information of its own: a condition
// number of 1e10 of the scaled cross-product matrix (exact collinearity leaves rounding
// noise of about 1e-16).
constexpr double kDegenerate = 1e-10;
// A covariate whose centred sum of squares is below this share of its raw sum of squares
// is constant (a spread of 1e-10 of its magnitude; rounding leaves about 1e-32).
constexpr double kConstant = 1e-20;

// The first covariate (0-based) that is degenerate in the cross-product matrix `a` of
// centred or residualised covariates: `constant` when its diagonal is at most `share`
// times `scale` (its sum of squares before partialling out), otherwise collinear with
// earlier covariates. Returns d when none is.
struct Degenerate {
  arma::uword column;
  bool constant;
};

Degenerate first_degenerate(const arma::mat& a, const arma::vec& scale, double share) {
  const arma::uword d = a.n_rows;
  arma::mat l(d, d, arma::fill::zeros);  // Cholesky factor of the unit-diagonal scaling
  for (arma::uword k = 0; k < d; ++k) {
    if (!(a(k, k) > share * scale[k])) return {k, true};
    for (arma::uword j = 0; j <= k; ++j) {
      double v = a(k, j) / std::sqrt(a(k, k) * a(j, j));
      for (arma::uword i = 0; i < j; ++i) v -= l(k, i) * l(j, i);
      if (j < k) {
        l(k, j) = v / l(j, j);
      } else {
        if (!(v > kDegenerate)) return {k, false};
        l(k, k) = std::sqrt(v);
      }
    }
  }
  return {d, false};
}

// Residualised products of one window: A = Z'KZ − Z'KR G⁻¹R'KZ and b = Z'KY − Z'KR G⁻¹R'KY
// for the columns `columns` of y, and each covariate's kernel-weighted sum of squares, all
// multiplied by `scale`.
struct WindowProducts {
  arma::mat a, b;
  arma::vec scale;
};

WindowProducts window_products(const LocalPolyFit& w, const arma::mat& zc, const arma::mat& y,
                               const arma::uvec& columns, double scale) {
  const arma::mat z = zc.rows(w.units);
  const arma::mat kz = z.each_col() % w.kernel_w;
  const arma::mat rkz = w.weighted_design.t() * z;  // R'KZ
  const arma::mat ky = y.submat(w.units, columns);
  const arma::mat rky = w.weighted_design.t() * ky;
  WindowProducts p;
  p.a = scale * (kz.t() * z - rkz.t() * w.gram_inv * rkz);
  p.b = scale * (kz.t() * ky - rkz.t() * w.gram_inv * rky);
  p.scale = scale * arma::sum(kz % z, 0).t();
  return p;
}

}  // namespace

arma::rowvec covariate_centre(const RdData& data) { return arma::mean(data.covariates, 0); }

arma::mat covariate_offset(const RdData& data, const arma::rowvec& centre, const arma::mat& gamma,
                           const arma::uvec& units, const arma::uvec& columns) {
  const arma::mat z = data.covariates.rows(units);
  return (z.each_row() - centre) * gamma.cols(columns);
}

void check_covariates(const RdData& data) {
  if (data.covariates.n_cols == 0) return;
  const arma::mat zc = data.covariates.each_row() - covariate_centre(data);
  const arma::mat a = zc.t() * zc;
  const arma::vec scale = arma::sum(arma::square(data.covariates), 0).t();
  const Degenerate bad = first_degenerate(a, scale, kConstant);
  if (bad.column == a.n_rows) return;
  require_data(!bad.constant, covariate_label(data, bad.column),
               " is constant across units, so the intercepts already absorb it; drop it from "
               "{covariates}");
  require_data(false, covariate_label(data, bad.column),
               " is a linear combination of the covariates before it (collinear); drop it "
               "from {covariates}");
}

arma::mat covariate_coefficients(const RdData& data, const arma::mat& y, const LevelWindows& above,
                                 const LevelWindows& below, const char* what) {
  const arma::uword d = data.covariates.n_cols, m = y.n_cols;
  const arma::mat zc = data.covariates.each_row() - covariate_centre(data);
  // Levels sharing the same pair of windows share one system.
  std::map<std::pair<arma::uword, arma::uword>, std::vector<arma::uword>> groups;
  for (arma::uword j = 0; j < m; ++j)
    groups[{above.fit_of_level[j], below.fit_of_level[j]}].push_back(j);
  arma::mat gamma(d, m);
  for (const auto& [pair, levels] : groups) {
    const arma::uvec cols(levels);
    const LocalPolyFit& wa = (*above.fits)[pair.first];
    const LocalPolyFit& wb = (*below.fits)[pair.second];
    // Each side weighted by its kernel K_h(x) = K(x/h)/h, which matters when the sides'
    // bandwidths differ (rdrobust weights them so too).
    const WindowProducts pa = window_products(wa, zc, y, cols, 1.0 / wa.bandwidth);
    const WindowProducts pb = window_products(wb, zc, y, cols, 1.0 / wb.bandwidth);
    const arma::mat a = pa.a + pb.a;
    const Degenerate bad = first_degenerate(a, pa.scale + pb.scale, kDegenerate);
    if (bad.column < d) {
      const std::string at = detail::concat(" within the bandwidths (h = ", wa.bandwidth,
                                            " above, ", wb.bandwidth, " below the cutoff) of ",
                                            what);
      require_data(!bad.constant, covariate_label(data, bad.column),
                   " does not vary", at, " beyond what the side polynomials in the running "
                   "variable explain; drop it from {covariates} or widen {bandwidth}");
      require_data(false, covariate_label(data, bad.column),
                   " is collinear with the covariates before it", at,
                   "; drop it from {covariates} or widen {bandwidth}");
    }
    gamma.cols(cols) = arma::solve(arma::symmatu(a), pa.b + pb.b, arma::solve_opts::likely_sympd);
  }
  return gamma;
}

arma::mat covariate_coefficients_at(const RdData& data, const arma::mat& y, const arma::vec& h_above,
                                    const arma::vec& h_below, const EstimateOptions& options,
                                    const char* what) {
  const arma::vec xc = data.x - options.cutoff;
  auto windows = [&](const arma::vec& h, Side side, std::vector<LocalPolyFit>& fits) {
    std::map<double, arma::uword> index;
    arma::uvec fit_of_level(h.n_elem);
    for (arma::uword j = 0; j < h.n_elem; ++j) {
      const auto [it, added] = index.emplace(h[j], fits.size());
      if (added)
        fits.push_back(local_poly_window(xc, side, h[j], options.p, options.kernel, data.unit_weights));
      fit_of_level[j] = it->second;
    }
    return fit_of_level;
  };
  std::vector<LocalPolyFit> above, below;
  const arma::uvec a = windows(h_above, Side::above, above);
  const arma::uvec b = windows(h_below, Side::below, below);
  return covariate_coefficients(data, y, {&above, a}, {&below, b}, what);
}

}  // namespace rddist
