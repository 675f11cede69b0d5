// Speed of the multiplier bootstrap (issue 4): n = 100,000 units × 50 draws (DGP 1),
// 99 quantiles, frechet with h = 0.5, B = 2000. Times both samplers and, side by side
// in the same process, a bare BLAS product of the literal multiplier shape
// (B × n_window)·(n_window × M); reports medians of 5 runs and the ratios.
// Build: cmake -S . -B build -DRDDIST_BUILD_BENCH=ON && cmake --build build --target bench_bootstrap
// Run:   build/bench/bench_bootstrap [units] [draws B]
#include <rddist/rddist.h>
#include <rddist/r3d/bootstrap.h>
#include <rddist/r3d/simulate.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

namespace {

double median_seconds(const std::function<void()>& f, int reps = 5) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const arma::uword units = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const arma::uword draws = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2000;
  rddist::SimulationOptions so;
  so.units = units;
  so.draws = 50;
  so.delta = 1.14;
  const rddist::SimulatedData sim = rddist::simulate_r3d(so);
  std::vector<rddist::UnitSample> samples;
  for (arma::uword i = 0; i < units; ++i) samples.push_back({sim.draws.colptr(i), nullptr, so.draws});
  rddist::RdData data;
  data.x = sim.x;
  data.q_grid = arma::linspace(0.01, 0.99, 99);
  data.quantiles = rddist::quantile_matrix(samples, data.q_grid);
  const rddist::Estimate est = rddist::estimate_r3d(data, rddist::Bandwidths{arma::vec{0.5}}, {});
  const arma::uword window = est.plus.n_units + est.minus.n_units;

  rddist::BootstrapOptions o;
  o.draws = draws;
  o.threads = 2;
  const double t_gauss = median_seconds([&] { rddist::bootstrap_r3d(data, est, o); });
  o.sampler = rddist::Sampler::multipliers;
  const double t_mult = median_seconds([&] { rddist::bootstrap_r3d(data, est, o); });
  const arma::mat xi(draws, window, arma::fill::randn), a(window, 99, arma::fill::randn);
  arma::mat c;
  const double t_gemm = median_seconds([&] { c = xi * a; });
  std::printf("units %llu, window units %llu, levels 99, draws %llu\n",
              static_cast<unsigned long long>(units), static_cast<unsigned long long>(window),
              static_cast<unsigned long long>(draws));
  std::printf("bootstrap, gaussian sampler (default): %.3f s\n", t_gauss);
  std::printf("bootstrap, literal multipliers:        %.3f s\n", t_mult);
  std::printf("bare BLAS product (%llu x %llu)(%llu x 99): %.3f s\n",
              static_cast<unsigned long long>(draws), static_cast<unsigned long long>(window),
              static_cast<unsigned long long>(window), t_gemm);
  std::printf("ratio to the bare product: gaussian %.2f, multipliers %.2f\n", t_gauss / t_gemm,
              t_mult / t_gemm);
  return 0;
}
