// simulate_dgp.h — the simulation designs of the paper (Van Dijcke 2025, §4.1).
//
// X_i ~ U(-1, 1), cutoff 0, D_i = 1{X_i >= 0} (sharp) or, with `fuzzy`, a treatment
// T_i ~ Bernoulli(0.1 + 0.8·1{X_i >= 0}) and D_i = T_i (only treated units shift).
//   DGP1: μ_i ~ N(5 + 5X_i + Δ·D_i, 1), σ_i = |N(1 + X_i, 1)|, draws N(μ_i, σ_i²);
//         τ(q) = Δ for every q.
//   DGP2: μ_i = U(-5, 5) + 2X_i, λ_i ~ U(0.5, 1.5),
//         draws N(μ_i + Δ·D_i, 1) + 2·Exp(rate λ_i + Δ_λ·D_i); τ(q) varies with q.
// Every unit has the same number of draws. The core draws the data (simulate.h): unit i
// uses random stream i of the seed, so the same seed gives the same sample in the CLI, in R
// (r3d_simulate) and in C++ (simulate_r3d). Δ_λ defaults to 0.5 as in the core; it only
// affects DGP2.
#ifndef RDDIST_CLI_SIMULATE_DGP_H
#define RDDIST_CLI_SIMULATE_DGP_H

#include <cstddef>
#include <cstdint>
#include <functional>

namespace rddist::cli {

struct DgpSpec {
  int dgp = 1;
  std::uint64_t units = 500;
  std::uint64_t draws = 50;
  double delta = 0.0;
  double delta_lambda = 0.5;
  std::uint64_t seed = 1;
  bool fuzzy = false;
};

// The core's checks of the design (argument_error naming the option otherwise).
void check_dgp(const DgpSpec& spec);

// Calls sink(unit index, x, treatment, draws, number of draws) for each unit in turn.
using DgpSink = std::function<void(std::uint64_t, double, int, const double*, std::size_t)>;
void simulate_dgp(const DgpSpec& spec, const DgpSink& sink);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_SIMULATE_DGP_H
