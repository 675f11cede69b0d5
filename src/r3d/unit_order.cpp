// unit_order.cpp — sorting units canonically (see unit_order.h).
#include "rddist/r3d/unit_order.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace rddist {
namespace {

// Three-way comparison of units a and b in canonical order.
int compare_units(const RdData& d, arma::uword a, arma::uword b) {
  auto cmp = [](double u, double v) { return u < v ? -1 : (v < u ? 1 : 0); };
  if (int c = cmp(d.x[a], d.x[b])) return c;
  if (!d.treatment.is_empty())
    if (int c = cmp(d.treatment[a], d.treatment[b])) return c;
  for (arma::uword j = 0; j < d.quantiles.n_cols; ++j)
    if (int c = cmp(d.quantiles(a, j), d.quantiles(b, j))) return c;
  if (!d.unit_weights.is_empty())
    if (int c = cmp(d.unit_weights[a], d.unit_weights[b])) return c;
  for (arma::uword k = 0; k < d.covariates.n_cols; ++k)
    if (int c = cmp(d.covariates(a, k), d.covariates(b, k))) return c;
  return 0;
}

}  // namespace

arma::uvec canonical_order(const RdData& d) {
  std::vector<arma::uword> order(d.x.n_elem);
  std::iota(order.begin(), order.end(), arma::uword(0));
  // x decides almost always; the full comparison runs only on ties.
  std::stable_sort(order.begin(), order.end(), [&](arma::uword a, arma::uword b) {
    if (d.x[a] != d.x[b]) return d.x[a] < d.x[b];
    return compare_units(d, a, b) < 0;
  });
  return arma::uvec(order);
}

bool is_canonical(const RdData& d) {
  for (arma::uword i = 1; i < d.x.n_elem; ++i) {
    if (d.x[i] > d.x[i - 1]) continue;
    if (d.x[i] < d.x[i - 1] || compare_units(d, i - 1, i) > 0) return false;
  }
  return true;
}

RdData permute_units(const RdData& d, const arma::uvec& order) {
  RdData out;
  out.x = d.x.elem(order);
  if (!d.treatment.is_empty()) out.treatment = d.treatment.elem(order);
  out.quantiles = d.quantiles.rows(order);
  out.q_grid = d.q_grid;
  if (!d.unit_weights.is_empty()) out.unit_weights = d.unit_weights.elem(order);
  if (d.covariates.n_cols > 0) out.covariates = d.covariates.rows(order);
  out.covariate_names = d.covariate_names;
  return out;
}

arma::uvec make_canonical(RdData& d) {
  const arma::uvec order = canonical_order(d);
  if (is_canonical(d)) return order;
  arma::vec buffer(d.x.n_elem);
  auto apply = [&](double* v) {
    for (arma::uword k = 0; k < order.n_elem; ++k) buffer[k] = v[order[k]];
    std::copy(buffer.begin(), buffer.end(), v);
  };
  apply(d.x.memptr());
  if (!d.treatment.is_empty()) apply(d.treatment.memptr());
  if (!d.unit_weights.is_empty()) apply(d.unit_weights.memptr());
  for (arma::uword j = 0; j < d.quantiles.n_cols; ++j) apply(d.quantiles.colptr(j));
  for (arma::uword k = 0; k < d.covariates.n_cols; ++k) apply(d.covariates.colptr(k));
  return order;
}

}  // namespace rddist
