// simulate_dgp.cpp — the paper's designs for `rddist simulate`, drawn by the core
// (simulate.h) unit by unit so that large designs stream; the same seed gives the same
// data as r3d_simulate() in R and simulate_r3d() in C++.
#include "simulate_dgp.h"

#include <cmath>
#include <vector>

#include "cli_errors.h"
#include "rddist/error.h"
#include "rddist/r3d/simulate.h"

namespace rddist::cli {
namespace {

SimulationOptions core_options(const DgpSpec& s) {
  SimulationOptions o;
  o.dgp = s.dgp;
  o.units = s.units;
  o.draws = s.draws;
  o.delta = s.delta;
  o.delta_lambda = s.delta_lambda;
  o.fuzzy = s.fuzzy;
  o.seed = s.seed;
  return o;
}

}  // namespace

void check_dgp(const DgpSpec& s) {
  if (s.dgp != 1 && s.dgp != 2) throw UsageError("--dgp: use 1 or 2");
  if (s.units < 2 || s.units > 4000000000ull)
    throw UsageError("--n: the number of units must be between 2 and 4e9");
  if (s.draws < 1 || s.draws > 100000000ull)
    throw UsageError("--draws: the number of draws per unit must be between 1 and 1e8");
  if (!std::isfinite(s.delta)) throw UsageError("--delta must be a finite number");
  if (!std::isfinite(s.delta_lambda)) throw UsageError("--delta-lambda must be a finite number");
  // λ_i + Δ_λ must stay a positive rate for every λ_i in [0.5, 1.5].
  if (!(s.delta_lambda > -0.5)) throw UsageError("--delta-lambda must be above -0.5");
  try {
    check_simulation(core_options(s));
  } catch (const rddist::error& e) {
    throw UsageError(e.what());
  }
}

void simulate_dgp(const DgpSpec& s, const DgpSink& sink) {
  check_dgp(s);
  const SimulationOptions o = core_options(s);
  std::vector<double> y(s.draws);
  for (std::uint64_t i = 0; i < s.units; ++i) {
    double x = 0.0, t = 0.0;
    simulate_unit(o, i, x, t, y.data());
    sink(i, x, s.fuzzy ? static_cast<int>(t) : -1, y.data(), y.size());
  }
}

}  // namespace rddist::cli
