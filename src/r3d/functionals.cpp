// functionals.cpp — mean, Gini, spreads and tail means of a gridded quantile function.
#include "rddist/r3d/functionals.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "rddist/error.h"

namespace rddist {
namespace {

struct Extended {
  std::vector<double> p, v;
};

// Checks the grid and extends it flat to 0 and 1.
Extended extend(const arma::vec& q, const arma::vec& Q, const char* where) {
  fail_if(q.n_elem != Q.n_elem, where, "grid and values differ in length (", q.n_elem, " vs ",
          Q.n_elem, ")");
  fail_if(q.n_elem < 2, where, "needs at least two grid points");
  fail_if(!Q.is_finite(), where, "the quantile function has non-finite values");
  Extended e;
  for (arma::uword j = 0; j < q.n_elem; ++j) {
    fail_if(!(q[j] >= 0.0 && q[j] <= 1.0), where, "grid point ", q[j], " is outside [0, 1]");
    fail_if(j > 0 && !(q[j] > q[j - 1]), where, "the grid must be strictly increasing");
  }
  if (q[0] > 0.0) {
    e.p.push_back(0.0);
    e.v.push_back(Q[0]);
  }
  for (arma::uword j = 0; j < q.n_elem; ++j) {
    e.p.push_back(q[j]);
    e.v.push_back(Q[j]);
  }
  if (q[q.n_elem - 1] < 1.0) {
    e.p.push_back(1.0);
    e.v.push_back(Q[Q.n_elem - 1]);
  }
  return e;
}

double value_at(const Extended& e, double p) {
  const auto it = std::upper_bound(e.p.begin(), e.p.end(), p);
  if (it == e.p.begin()) return e.v.front();
  if (it == e.p.end()) return e.v.back();
  const std::size_t hi = it - e.p.begin(), lo = hi - 1;
  const double t = (p - e.p[lo]) / (e.p[hi] - e.p[lo]);
  return e.v[lo] + t * (e.v[hi] - e.v[lo]);
}

// ∫_a^b Q by the trapezoid rule on the extended grid plus the points a and b.
double integrate(const Extended& e, double a, double b) {
  double area = 0.0, prev_p = a, prev_v = value_at(e, a);
  for (std::size_t k = 0; k < e.p.size(); ++k) {
    if (e.p[k] <= a) continue;
    if (e.p[k] >= b) break;
    area += 0.5 * (prev_v + e.v[k]) * (e.p[k] - prev_p);
    prev_p = e.p[k];
    prev_v = e.v[k];
  }
  area += 0.5 * (prev_v + value_at(e, b)) * (b - prev_p);
  return area;
}

}  // namespace

double interpolate_quantile(const arma::vec& q, const arma::vec& Q, double p) {
  fail_if(!(p >= 0.0 && p <= 1.0), "interpolate_quantile", "level ", p, " is outside [0, 1]");
  return value_at(extend(q, Q, "interpolate_quantile"), p);
}

double quantile_mean(const arma::vec& q, const arma::vec& Q) {
  const Extended e = extend(q, Q, "quantile_mean");
  double mean = 0.0;
  for (std::size_t k = 0; k + 1 < e.p.size(); ++k)
    mean += 0.5 * (e.v[k + 1] + e.v[k]) * (e.p[k + 1] - e.p[k]);
  return mean;
}

double gini(const arma::vec& q, const arma::vec& Q) {
  const Extended e = extend(q, Q, "gini");
  double mean = 0.0;
  for (std::size_t k = 0; k + 1 < e.p.size(); ++k)
    mean += 0.5 * (e.v[k + 1] + e.v[k]) * (e.p[k + 1] - e.p[k]);
  fail_if<data_error>(!(mean > 0.0), "gini", "the Gini index needs a positive mean, but the "
                      "quantile function has mean ", mean);
  // Lorenz curve at the grid points, then the area under it.
  std::vector<double> lorenz(e.p.size(), 0.0);
  double cumulative = 0.0;
  for (std::size_t k = 0; k + 1 < e.p.size(); ++k) {
    cumulative += 0.5 * (e.v[k + 1] + e.v[k]) * (e.p[k + 1] - e.p[k]);
    lorenz[k + 1] = cumulative / mean;
  }
  double area = 0.0;
  for (std::size_t k = 0; k + 1 < e.p.size(); ++k)
    area += 0.5 * (lorenz[k] + lorenz[k + 1]) * (e.p[k + 1] - e.p[k]);
  return std::max(0.0, std::min(1.0, 1.0 - 2.0 * area));
}

double quantile_spread(const arma::vec& q, const arma::vec& Q, double lower, double upper) {
  fail_if(!(lower >= 0.0 && upper <= 1.0 && lower < upper), "quantile_spread", "levels (",
          lower, ", ", upper, ") must satisfy 0 <= lower < upper <= 1");
  const Extended e = extend(q, Q, "quantile_spread");
  return value_at(e, upper) - value_at(e, lower);
}

double lower_tail_mean(const arma::vec& q, const arma::vec& Q, double tau) {
  fail_if(!(tau > 0.0 && tau <= 1.0), "lower_tail_mean", "tau = ", tau, " must lie in (0, 1]");
  return integrate(extend(q, Q, "lower_tail_mean"), 0.0, tau) / tau;
}

double upper_tail_mean(const arma::vec& q, const arma::vec& Q, double tau) {
  fail_if(!(tau >= 0.0 && tau < 1.0), "upper_tail_mean", "tau = ", tau, " must lie in [0, 1)");
  return integrate(extend(q, Q, "upper_tail_mean"), tau, 1.0) / (1.0 - tau);
}

}  // namespace rddist

namespace rddist {

double distribution_at(const arma::vec& q, const arma::vec& Q, double y) {
  const Extended e = extend(q, Q, "distribution_at");
  // The measure of {u in [0, 1] : Q(u) <= y}, Q linear on each segment.
  double measure = 0.0;
  for (std::size_t k = 0; k + 1 < e.p.size(); ++k) {
    const double a = e.v[k], b = e.v[k + 1], length = e.p[k + 1] - e.p[k];
    if (a <= y && b <= y) measure += length;
    else if (a <= y) measure += length * (y - a) / (b - a);
    else if (b <= y) measure += length * (a - y) / (a - b);
  }
  return std::min(1.0, measure);
}

}  // namespace rddist
