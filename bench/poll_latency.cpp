// poll_latency.cpp — how late an interrupt (Esc in R, Ctrl-C on the command line) is
// answered in each stage of a whole R3D analysis, and how often progress is reported.
//
// Runs run_analysis() on simulated units (n units × 99 levels, quantiles of a normal
// shifted by the running variable) for both estimators, with hooks that record the longest
// wall-clock interval between two interrupt polls and between two progress reports, per
// stage (the stage is the last one reported). Usage: rddist_bench_poll [units, default
// 100000] [bootstrap draws, default 2000].
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "rddist/r3d/analysis.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

rddist::RdData simulated_units(arma::uword n) {
  arma::arma_rng::set_seed(20261202);
  rddist::RdData d;
  d.q_grid = arma::regspace(1, 99) / 100.0;
  d.x = arma::randu<arma::vec>(n) * 2.0 - 1.0;
  const arma::vec z = arma::normcdf(d.q_grid);  // increasing in q: a valid quantile shape
  d.quantiles = arma::repmat(z.t(), n, 1);
  d.quantiles.each_col() += d.x + 0.5 * (d.x >= 0.0) + 0.3 * arma::randn<arma::vec>(n);
  return d;
}

struct Gaps {
  std::map<std::string, double> poll, report;
};

void run(rddist::Method method, const rddist::RdData& data, arma::uword draws) {
  rddist::AnalysisRequest r;
  r.data = data;
  r.estimate.method = method;
  r.inference.draws = draws;
  r.inference.seed = 1;
  Gaps gaps;
  std::string stage = "start";
  Clock::time_point last_poll = Clock::now(), last_report = last_poll;
  rddist::Hooks hooks;
  hooks.check_interrupt = [&] {
    double& g = gaps.poll[stage];
    g = std::max(g, seconds_since(last_poll));
    last_poll = Clock::now();
  };
  hooks.progress = [&](const std::string& s, double) {
    double& g = gaps.report[s];
    g = std::max(g, seconds_since(last_report));
    last_report = Clock::now();
    stage = s;
  };
  const Clock::time_point t0 = Clock::now();
  (void)rddist::run_analysis(r, hooks);
  const double total = seconds_since(t0);
  std::printf("%s: %.2f s in all; the last stage ran %.2f s without a poll\n",
              rddist::to_string(method).c_str(), total, seconds_since(last_poll));
  for (const auto& [s, g] : gaps.poll)
    std::printf("  longest interval between polls after '%s': %.3f s\n", s.c_str(), g);
  for (const auto& [s, g] : gaps.report)
    std::printf("  longest interval before a report of '%s': %.3f s\n", s.c_str(), g);
}

}  // namespace

int main(int argc, char** argv) {
  const arma::uword n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const arma::uword draws = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2000;
  const rddist::RdData data = simulated_units(n);
  std::printf("rddist poll latency: %llu units x 99 levels, B = %llu\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(draws));
  run(rddist::Method::simple, data, draws);
  run(rddist::Method::frechet, data, draws);
  return 0;
}
