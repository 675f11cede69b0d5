// simulate.cpp — DGP 1 and DGP 2 of the paper (Sec. 4.1) and their true effects.
//
// The DGP 2 effect needs the quantile function of N(0, 1) + Exponential(rate k) (an
// exponentially modified Gaussian, here k = λ/2 for the term 2·Exponential(λ)); its
// distribution function is F(z) = Φ(z) − exp(k²/2 − kz) Φ(z − k). Quantiles are found by
// bisection and averaged over λ ~ U(0.5, 1.5) with 48-point Gauss–Legendre quadrature.
#include "rddist/r3d/simulate.h"

#include <cmath>

#include "rddist/error.h"
#include "rddist/rng.h"

namespace rddist {
namespace {

double std_normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// F(z) of N(0, 1) + Exponential(rate k), written to avoid overflow of exp(k²/2 − kz).
double emg_cdf(double z, double k) {
  const double tail = std_normal_cdf(z - k);
  if (tail == 0.0) return std_normal_cdf(z);
  return std_normal_cdf(z) - std::exp(0.5 * k * k - k * z + std::log(tail));
}

double emg_quantile(double q, double k) {
  double lo = -10.0, hi = 10.0 + 60.0 / k;
  for (int it = 0; it < 200 && hi - lo > 1e-13 * (1.0 + std::fabs(lo)); ++it) {
    const double mid = 0.5 * (lo + hi);
    (emg_cdf(mid, k) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Nodes and weights of n-point Gauss–Legendre quadrature on [a, b] (Newton on P_n).
void gauss_legendre(int n, double a, double b, arma::vec& nodes, arma::vec& weights) {
  nodes.set_size(n);
  weights.set_size(n);
  for (int i = 0; i < n; ++i) {
    double z = std::cos(M_PI * (i + 0.75) / (n + 0.5)), dp = 0.0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1.0, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1.0);
      const double step = p1 / dp;
      z -= step;
      if (std::fabs(step) < 1e-15) break;
    }
    nodes[i] = 0.5 * (a + b) + 0.5 * (b - a) * z;
    weights[i] = (b - a) / ((1.0 - z * z) * dp * dp);
  }
}

// E_λ[G⁻¹_{λ + shift}(q)] for λ ~ U(0.5, 1.5) (density 1 on an interval of length 1);
// 2·Exponential(rate λ) is Exponential(rate λ/2).
double mean_quantile(double q, double shift) {
  arma::vec nodes, weights;
  gauss_legendre(48, 0.5, 1.5, nodes, weights);
  double total = 0.0;
  for (arma::uword i = 0; i < nodes.n_elem; ++i)
    total += weights[i] * emg_quantile(q, 0.5 * (nodes[i] + shift));
  return total;
}

}  // namespace

void check_simulation(const SimulationOptions& o) {
  require(o.dgp == 1 || o.dgp == 2, "dgp", "{dgp} must be 1 or 2, got ", o.dgp);
  require(o.units >= 2 && o.units <= 4000000000ull, "units",
          "the number of units {units} must be between 2 and 4e9");
  require(o.draws >= 1 && o.draws <= 100000000ull, "unit_draws",
          "the number of draws per unit {unit_draws} must be between 1 and 1e8");
  require(std::isfinite(o.delta), "delta", "{delta} must be a finite number");
  require(std::isfinite(o.delta_lambda), "delta_lambda", "{delta_lambda} must be a finite number");
  // DGP 2's rates λ_i + Δ_λ must stay positive for every λ_i in [0.5, 1.5]; DGP 1 has no
  // rate, so its Δ_λ is ignored.
  require(o.dgp == 1 || 0.5 + o.delta_lambda > 0.0, "delta_lambda",
          "{delta_lambda} must exceed -0.5 so that every exponential rate of DGP 2 stays positive");
}

void simulate_unit(const SimulationOptions& o, arma::uword i, double& x, double& treatment,
                   double* y) {
  RandomStream rs(o.seed, i);
  x = 2.0 * rs.uniform() - 1.0;
  const bool above = x >= 0.0;
  const double d = o.fuzzy ? (rs.uniform() < (above ? 0.9 : 0.1) ? 1.0 : 0.0) : (above ? 1.0 : 0.0);
  treatment = d;
  if (o.dgp == 1) {
    const double mu = 5.0 + 5.0 * x + o.delta * d + rs.normal();
    const double sigma = std::fabs(1.0 + x + rs.normal());
    for (arma::uword k = 0; k < o.draws; ++k) y[k] = mu + sigma * rs.normal();
  } else {
    const double mu = (10.0 * rs.uniform() - 5.0) + 2.0 * x + o.delta * d;
    const double rate = 0.5 + rs.uniform() + o.delta_lambda * d;
    for (arma::uword k = 0; k < o.draws; ++k)
      y[k] = mu + rs.normal() + 2.0 * rs.exponential() / rate;
  }
}

SimulatedData simulate_r3d(const SimulationOptions& o) {
  check_simulation(o);
  SimulatedData out{arma::vec(o.units), arma::vec(o.units), arma::mat(o.draws, o.units)};
  for (arma::uword i = 0; i < o.units; ++i)
    simulate_unit(o, i, out.x[i], out.treatment[i], out.draws.colptr(i));
  return out;
}

arma::vec true_effect(const SimulationOptions& o, const arma::vec& q) {
  check_simulation(o);
  arma::vec tau(q.n_elem, arma::fill::value(o.delta));
  if (o.dgp == 1) return tau;
  for (arma::uword j = 0; j < q.n_elem; ++j) {
    fail_if(!(q[j] > 0.0 && q[j] < 1.0), "true_effect", "levels must lie in (0, 1)");
    tau[j] += mean_quantile(q[j], o.delta_lambda) - mean_quantile(q[j], 0.0);
  }
  return tau;
}

}  // namespace rddist
