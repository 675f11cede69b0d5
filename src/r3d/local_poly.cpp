// local_poly.cpp — one-sided weighted least squares with intercept weights (paper §2).
//
// The normal equations are solved with the inverse Gram matrix G⁻¹ of the small
// (p+1)-dimensional system; G is built from u in [-1, 1], which keeps it well scaled
// for the orders used in practice (p <= 4).
#include "rddist/r3d/local_poly.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "rddist/error.h"
#include "rddist/r3d/kernels.h"
#include "thin_products.h"

namespace rddist {

arma::mat polynomial_basis(const arma::vec& u, int p) {
  arma::mat r(u.n_elem, static_cast<arma::uword>(p) + 1);
  r.col(0).ones();
  for (int k = 1; k <= p; ++k) r.col(k) = r.col(k - 1) % u;
  return r;
}

arma::uvec units_on_side(const arma::vec& x_centred, Side side) {
  if (side == Side::above) return arma::find(x_centred >= 0.0);
  return arma::find(x_centred < 0.0);
}

arma::mat LocalPolyFit::design() const { return polynomial_basis(u, order); }

arma::mat LocalPolyFit::fitted() const { return design() * coef; }

arma::mat LocalPolyFit::residuals() const { return response - design() * coef; }

void LocalPolyFit::fit_responses(const arma::mat& y, const arma::uvec& columns) {
  // A window of consecutive units (sorted x) is copied as a block, which is much faster
  // than gathering rows.
  const bool block = units.n_elem > 0 && units.back() - units.front() + 1 == units.n_elem;
  if (y.n_cols == 0) {
    response.set_size(units.n_elem, 0);
  } else if (block) {
    const arma::uword a = units.front(), b = units.back();
    if (columns.is_empty()) {
      response = y.rows(a, b);
    } else {
      response.set_size(units.n_elem, columns.n_elem);
      for (arma::uword k = 0; k < columns.n_elem; ++k)
        response.col(k) = y.col(columns[k]).rows(a, b);
    }
  } else {
    response = columns.is_empty() ? arma::mat(y.rows(units)) : arma::mat(y.submat(units, columns));
  }
  coef = gram_inv * (weighted_design.t() * response);
}

void LocalPolyFit::subtract_from_responses(const arma::mat& offset) {
  response -= offset;
  coef = gram_inv * (weighted_design.t() * response);
}

arma::vec LocalPolyFit::leverages() const {
  const arma::mat r = design();
  return arma::sum((r * gram_inv) % weighted_design, 1);
}

arma::vec LocalPolyFit::full_weights(arma::uword n) const {
  arma::vec w(n, arma::fill::zeros);
  w.elem(units) = intercept_w;
  return w;
}

namespace {

// Number of distinct values, counted up to `enough` (the answer is min(distinct, enough)):
// the check only needs to know whether the fit is identified, so it stops early.
arma::uword count_distinct(const arma::vec& values, arma::uword enough) {
  std::vector<double> seen;
  for (double v : values) {
    if (std::find(seen.begin(), seen.end(), v) == seen.end()) {
      seen.push_back(v);
      if (seen.size() >= enough) break;
    }
  }
  return seen.size();
}

}  // namespace

LocalPolyFit fit_local_poly(const arma::vec& x, const arma::mat& y, Side side, double h, int p,
                            Kernel kernel, const arma::vec& unit_weights,
                            const std::string& context) {
  require(y.n_cols == 0 || y.n_rows == x.n_elem, "quantiles", "responses have ", y.n_rows,
          " rows but there are ", x.n_elem, " units");
  LocalPolyFit fit = local_poly_window(x, side, h, p, kernel, unit_weights, context);
  fit.fit_responses(y);
  return fit;
}

// The weighted moment matrix of a window (x/h scaled) is refused when its reciprocal
// condition number is below this: solving it would lose all but about three of the 16
// significant digits. Well-spread windows stay far above it for the orders in use (the
// matrix of p = 4 on evenly spread x has a condition number near 1e6).
constexpr double kMinReciprocalCondition = 1e-13;

LocalPolyFit local_poly_window(const arma::vec& x, Side side, double h, int p, Kernel kernel,
                               const arma::vec& unit_weights, const std::string& context) {
  const std::string where = context.empty() ? "" : context + ": ";
  require(p >= 0 && p <= 10, "p", "the polynomial order {p} = ", p, " must be between 0 and 10");
  require(std::isfinite(h) && h > 0.0, "bandwidth", "{bandwidth} must be a positive number, got ",
          h);
  require(unit_weights.is_empty() || unit_weights.n_elem == x.n_elem, "unit_weights", "got ",
          unit_weights.n_elem, " unit weights for ", x.n_elem, " units");

  // When x is sorted (the core sorts units canonically), the window is a block found by
  // binary search; otherwise every unit is a candidate.
  arma::uword begin = 0, end = x.n_elem;
  if (std::is_sorted(x.begin(), x.end())) {
    const double* first = x.memptr();
    const double* last = first + x.n_elem;
    const double* lo = side == Side::above ? std::lower_bound(first, last, 0.0)
                                           : std::lower_bound(first, last, -h);
    const double* hi = side == Side::above ? std::upper_bound(first, last, h)
                                           : std::lower_bound(first, last, 0.0);
    begin = static_cast<arma::uword>(lo - first);
    end = static_cast<arma::uword>(hi - first);
  }
  std::vector<arma::uword> in_window;
  std::vector<double> kern;
  in_window.reserve(end - begin);
  kern.reserve(end - begin);
  for (arma::uword i = begin; i < end; ++i) {
    const bool on_side = side == Side::above ? x[i] >= 0.0 : x[i] < 0.0;
    if (!on_side) continue;
    double k = kernel_weight(kernel, x[i] / h);
    if (!unit_weights.is_empty()) k *= unit_weights[i];
    if (k > 0.0) {
      in_window.push_back(i);
      kern.push_back(k);
    }
  }

  LocalPolyFit fit;
  fit.side = side;
  fit.bandwidth = h;
  fit.order = p;
  fit.units = arma::uvec(in_window);
  fit.kernel_w = arma::vec(kern);
  fit.u = x.elem(fit.units) / h;

  const arma::uword distinct = count_distinct(x.elem(fit.units), static_cast<arma::uword>(p) + 1);
  require_data(distinct >= static_cast<arma::uword>(p) + 1, where, "only ", distinct,
               " distinct value(s) of the running variable lie ", to_string(side),
               " the cutoff within bandwidth h = ", h, ", but a local polynomial of order ", p,
               " needs at least ", p + 1, "; use larger {bandwidth} or a lower order {p}");

  const arma::mat r = fit.design();
  fit.weighted_design = r.each_col() % fit.kernel_w;
  const arma::mat gram = detail::skinny_cross(r, fit.weighted_design);
  const double rcond = arma::rcond(gram);
  const double farthest = arma::abs(x.elem(fit.units)).max();
  require_data<numerical_error>(rcond >= kMinReciprocalCondition || h <= 1e3 * farthest, where,
                                "the bandwidth h = ", h, " is far larger than the distance of "
                                "the farthest unit ", to_string(side), " the cutoff (",
                                farthest, "): the powers of x/h up to order ", p,
                                " are too small to fit; a {bandwidth} of ", 2.0 * farthest,
                                " already includes every unit on this side");
  require_data<numerical_error>(rcond >= kMinReciprocalCondition, where,
                                "the local polynomial system ", to_string(side),
                                " the cutoff at bandwidth h = ", h, " is nearly singular "
                                "(condition number ", 1.0 / rcond, "): the running variable's "
                                "values in the window are too close together for order ", p,
                                ", so the intercept would be noise; use larger {bandwidth} "
                                "or a lower order {p}");
  const bool ok = arma::inv(fit.gram_inv, gram);
  require_data<numerical_error>(ok && fit.gram_inv.is_finite(), where,
                                "the local polynomial system ", to_string(side),
                                " the cutoff is singular at bandwidth h = ", h);
  fit.intercept_w = detail::skinny_times(fit.weighted_design, fit.gram_inv.col(0));
  fit.coef.set_size(static_cast<arma::uword>(p) + 1, 0);
  return fit;
}

}  // namespace rddist
