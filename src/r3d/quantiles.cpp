// quantiles.cpp — empirical and weighted quantiles; the units × levels matrix (paper §1).
//
// Type 7 and type 1 mirror R's stats::quantile() step by step (same floor/ceiling of
// the same products, same interpolation formula (1 - h) a + h b), which is what makes
// golden-file parity exact rather than approximate. See quantiles.h for the definitions.
#include "rddist/r3d/quantiles.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>

#include "rddist/error.h"

namespace rddist {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

double type7(const double* x, std::size_t n, double q) {
  // R: index <- 1 + (n - 1) * q; lo <- floor(index); hi <- ceiling(index)
  const double index = 1.0 + static_cast<double>(n - 1) * q;
  const double lo = std::floor(index);
  const double hi = std::ceil(index);
  const double a = x[static_cast<std::size_t>(lo) - 1];
  const double b = x[static_cast<std::size_t>(hi) - 1];
  if (!(index > lo) || b == a) return a;
  const double h = index - lo;
  return (1.0 - h) * a + h * b;
}

double type1(const double* x, std::size_t n, double q) {
  // R: nppm <- n * q; j <- floor(nppm + 4 eps); take x_(j+1) when nppm > j, else x_(j),
  // with x_(0) read as x_(1).
  const double nppm = static_cast<double>(n) * q;
  const double j = std::floor(nppm + 4.0 * kEps);
  std::size_t k = static_cast<std::size_t>(j) + (nppm > j ? 1 : 0);
  k = std::min(std::max<std::size_t>(k, 1), n);
  return x[k - 1];
}

bool all_equal(const double* w, std::size_t n) {
  for (std::size_t k = 1; k < n; ++k)
    if (w[k] != w[0]) return false;
  return true;
}

// Weighted quantiles of values sorted ascending with their (positive) weights.
void sorted_weighted_quantiles(const std::vector<double>& z, const std::vector<double>& w,
                               const double* q, std::size_t m, QuantileType type,
                               double* out, std::size_t out_stride) {
  const std::size_t n = z.size();
  std::vector<double> cum(n);
  std::partial_sum(w.begin(), w.end(), cum.begin());
  const double total = cum.back();
  if (type == QuantileType::type1) {
    for (std::size_t j = 0; j < m; ++j) {
      const double target = q[j] * total - 4.0 * kEps * total;
      const auto it = std::lower_bound(cum.begin(), cum.end(), target);
      const std::size_t k = std::min<std::size_t>(it - cum.begin(), n - 1);
      out[j * out_stride] = z[k];
    }
    return;
  }
  if (n == 1) {
    for (std::size_t j = 0; j < m; ++j) out[j * out_stride] = z[0];
    return;
  }
  // p_k = (S_k - w_k/2 - w_1/2) / (W - w_1/2 - w_n/2), increasing from 0 to 1.
  std::vector<double> p(n);
  const double shift = 0.5 * w.front();
  const double span = total - 0.5 * w.front() - 0.5 * w.back();
  for (std::size_t k = 0; k < n; ++k) p[k] = (cum[k] - 0.5 * w[k] - shift) / span;
  p.front() = 0.0;
  p.back() = 1.0;
  for (std::size_t j = 0; j < m; ++j) {
    const auto it = std::upper_bound(p.begin(), p.end(), q[j]);
    if (it == p.end()) {
      out[j * out_stride] = z.back();
      continue;
    }
    const std::size_t hi = it - p.begin();  // p[hi - 1] <= q < p[hi]
    const std::size_t lo = hi - 1;
    const double h = (q[j] - p[lo]) / (p[hi] - p[lo]);
    out[j * out_stride] = (z[lo] == z[hi]) ? z[lo] : (1.0 - h) * z[lo] + h * z[hi];
  }
}

void check_levels(const arma::vec& q, const char* where) {
  for (arma::uword j = 0; j < q.n_elem; ++j)
    fail_if(!(q[j] >= 0.0 && q[j] <= 1.0), where, "quantile level ", j + 1, " is ", q[j],
            "; levels must lie in [0, 1]");
}

// Checks one unit's sample; returns an empty string when it is usable.
std::string unit_problem(const UnitSample& s) {
  if (s.size == 0 || s.values == nullptr) return "has no draws";
  for (std::size_t k = 0; k < s.size; ++k) {
    if (std::isnan(s.values[k]))
      return detail::concat("has a missing draw (position ", k + 1, "); fix it, or drop the "
                            "missing draws with {drop_missing}");
    if (!std::isfinite(s.values[k]))
      return detail::concat("has a non-finite draw ", s.values[k], " (position ", k + 1,
                            "); remove or fix such draws");
  }
  if (s.weights == nullptr) return "";
  double total = 0.0;
  for (std::size_t k = 0; k < s.size; ++k) {
    const double w = s.weights[k];
    if (std::isnan(w))
      return detail::concat("has a missing draw weight (position ", k + 1, "); fix it, or "
                            "drop the draws with a missing weight with {drop_missing}");
    if (!std::isfinite(w) || w < 0.0)
      return detail::concat("has an invalid draw weight ", w, " (position ", k + 1,
                            "); weights must be finite and non-negative");
    total += w;
  }
  if (!(total > 0.0)) return "has draw weights that are all zero";
  return "";
}

// Quantiles of one unit, written with stride `stride` into out; scratch is reused.
void unit_quantiles(const UnitSample& s, const arma::vec& q, QuantileType type,
                    std::vector<double>& z, std::vector<double>& w, double* out,
                    std::size_t stride) {
  const bool weighted = s.weights != nullptr && !all_equal(s.weights, s.size);
  if (!weighted) {
    z.assign(s.values, s.values + s.size);
    std::sort(z.begin(), z.end());
    for (arma::uword j = 0; j < q.n_elem; ++j)
      out[j * stride] = sorted_quantile(z.data(), z.size(), q[j], type);
    return;
  }
  std::vector<std::size_t> order;
  order.reserve(s.size);
  for (std::size_t k = 0; k < s.size; ++k)
    if (s.weights[k] > 0.0) order.push_back(k);
  // Ties in value are ordered by weight, so that the result never depends on the order
  // in which a unit's draws arrive (the positions p_k depend on the weights' order).
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (s.values[a] != s.values[b]) return s.values[a] < s.values[b];
    return s.weights[a] < s.weights[b];
  });
  z.resize(order.size());
  w.resize(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    z[k] = s.values[order[k]];
    w[k] = s.weights[order[k]];
  }
  sorted_weighted_quantiles(z, w, q.memptr(), q.n_elem, type, out, stride);
}

}  // namespace

