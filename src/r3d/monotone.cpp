// monotone.cpp — isotonic projection (PAVA) and rearrangements (paper §3).
//
// PAVA keeps a stack of blocks (weighted mean, weight, length). Each new value starts a
// block; while the last block's mean falls below the one before, the two merge. The fit
// assigns every position its block mean. O(M) time.
#include "rddist/r3d/monotone.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "rddist/error.h"
#include "rddist/r3d/quantiles.h"

namespace rddist {
namespace {

struct Block {
  double mean;
  double weight;
  arma::uword length;
};

// PAVA over n values with stride (so that rows of a column-major matrix work in place).
void pava(double* y, const double* w, arma::uword n, arma::uword stride,
          std::vector<Block>& blocks) {
  blocks.clear();
  for (arma::uword k = 0; k < n; ++k) {
    Block b{y[k * stride], w ? w[k] : 1.0, 1};
    while (!blocks.empty() && blocks.back().mean > b.mean) {
      const Block& a = blocks.back();
      const double weight = a.weight + b.weight;
      b = Block{(a.mean * a.weight + b.mean * b.weight) / weight, weight, a.length + b.length};
      blocks.pop_back();
    }
    blocks.push_back(b);
  }
  arma::uword k = 0;
  for (const Block& b : blocks)
    for (arma::uword r = 0; r < b.length; ++r, ++k) y[k * stride] = b.mean;
}

}  // namespace

arma::vec isotonic_projection(const arma::vec& y) {
  arma::vec out = y;
  std::vector<Block> blocks;
  pava(out.memptr(), nullptr, out.n_elem, 1, blocks);
  return out;
}

arma::vec isotonic_projection(const arma::vec& y, const arma::vec& weights) {
  fail_if(weights.n_elem != y.n_elem, "isotonic_projection", "got ", y.n_elem,
          " values but ", weights.n_elem, " weights");
  fail_if(!weights.is_finite() || arma::any(weights <= 0.0), "isotonic_projection",
          "weights must be finite and positive");
  arma::vec out = y;
  std::vector<Block> blocks;
  pava(out.memptr(), weights.memptr(), out.n_elem, 1, blocks);
  return out;
}

void isotonic_rows(arma::mat& Y) {
  std::vector<Block> blocks;
  for (arma::uword i = 0; i < Y.n_rows; ++i)
    pava(Y.memptr() + i, nullptr, Y.n_cols, Y.n_rows, blocks);
}

arma::vec rearrange(const arma::vec& y) { return arma::sort(y); }

arma::vec rearrange_r3d(const arma::vec& q, const arma::vec& y) {
  fail_if(q.n_elem != y.n_elem, "rearrange_r3d", "grid and curve differ in length (",
          q.n_elem, " vs ", y.n_elem, ")");
  const arma::uword m = q.n_elem;
  if (m < 2) return y;
  for (arma::uword j = 1; j < m; ++j)
    fail_if(!(q[j] > q[j - 1]), "rearrange_r3d", "the grid must be strictly increasing");
  // Grid rescaled to [0, 1]; the curve is sampled at t = 0, 1/1000, ..., 1 by linear
  // interpolation and the samples' type-7 quantiles are read at the rescaled grid.
  const double span = q[m - 1] - q[0];
  arma::vec t = (q - q[0]) / span;
  constexpr arma::uword kSamples = 1001;
  std::vector<double> samples(kSamples);
  arma::uword seg = 0;
  for (arma::uword k = 0; k < kSamples; ++k) {
    const double s = static_cast<double>(k) / 1000.0;
    while (seg + 2 < m && t[seg + 1] < s) ++seg;
    const double t0 = t[seg], t1 = t[seg + 1];
    samples[k] = y[seg] + (y[seg + 1] - y[seg]) * (s - t0) / (t1 - t0);
  }
  std::sort(samples.begin(), samples.end());
  arma::vec out(m);
  for (arma::uword j = 0; j < m; ++j) {
    const double level = std::min(1.0, std::max(0.0, t[j]));
    out[j] = sorted_quantile(samples.data(), kSamples, level, QuantileType::type7);
  }
  return out;
}

}  // namespace rddist
