// simulate_dgp.cpp — drawing DGP1 and DGP2 unit by unit (see simulate_dgp.h).
#include "simulate_dgp.h"

#include <cmath>
#include <vector>

#include "cli_errors.h"
#include "simulate_rng.h"

namespace rddist::cli {

void check_dgp(const DgpSpec& s) {
  if (s.dgp != 1 && s.dgp != 2) throw UsageError("--dgp: use 1 or 2");
  if (s.units < 2 || s.units > 4000000000ull)
    throw UsageError("--n: the number of units must be between 2 and 4e9");
  if (s.draws < 1 || s.draws > 100000000ull)
    throw UsageError("--draws: the number of draws per unit must be between 1 and 1e8");
  if (!std::isfinite(s.delta)) throw UsageError("--delta must be a finite number");
  if (!std::isfinite(s.delta_lambda)) throw UsageError("--delta-lambda must be a finite number");
  if (s.dgp == 1 && s.delta_lambda != 0.0)
    throw UsageError("--delta-lambda applies to --dgp 2 only");
  // λ_i + Δ_λ must stay a positive rate for every λ_i in [0.5, 1.5].
  if (!(s.delta_lambda > -0.5)) throw UsageError("--delta-lambda must be above -0.5");
}

void simulate_dgp(const DgpSpec& s, const DgpSink& sink) {
  check_dgp(s);
  SimulateRng rng(s.seed);
  std::vector<double> y(s.draws);
  for (std::uint64_t i = 0; i < s.units; ++i) {
    const double x = rng.uniform(-1.0, 1.0);
    const bool above = x >= 0.0;
    int t = above ? 1 : 0;
    if (s.fuzzy) t = rng.uniform() < (above ? 0.9 : 0.1) ? 1 : 0;
    const double d = static_cast<double>(t);
    if (s.dgp == 1) {
      const double mu = rng.normal(5.0 + 5.0 * x + s.delta * d, 1.0);
      const double sigma = std::fabs(rng.normal(1.0 + x, 1.0));
      for (double& v : y) v = rng.normal(mu, sigma);
    } else {
      const double mu = rng.uniform(-5.0, 5.0) + 2.0 * x;
      const double lambda = rng.uniform(0.5, 1.5);
      const double rate = lambda + s.delta_lambda * d;
      for (double& v : y) {
        const double z = rng.normal(mu + s.delta * d, 1.0);
        v = z + 2.0 * rng.exponential(rate);
      }
    }
    sink(i, x, s.fuzzy ? t : -1, y.data(), y.size());
  }
}

}  // namespace rddist::cli
