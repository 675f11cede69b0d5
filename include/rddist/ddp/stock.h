// stock.h — the stock: a statistic of past rewards that makes the problem stationary
// (doc/ddp.md §1, §4).
//
// C_0 = c_0 and C_{t+1} = (C_t + R_{t+1})/γ, so that c_0 + G = γ^t (C_t + G_t). Solvers
// either enumerate the stocks reachable from c_0 exactly (finite horizon or acyclic MDP),
// or work on a grid c_1 < ... < c_K, where an off-grid stock c' is handled by stochastic
// rounding — the law at c' is taken as the mixture (1−w)·law(c_j) + w·law(c_{j+1}) with
// c' = (1−w)c_j + w c_{j+1} — or by the nearest grid point.
//
// Closed-form region. If f is piecewise linear with its kink at 0 and G from state x lies
// in [lo, hi], then for c >= −lo (c + G >= 0 surely) E f(c + G) = w_r (c + E G) + const
// and for c < −hi (c + G < 0 surely) E f(c + G) = w_l (c + E G) + const: the best policy
// is the one maximising (slope > 0) or minimising (slope < 0) the expected return, and
// its law does not depend on c. Solvers use this instead of clamping stocks to a grid.
#ifndef RDDIST_DDP_STOCK_H
#define RDDIST_DDP_STOCK_H

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "rddist/arma.h"
#include "rddist/ddp/objective.h"

namespace rddist {
namespace ddp {

enum class StockMode { automatic, exact, grid };
enum class Rounding { stochastic, nearest };

StockMode parse_stock_mode(const std::string& name);  // "auto", "exact", "grid"
Rounding parse_rounding(const std::string& name);     // "stochastic", "nearest"
std::string to_string(StockMode mode);
std::string to_string(Rounding rounding);

class StockGrid {
 public:
  StockGrid() = default;
  // Strictly increasing finite points, at least 2. Throws invalid_argument.
  explicit StockGrid(arma::vec points, const char* where = "StockGrid");
  // n evenly spaced points on [lo, hi] (lo < hi), plus `include` if it lies strictly
  // between two of them.
  static StockGrid uniform(double lo, double hi, arma::uword n,
                           std::optional<double> include = std::nullopt,
                           const char* where = "StockGrid::uniform");

  const arma::vec& points() const { return points_; }
  arma::uword size() const { return points_.n_elem; }
  double lo() const { return points_.front(); }
  double hi() const { return points_.back(); }

  // Where c falls: c = (1 − w)·c_lower + w·c_{lower+1} inside the grid; outside it the
  // nearest end point with w ∈ {0, 1} and outside = true.
  struct Position {
    arma::uword lower = 0;
    double upper_weight = 0.0;
    bool outside = false;
  };
  Position locate(double c) const;
  arma::uword nearest(double c) const;  // ties go to the lower point

 private:
  arma::vec points_;
  bool uniform_ = false;
  double step_ = 0.0, inv_step_ = 0.0;
};

// Position of a stock relative to the closed-form region of a state whose returns lie in
// [lo, hi]: below (c + hi < 0: c + G < 0 surely), inside, or above (c + lo >= 0). The sums
// are judged like the threshold utility's (objective.h): within kThresholdTolerance of 0
// they count as 0, so that a stock hitting a bound exactly (−b = −G_max for b = G_max)
// lands on the side the threshold puts it.
enum class StockRegion { below, inside, above };
inline StockRegion stock_region(double c, double lo, double hi) {
  auto at_least_zero = [c](double g) {
    return c + g >= -kThresholdTolerance * std::max(std::fabs(c), std::fabs(g));
  };
  if (!at_least_zero(hi)) return StockRegion::below;
  if (at_least_zero(lo)) return StockRegion::above;
  return StockRegion::inside;
}

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_STOCK_H
