// ddp_stock.cpp — stock grids and the location of an off-grid stock (doc/ddp.md §4).
//
// Uniform grids locate a stock by arithmetic (the solvers' inner loop does this once per
// outcome and grid point); other grids by binary search.
#include "rddist/ddp/stock.h"

#include <algorithm>
#include <cmath>

#include "rddist/error.h"

namespace rddist {
namespace ddp {

StockMode parse_stock_mode(const std::string& name) {
  if (name == "auto" || name == "automatic") return StockMode::automatic;
  if (name == "exact") return StockMode::exact;
  if (name == "grid") return StockMode::grid;
  throw invalid_argument("unknown stock handling '" + name +
                             "'; use \"auto\", \"exact\" or \"grid\"",
                         "parse_stock_mode");
}

Rounding parse_rounding(const std::string& name) {
  if (name == "stochastic") return Rounding::stochastic;
  if (name == "nearest") return Rounding::nearest;
  throw invalid_argument("unknown rounding '" + name + "'; use \"stochastic\" or \"nearest\"",
                         "parse_rounding");
}

std::string to_string(StockMode mode) {
  switch (mode) {
    case StockMode::automatic: return "auto";
    case StockMode::exact: return "exact";
    case StockMode::grid: return "grid";
  }
  return "?";
}

std::string to_string(Rounding r) { return r == Rounding::stochastic ? "stochastic" : "nearest"; }

StockGrid::StockGrid(arma::vec points, const char* where) : points_(std::move(points)) {
  fail_if(points_.n_elem < 2, where, "a stock grid needs at least 2 points (got ",
          points_.n_elem, ")");
  for (arma::uword i = 0; i < points_.n_elem; ++i) {
    fail_if(!std::isfinite(points_[i]), where, "stock grid point ", i + 1, " is not finite");
    fail_if(i > 0 && !(points_[i] > points_[i - 1]), where,
            "the stock grid must be strictly increasing (point ", i + 1, ")");
  }
  step_ = (points_.back() - points_.front()) / static_cast<double>(points_.n_elem - 1);
  inv_step_ = 1.0 / step_;
  uniform_ = true;
  for (arma::uword i = 0; i < points_.n_elem && uniform_; ++i)
    uniform_ = std::fabs(points_[i] - (points_.front() + step_ * i)) <= 1e-12 * (1.0 + std::fabs(points_[i]));
}

StockGrid StockGrid::uniform(double lo, double hi, arma::uword n, std::optional<double> include,
                             const char* where) {
  fail_if(n < 2, where, "a stock grid needs at least 2 points (got ", n, ")");
  fail_if(!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi), where, "the stock range [", lo,
          ", ", hi, "] is not a finite interval with lo < hi");
  arma::vec p(n);
  const double step = (hi - lo) / static_cast<double>(n - 1);
  for (arma::uword i = 0; i < n; ++i) p[i] = i + 1 == n ? hi : lo + step * i;
  if (include && std::isfinite(*include) && *include > lo && *include < hi) {
    const double c = *include;
    const auto it = std::lower_bound(p.begin(), p.end(), c);
    if (*it != c) {
      const arma::uword k = static_cast<arma::uword>(it - p.begin());
      p.insert_rows(k, arma::vec{c});
    }
  }
  return StockGrid(std::move(p), where);
}

StockGrid::Position StockGrid::locate(double c) const {
  Position pos;
  const arma::uword n = points_.n_elem;
  if (c <= points_.front()) {
    pos.outside = c < points_.front();
    return pos;
  }
  if (c >= points_.back()) {
    pos.lower = n - 2;
    pos.upper_weight = 1.0;
    pos.outside = c > points_.back();
    return pos;
  }
  arma::uword j;
  if (uniform_) {
    j = static_cast<arma::uword>((c - points_.front()) * inv_step_);  // > 0: truncation floors
    j = std::min(j, n - 2);
    // Rounding in the division can put c one cell off; correct it.
    while (j > 0 && c < points_[j]) --j;
    while (j + 2 < n && c >= points_[j + 1]) ++j;
  } else {
    j = static_cast<arma::uword>(std::upper_bound(points_.begin(), points_.end(), c) -
                                 points_.begin()) - 1;
  }
  pos.lower = j;
  pos.upper_weight = (c - points_[j]) / (points_[j + 1] - points_[j]);
  return pos;
}

arma::uword StockGrid::nearest(double c) const {
  const Position p = locate(c);
  return p.upper_weight > 0.5 ? p.lower + 1 : p.lower;
}

}  // namespace ddp
}  // namespace rddist
