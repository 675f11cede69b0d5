// thin_products.h — products with tall, thin matrices (n × k, k small), written as loops.
//
// Local polynomial fits multiply n × (p+1) designs by vectors and by each other. OpenBLAS
// splits even these thin products across threads, which costs more than it saves, and
// much more on a busy machine; contiguous loops are both faster and deterministic.
// Not installed.
#ifndef RDDIST_THIN_PRODUCTS_H
#define RDDIST_THIN_PRODUCTS_H

#include <algorithm>

#include "rddist/arma.h"

namespace rddist {
namespace detail {

// A'y for a tall, skinny A (n × k, k small) and y of length n. Written as k contiguous
// dot products: BLAS would split such thin products across threads, which costs more
// than it saves (and much more on a busy machine).
inline arma::vec skinny_t_times(const arma::mat& A, const double* y) {
  arma::vec out(A.n_cols);
  for (arma::uword c = 0; c < A.n_cols; ++c) {
    const double* a = A.colptr(c);
    double acc = 0.0;
    for (arma::uword i = 0; i < A.n_rows; ++i) acc += a[i] * y[i];
    out[c] = acc;
  }
  return out;
}

// resid = y − A b for a tall, skinny A (see skinny_t_times).
inline void skinny_residual(const arma::mat& A, const arma::vec& b, const double* y,
                            arma::vec& resid) {
  resid.set_size(A.n_rows);
  std::copy(y, y + A.n_rows, resid.begin());
  for (arma::uword c = 0; c < A.n_cols; ++c) {
    const double* a = A.colptr(c);
    const double bc = b[c];
    for (arma::uword i = 0; i < A.n_rows; ++i) resid[i] -= bc * a[i];
  }
}

// A'B for tall, thin A (n × k) and B (n × l).
inline arma::mat skinny_cross(const arma::mat& A, const arma::mat& B) {
  arma::mat out(A.n_cols, B.n_cols);
  for (arma::uword c = 0; c < B.n_cols; ++c) out.col(c) = skinny_t_times(A, B.colptr(c));
  return out;
}

// A b for tall, thin A (n × k) and a k-vector b.
inline arma::vec skinny_times(const arma::mat& A, const arma::vec& b) {
  arma::vec out(A.n_rows, arma::fill::zeros);
  for (arma::uword c = 0; c < A.n_cols; ++c) {
    const double* a = A.colptr(c);
    const double bc = b[c];
    for (arma::uword i = 0; i < A.n_rows; ++i) out[i] += bc * a[i];
  }
  return out;
}

}  // namespace detail
}  // namespace rddist

#endif  // RDDIST_THIN_PRODUCTS_H
