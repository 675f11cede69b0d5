// bootstrap_functionals.cpp — functionals φ of the two side distributions with basic
// bootstrap intervals for their difference φ(m̂₊) − φ(m̂₋) (paper §2.6 extended; the
// functionals are defined in functionals.h).
#include <cmath>
#include <vector>

#include "bootstrap_detail.h"
#include "rddist/error.h"
#include "rddist/r3d/functionals.h"

namespace rddist {
namespace detail {
namespace {

double functional_value(const FunctionalSpec& f, const arma::vec& q, const arma::vec& curve) {
  switch (f.type) {
    case FunctionalType::mean: return quantile_mean(q, curve);
    case FunctionalType::gini: return gini(q, curve);
    case FunctionalType::spread: return quantile_spread(q, curve, f.a, f.b);
    case FunctionalType::lower_tail_mean: return lower_tail_mean(q, curve, f.a);
    case FunctionalType::upper_tail_mean: return upper_tail_mean(q, curve, f.a);
    case FunctionalType::cdf: return distribution_at(q, curve, f.a);
    case FunctionalType::custom: return f.function(q, curve);
  }
  return 0.0;
}

// The distribution function at y is known from the grid only between the lowest and the
// highest level of both side curves (functionals.h).
void check_cdf_value(const FunctionalSpec& f, const Estimate& est) {
  const double lo = std::max(est.plus.curve.front(), est.minus.curve.front());
  const double hi = std::min(est.plus.curve.back(), est.minus.curve.back());
  require(f.a >= lo && f.a < hi, "functionals", "functional ", f.name(), ": the value ", f.a,
          " lies outside [", lo, ", ", hi, "), where both side quantile functions are known "
          "on the grid (from its lowest level ", est.q_grid.front(), " to its highest ",
          est.q_grid.back(), "); choose a value inside, or widen {q_grid}");
}

// A spread Q(b) − Q(a) needs both levels on the grid's range; beyond it the quantile
// function is not estimated (clamping would report another spread under this name).
void check_spread_levels(const FunctionalSpec& f, const arma::vec& q) {
  const double tol = 1e-12;
  require(f.a >= q.front() - tol && f.b <= q.back() + tol, "functionals", "functional ",
          f.name(), " needs the quantile levels ", f.a, " and ", f.b, ", but the grid {q_grid} "
          "covers only ", q.front(), " to ", q.back(), "; choose levels inside it or widen the grid");
}

// A tail mean whose whole tail lies beyond the grid (lower_mean:0.05 on a grid from 0.1)
// would be the flat extension's value at the grid's end, reported under another name.
void check_tail_level(const FunctionalSpec& f, const arma::vec& q) {
  const double tol = 1e-12;
  const bool lower = f.type == FunctionalType::lower_tail_mean;
  require(lower ? f.a >= q.front() - tol : f.a <= q.back() + tol, "functionals", "functional ",
          f.name(), " averages the quantile function ", lower ? "below " : "above ", f.a,
          ", but the grid {q_grid} starts at ", q.front(), " and ends at ", q.back(),
          ", so that tail is not estimated; choose a level inside the grid or widen it");
}

}  // namespace

FunctionalResult run_functional(const FunctionalSpec& f, const Estimate& est, const Draws& d,
                                double alpha, const Hooks& hooks) {
  const arma::vec& q = est.q_grid;
  if (f.type == FunctionalType::cdf) check_cdf_value(f, est);
  if (f.type == FunctionalType::spread) check_spread_levels(f, q);
  if (f.type == FunctionalType::lower_tail_mean || f.type == FunctionalType::upper_tail_mean)
    check_tail_level(f, q);
  FunctionalResult r;
  r.name = f.name();
  r.plus = functional_value(f, q, est.plus.curve);
  r.minus = functional_value(f, q, est.minus.curve);
  require(std::isfinite(r.plus) && std::isfinite(r.minus), "functionals", "functional ", r.name,
          " is not finite at the estimated quantile functions (", r.plus, " above, ", r.minus,
          " below the cutoff)");
  r.difference = r.plus - r.minus;
  std::vector<double> dev;
  arma::uword failed = 0;
  for (arma::uword k = 0; k < d.plus.n_rows; ++k) {
    if (k % 64 == 0) hooks.poll();
    try {
      const double v = functional_value(f, q, est.plus.curve + d.plus.row(k).t()) -
                       functional_value(f, q, est.minus.curve + d.minus.row(k).t()) - r.difference;
      if (std::isfinite(v)) dev.push_back(v);
      else ++failed;
    } catch (const data_error&) {
      ++failed;
    }
  }
  require_data<numerical_error>(dev.size() >= 2, "functional ", r.name, " is not finite in ",
                                failed, " of ", d.plus.n_rows,
                                " bootstrap draws; no interval can be formed");
  if (failed)
    hooks.warn(detail::concat("functional ", r.name, " is not finite in ", failed, " of ",
                              d.plus.n_rows, " bootstrap draws; its interval uses the other draws"));
  const arma::vec v(dev);
  r.se = arma::stddev(v);
  const double size = std::max(std::fabs(r.plus), std::fabs(r.minus));
  if (r.se <= 1e-10 * size) {  // a degenerate bootstrap: no interval (bootstrap.cpp warns)
    r.se = r.conf_low = r.conf_high = arma::datum::nan;
    return r;
  }
  // Basic bootstrap interval: θ̂ − upper and θ̂ − lower quantiles of θ̂* − θ̂.
  r.conf_low = r.difference - type7_quantile(v, 1.0 - alpha / 2.0);
  r.conf_high = r.difference - type7_quantile(v, alpha / 2.0);
  return r;
}

}  // namespace detail
}  // namespace rddist
