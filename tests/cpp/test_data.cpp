// test_data.cpp — see test_data.h.
#include "test_data.h"

#include "golden.h"
#include "rddist/r3d/quantiles.h"
#include "rddist/r3d/simulate.h"

namespace test_data {

rddist::RdData wide(const std::string& file, bool fuzzy, arma::vec q) {
  const arma::mat m = golden::read(file).matrix();
  rddist::RdData d;
  d.x = m.col(0);
  if (fuzzy) d.treatment = m.col(1);
  d.quantiles = m.cols(fuzzy ? 2 : 1, m.n_cols - 1);
  const arma::uword k = d.quantiles.n_cols;
  d.q_grid = q.is_empty() ? arma::vec(arma::regspace(1, k) / static_cast<double>(k + 1)) : q;
  return d;
}

rddist::RdData long_format(const std::string& file, const arma::vec& q) {
  const golden::LongData l = golden::read_long(file);
  std::vector<rddist::UnitSample> units;
  for (const auto& v : l.draws) units.push_back({v.data(), nullptr, v.size()});
  rddist::RdData d;
  d.x = l.x;
  d.treatment = l.t;
  d.q_grid = q;
  d.quantiles = rddist::quantile_matrix(units, q);
  return d;
}

rddist::RdData simulated(int dgp, arma::uword units, arma::uword draws, bool fuzzy,
                         std::uint64_t seed, double delta) {
  rddist::SimulationOptions so;
  so.dgp = dgp;
  so.units = units;
  so.draws = draws;
  so.delta = delta;
  so.fuzzy = fuzzy;
  so.seed = seed;
  const rddist::SimulatedData s = rddist::simulate_r3d(so);
  std::vector<rddist::UnitSample> samples;
  for (arma::uword i = 0; i < units; ++i) samples.push_back({s.draws.colptr(i), nullptr, draws});
  rddist::RdData d;
  d.x = s.x;
  if (fuzzy) d.treatment = s.treatment;
  d.q_grid = arma::linspace(0.1, 0.9, 9);
  d.quantiles = rddist::quantile_matrix(samples, d.q_grid);
  return d;
}

}  // namespace test_data
