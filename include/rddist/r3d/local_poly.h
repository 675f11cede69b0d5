// local_poly.h — one-sided local polynomial regression of many responses (paper §2).
//
// For the side ± of the cutoff, bandwidth h, order p and kernel K, with u_i = x_i / h
// (x centred at the cutoff), r_p(u) = (1, u, ..., u^p)' and k_i = K(u_i) · 1{i on that side}:
//   α̂(q) = argmin_α Σ_i k_i (Y_i(q) - r_p(u_i)'α)²       coefficients on the scaled regressor
//   α̂_0(q) = Σ_i s_i Y_i(q),   s_i = k_i e_0' G⁻¹ r_p(u_i),   G = Σ_j k_j r_p(u_j) r_p(u_j)'.
// Above the cutoff means x >= 0, below means x < 0; the window is |u| <= 1 with K(u) > 0.
// All responses share the bandwidth, so G is factored once and every column costs one
// matrix product. Intercept weights sum to one and may be negative.
#ifndef RDDIST_R3D_LOCAL_POLY_H
#define RDDIST_R3D_LOCAL_POLY_H

#include <string>

#include "rddist/arma.h"
#include "rddist/r3d/options.h"

namespace rddist {

// A one-sided local polynomial: first the window and its weights (which depend only on
// x), then the coefficients of any number of responses.
struct LocalPolyFit {
  Side side = Side::above;
  double bandwidth = 0.0;
  int order = 0;
  arma::uvec units;        // units with positive kernel weight on this side, ascending
  arma::vec u;             // their scaled running variable x / h
  arma::vec kernel_w;      // their kernel weights k_i
  arma::mat weighted_design;  // rows k_i r_p(u_i)'
  arma::mat gram_inv;      // G⁻¹, (p+1) × (p+1)
  arma::vec intercept_w;   // their intercept weights s_i
  arma::mat response;      // the fitted responses of the units in the window (n_w × R)
  arma::mat coef;          // (p+1) × R coefficients on u, one column per response

  // Fits the columns `columns` of y (n × R_all; all columns when `columns` is empty):
  // sets `response` and `coef`.
  void fit_responses(const arma::mat& y, const arma::uvec& columns = arma::uvec());

  // Subtracts `offset` (shaped like `response`) from the responses and refits them: the
  // fit of covariate-adjusted responses (covariates.h).
  void subtract_from_responses(const arma::mat& offset);

  // Rows r_p(u_i)' for the units in the window.
  arma::mat design() const;
  // Fitted values r_p(u_i)'α̂ at the units in the window, one column per response.
  arma::mat fitted() const;
  // Residuals response − fitted at the units in the window.
  arma::mat residuals() const;
  // Intercept weights scattered to all n units (zero outside the window).
  arma::vec full_weights(arma::uword n) const;
  // Leverages h_ii = k_i r_p(u_i)'G⁻¹r_p(u_i) of the units in the window: the diagonal of
  // the hat matrix of this weighted fit (each in [0, 1], summing to p + 1).
  arma::vec leverages() const;
};

// The window of one side and its weights (no responses yet). unit_weights, when
// non-empty, multiplies the kernel weights (length n, non-negative). Throws data_error
// when fewer than p + 1 distinct x lie in the window; `context`, when given, says what is
// being fitted ("the first stage") at the start of that message.
LocalPolyFit local_poly_window(const arma::vec& x, Side side, double h, int p, Kernel kernel,
                               const arma::vec& unit_weights = arma::vec(),
                               const std::string& context = "");

// Window and fit of every column of y (n × R; R may be 0 for the weights only).
LocalPolyFit fit_local_poly(const arma::vec& x, const arma::mat& y, Side side, double h, int p,
                            Kernel kernel, const arma::vec& unit_weights = arma::vec(),
                            const std::string& context = "");

// Indices of the units on one side of the cutoff (x centred: above x >= 0, below x < 0).
arma::uvec units_on_side(const arma::vec& x_centred, Side side);

// r_p(u)' for each element of u: a length(u) × (p+1) matrix of powers.
arma::mat polynomial_basis(const arma::vec& u, int p);

}  // namespace rddist

#endif  // RDDIST_R3D_LOCAL_POLY_H
