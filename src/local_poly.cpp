// local_poly.cpp — one-sided weighted least squares with intercept weights (paper §2).
//
// The normal equations are solved with the inverse Gram matrix G⁻¹ of the small
// (p+1)-dimensional system; G is built from u in [-1, 1], which keeps it well scaled
// for the orders used in practice (p <= 4).
#include "rddist/local_poly.h"

#include <cmath>
#include <vector>

#include "rddist/error.h"
#include "rddist/kernels.h"

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

arma::vec LocalPolyFit::full_weights(arma::uword n) const {
  arma::vec w(n, arma::fill::zeros);
  w.elem(units) = intercept_w;
  return w;
}

namespace {

arma::uword count_distinct(arma::vec values) {
  if (values.n_elem == 0) return 0;
  values = arma::sort(values);
  arma::uword count = 1;
  for (arma::uword k = 1; k < values.n_elem; ++k)
    if (values[k] != values[k - 1]) ++count;
  return count;
}

}  // namespace

LocalPolyFit fit_local_poly(const arma::vec& x, const arma::mat& y, Side side, double h, int p,
                            Kernel kernel, const arma::vec& unit_weights,
                            const std::string& context) {
  const char* where = context.c_str();
  fail_if(p < 0 || p > 10, where, "polynomial order p = ", p, " must be between 0 and 10");
  fail_if(!(std::isfinite(h) && h > 0.0), where, "bandwidth must be a positive number, got ",
          h);
  fail_if(y.n_cols > 0 && y.n_rows != x.n_elem, where, "responses have ", y.n_rows,
          " rows but there are ", x.n_elem, " units");
  fail_if(!unit_weights.is_empty() && unit_weights.n_elem != x.n_elem, where, "got ",
          unit_weights.n_elem, " unit weights for ", x.n_elem, " units");

  std::vector<arma::uword> in_window;
  std::vector<double> kern;
  for (arma::uword i = 0; i < x.n_elem; ++i) {
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

  const arma::uword distinct = count_distinct(x.elem(fit.units));
  fail_if<data_error>(distinct < static_cast<arma::uword>(p) + 1, where, "only ", distinct,
                      " distinct value(s) of the running variable lie ", to_string(side),
                      " the cutoff within bandwidth h = ", h, ", but a local polynomial of order ",
                      p, " needs at least ", p + 1, "; use a larger bandwidth or a lower order");

  const arma::mat r = fit.design();
  const arma::mat kr = r.each_col() % fit.kernel_w;  // rows k_i r_p(u_i)'
  const arma::mat gram = r.t() * kr;
  const bool ok = arma::inv(fit.gram_inv, gram);
  fail_if<numerical_error>(!ok || !fit.gram_inv.is_finite(), where,
                           "the local polynomial system ", to_string(side),
                           " the cutoff is singular at bandwidth h = ", h);
  fit.intercept_w = kr * fit.gram_inv.col(0);
  if (y.n_cols > 0) fit.coef = fit.gram_inv * (kr.t() * y.rows(fit.units));
  else fit.coef.set_size(static_cast<arma::uword>(p) + 1, 0);
  return fit;
}

}  // namespace rddist
