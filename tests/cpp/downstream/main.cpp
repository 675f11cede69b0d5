// Downstream use of the installed rddist library: simulate units with a known jump in
// every quantile, estimate, select the bandwidth, bootstrap, and check the answers.
// Exits non-zero on failure.
#include <rddist/rddist.h>

#include <cmath>
#include <iostream>
#include <random>

int main() {
  std::mt19937_64 gen(42);
  std::uniform_real_distribution<double> unif(-1.0, 1.0);
  std::normal_distribution<double> norm(0.0, 1.0);
  const int n = 400, draws = 60;
  std::vector<std::vector<double>> samples(n);
  arma::vec x(n);
  for (int i = 0; i < n; ++i) {
    x[i] = unif(gen);
    for (int k = 0; k < draws; ++k) samples[i].push_back(x[i] + 2.0 * (x[i] >= 0) + norm(gen));
  }
  std::vector<rddist::UnitSample> units;
  for (const auto& s : samples) units.push_back({s.data(), nullptr, s.size()});
  rddist::RdData data;
  data.x = x;
  data.q_grid = arma::linspace(0.1, 0.9, 9);
  data.quantiles = rddist::quantile_matrix(units, data.q_grid);
  const rddist::Estimate est = rddist::estimate_r3d(data, rddist::Bandwidths{arma::vec{0.6}}, {});
  std::cout << "rddist " << rddist::version() << ": mean effect " << arma::mean(est.tau) << "\n";

  // Selected bandwidth and the multiplier bootstrap: a uniform band around the estimate.
  const rddist::BandwidthSelection bw = rddist::select_bandwidths(data, {});
  const rddist::Estimate selected = rddist::estimate_r3d(data, rddist::Bandwidths{bw.h_num}, {});
  rddist::BootstrapOptions boot;
  boot.draws = 500;
  const rddist::BootstrapResult inf = rddist::bootstrap_r3d(data, selected, boot);
  std::cout << "selected h " << bw.h_num[0] << ", uniform band tau(q) +/- " << inf.crit_val << "\n";
  if (!(inf.crit_val > 0.0 && arma::all(inf.band_low < selected.tau) &&
        arma::all(selected.tau < inf.band_high)))
    return 1;
  try {
    rddist::estimate_r3d(data, rddist::Bandwidths{arma::vec{-1.0}}, {});
    return 1;
  } catch (const rddist::invalid_argument& e) {
    std::cout << "bad bandwidth refused: " << e.what() << "\n";
  }
  return std::fabs(arma::mean(est.tau) - 2.0) < 0.3 ? 0 : 1;
}
