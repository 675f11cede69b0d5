// kernels.h — kernel functions and their one-sided moment matrices (paper §2, App. ).
//
// Kernels are supported on [-1, 1] (|u| = 1 included) and integrate to one:
//   triangular K(u) = 1 - |u|,  Epanechnikov K(u) = 0.75 (1 - u²),  uniform K(u) = 0.5.
// With r_s(u) = (1, u, ..., u^s)' and the half-line I = [0, 1] (above) or [-1, 0) (below):
//   Γ = ∫_I K(u) r_s(u) r_s(u)' du,   Λ = ∫_I u^{s+1} K(u) r_s(u) du,
//   Ψ = ∫_I K(u)² r_s(u) r_s(u)' du.
// All three kernels are polynomials on each half-line, so every entry is a sum of terms
// ∫_0^1 u^k (1 - u)^a du or ∫_0^1 u^k (1 - u²)^a du with closed forms; below the cutoff
// the substitution u -> -u multiplies the k-th moment by (-1)^k.
#ifndef RDDIST_R3D_KERNELS_H
#define RDDIST_R3D_KERNELS_H

#include "rddist/arma.h"
#include "rddist/r3d/options.h"

namespace rddist {

// K(u); zero outside [-1, 1].
double kernel_weight(Kernel kernel, double u);

// ∫_I u^k K(u)^power du over the half-line of `side`, exactly (power 1 or 2).
double kernel_moment(Kernel kernel, Side side, int k, int power = 1);

// The constants Γ, Λ, Ψ for polynomial order s on one side.
struct KernelConstants {
  arma::mat gamma;   // (s+1) × (s+1)
  arma::vec lambda;  // s+1
  arma::mat psi;     // (s+1) × (s+1)

  // e_0'Γ⁻¹Λ: the leading bias constant of the intercept.
  double bias_constant() const;
  // e_0'Γ⁻¹ΨΓ⁻¹e_0: the variance constant of the intercept.
  double variance_constant() const;
};

KernelConstants kernel_constants(Kernel kernel, Side side, int s);

// The same constants as R3D 0.1.0 computes them (compatibility mode): Riemann sums over
// g_k = -1 + 2k/999, k = 0..999, each with weight 2/1000; "above" uses g >= 0, "below"
// g < 0.
KernelConstants kernel_constants_riemann(Kernel kernel, Side side, int s);

}  // namespace rddist

#endif  // RDDIST_R3D_KERNELS_H