double sorted_quantile(const double* sorted, std::size_t n, double q, QuantileType type) {
  fail_if(n == 0, "sorted_quantile", "the sample is empty");
  fail_if(!(q >= 0.0 && q <= 1.0), "sorted_quantile", "level ", q, " is outside [0, 1]");
  return type == QuantileType::type7 ? type7(sorted, n, q) : type1(sorted, n, q);
}

namespace {

// The quantiles of one checked sample; `where` names the public function in messages.
arma::vec one_sample(const UnitSample& s, const arma::vec& q, QuantileType type, const char* where) {
  check_levels(q, where);
  const std::string problem = unit_problem(s);
  fail_if(!problem.empty(), where, "the sample ", problem);
  arma::vec out(q.n_elem);
  std::vector<double> z, w;
  unit_quantiles(s, q, type, z, w, out.memptr(), 1);
  return out;
}

}  // namespace

arma::vec empirical_quantiles(const arma::vec& sample, const arma::vec& q, QuantileType type) {
  return one_sample(UnitSample{sample.memptr(), nullptr, sample.n_elem}, q, type,
                    "empirical_quantiles");
}

arma::vec weighted_quantiles(const arma::vec& sample, const arma::vec& weights,
                             const arma::vec& q, QuantileType type) {
  fail_if(weights.n_elem != sample.n_elem, "weighted_quantiles", "got ", sample.n_elem,
          " values but ", weights.n_elem, " weights; give one weight per value");
  return one_sample(UnitSample{sample.memptr(), weights.memptr(), sample.n_elem}, q, type,
                    "weighted_quantiles");
}

arma::mat quantile_matrix(const std::vector<UnitSample>& units, const arma::vec& q,
                          QuantileType type, unsigned threads, const Hooks& hooks) {
  check_levels(q, "quantile_matrix");
  for (std::size_t i = 0; i < units.size(); ++i) {
    const std::string problem = unit_problem(units[i]);
    fail_if<data_error>(!problem.empty(), "quantile_matrix", "{unit=", i + 1,
                        "} ", problem);
  }
  const std::size_t n = units.size();
  arma::mat out(n, q.n_elem);
  // Column-major n × M: unit i, level j lives at i + j n.
  auto work = [&](std::size_t begin, std::size_t end) {
    std::vector<double> z, w;
    for (std::size_t i = begin; i < end; ++i)
      unit_quantiles(units[i], q, type, z, w, out.memptr() + i, n);
  };
  const std::size_t chunk = 4096;
  const unsigned n_threads = std::max(1u, threads);
  for (std::size_t start = 0; start < n; start += chunk * n_threads) {
    hooks.poll();
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n_threads; ++t) {
      const std::size_t b = std::min(n, start + t * chunk);
      const std::size_t e = std::min(n, b + chunk);
      if (b < e) pool.emplace_back(work, b, e);
    }
    work(start, std::min(n, start + chunk));
    for (auto& th : pool) th.join();
    hooks.report("quantiles", static_cast<double>(std::min(n, start + chunk * n_threads)) /
                                  static_cast<double>(std::max<std::size_t>(n, 1)));
  }
  return out;
}

}  // namespace rddist
