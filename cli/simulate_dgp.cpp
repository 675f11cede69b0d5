// simulate_dgp.cpp — the paper's designs for `rddist simulate`, drawn by the core
// (simulate.h) unit by unit so that large designs stream; the same seed gives the same
// data as r3d_simulate() in R and simulate_r3d() in C++.
#include "simulate_dgp.h"

#include <vector>

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

void check_dgp(const DgpSpec& s) { check_simulation(core_options(s)); }

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
