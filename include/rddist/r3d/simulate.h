// simulate.h — the paper's simulation designs (Sec. 4.1), for demos, tests, benchmarks
// and the Monte Carlo validation under validation/.
//
// X_i ~ U(−1, 1), cutoff 0, n_i draws per unit:
//   DGP 1: μ_i ~ N(5 + 5X_i + Δ·D_i, 1), σ_i ~ |N(1 + X_i, 1)|, draws N(μ_i, σ_i²);
//          τ(q) = Δ for every q.
//   DGP 2: μ_i = U(−5, 5) + 2X_i, λ_i ~ U(0.5, 1.5) + Δ_λ·D_i,
//          draws N(μ_i + Δ·D_i, 1) + 2·E with E ~ Exponential(rate λ_i);
//          τ(q) = Δ + E_λ[G⁻¹_{λ+Δ_λ}(q)] − E_λ[G⁻¹_λ(q)], G_λ the distribution function of
//          N(0, 1) + 2·Exponential(rate λ) — heterogeneous across q when Δ_λ ≠ 0.
// D_i = 1{X_i ≥ 0} in the sharp design. In the fuzzy design T_i ~ Bernoulli(0.1 + 0.8·1{X_i ≥ 0})
// and D_i = T_i, so the same τ is the effect for compliers.
// The paper does not give Δ_λ; the default 0.5 is this library's choice.
// Unit i draws everything from random stream i of the seed (rng.h), so a data set is a
// pure function of (options, seed).
#ifndef RDDIST_R3D_SIMULATE_H
#define RDDIST_R3D_SIMULATE_H

#include <cstdint>

#include "rddist/arma.h"

namespace rddist {

struct SimulationOptions {
  int dgp = 1;                  // 1 or 2
  arma::uword units = 500;      // n
  arma::uword draws = 500;      // n_i, the same for every unit
  double delta = 0.0;           // Δ
  double delta_lambda = 0.5;    // Δ_λ (DGP 2)
  bool fuzzy = false;
  std::uint64_t seed = 1;
};

struct SimulatedData {
  arma::vec x;          // running variable, one per unit
  arma::vec treatment;  // 0/1 (the side indicator in the sharp design)
  arma::mat draws;      // draws × units: column i holds unit i's sample
};

SimulatedData simulate_r3d(const SimulationOptions& options);

// Unit i of the design alone (what simulate_r3d stores in column i): its running
// variable, its treatment and options.draws draws written to `draws`. Lets front ends
// stream large designs without holding them.
void simulate_unit(const SimulationOptions& options, arma::uword i, double& x, double& treatment,
                   double* draws);

// Throws invalid_argument when the options cannot be simulated.
void check_simulation(const SimulationOptions& options);

// The true effect τ(q) of the design at the levels q (in (0, 1)).
arma::vec true_effect(const SimulationOptions& options, const arma::vec& q);

}  // namespace rddist

#endif  // RDDIST_R3D_SIMULATE_H
