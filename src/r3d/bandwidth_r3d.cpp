// bandwidth_r3d.cpp — bandwidth selection exactly as R3D 0.1.0 computes it
// (compatibility mode; doc/r3d-0.1.0-compat.md, C2–C6).
//
// Differences from the paper-mode selector, all deliberate here:
//   - kernel constants are Riemann sums (kernel_constants_riemann);
//   - the pilot is an OLS polynomial of degree s+1 in the raw centred x on each side
//     (skipped, values left at 0, when a side has <= s+1 units), its residual variance the
//     sample variance with divisor n-1 (1 when not finite or below machine epsilon);
//   - the first stage is a triangular-kernel local fit of order s (not s+1) at the pilot
//     bandwidth; its bias term is the last coefficient / (s+1)!, its variance term
//     Σ s_i e_i² / Σ s_i over units with positive intercept weight s_i;
//   - the kernel constants do not enter the final step; the integrals use the constant
//     spacing (q_M − q_1)/(M − 1);
//   - Silverman's rule 1.06·sd(x)·n^{−1/(2s+1)} replaces any bandwidth whose bias term is
//     at most 1e-14 in absolute value or which is not a positive number.
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "bandwidth_detail.h"
#include "rddist/error.h"
#include "rddist/r3d/kernels.h"
#include "rddist/r3d/local_poly.h"

namespace rddist {
namespace detail {
namespace {

constexpr double kTiny = 1e-14;

struct Pilot {
  arma::vec deriv;     // m^{(s+1)} per column
  arma::vec variance;  // residual sample variance per column
};

// Units are canonically sorted, so each side and each window is a block of consecutive
// rows, read in place.

Pilot global_pilot(const arma::vec& xc, const arma::mat& Y, bool above, int s) {
  const arma::uvec units = units_on_side(xc, above ? Side::above : Side::below);
  Pilot p{arma::vec(Y.n_cols, arma::fill::zeros), arma::vec(Y.n_cols, arma::fill::zeros)};
  if (units.n_elem <= static_cast<arma::uword>(s) + 1) return p;
  const arma::uword first = units.front(), length = units.n_elem;
  // Least squares by QR of the design (as lm() does), shared by all columns.
  const arma::mat Z = polynomial_basis(xc.subvec(first, first + length - 1), s + 1);
  arma::mat Qz, Rz;
  if (!arma::qr_econ(Qz, Rz, Z) || arma::any(arma::abs(Rz.diag()) == 0.0)) {
    p.variance.ones();
    return p;
  }
  const double eps = std::numeric_limits<double>::epsilon();
  arma::vec resid(length);
  for (arma::uword j = 0; j < Y.n_cols; ++j) {
    const double* y = Y.colptr(j) + first;
    const arma::vec beta = arma::solve(arma::trimatu(Rz), skinny_t_times(Qz, y));
    skinny_residual(Z, beta, y, resid);
    p.deriv[j] = beta[s + 1] * factorial(s + 1);
    const double v = arma::var(resid);
    p.variance[j] = (std::isfinite(v) && v >= eps) ? v : 1.0;
  }
  return p;
}

struct Stage {
  arma::vec bias, variance;
};

// Triangular local fit of order s at bandwidth h (one per column, or shared).
Stage first_stage(const arma::vec& xc, const arma::mat& Y, const arma::vec& h, bool above, int s) {
  Stage st{arma::vec(Y.n_cols), arma::vec(Y.n_cols)};
  const Side side = above ? Side::above : Side::below;
  std::map<double, std::vector<arma::uword>> groups;
  for (arma::uword j = 0; j < Y.n_cols; ++j) groups[h.n_elem == 1 ? h[0] : h[j]].push_back(j);
  for (const auto& [bw, cols] : groups) {
    const LocalPolyFit fit = local_poly_window(xc, side, bw, s, Kernel::triangular, arma::vec(),
                                               "bandwidth selection");
    const arma::uword first = fit.units.front();
    const arma::mat R = fit.design();
    const arma::uvec pos = arma::find(fit.intercept_w > 0.0);
    const arma::vec w = fit.intercept_w.elem(pos);
    const double wsum = arma::accu(w);
    arma::vec resid;
    for (arma::uword j : cols) {
      const double* y = Y.colptr(j) + first;
      const arma::vec beta = fit.gram_inv * skinny_t_times(fit.weighted_design, y);
      skinny_residual(R, beta, y, resid);
      st.bias[j] = beta[s] / factorial(s + 1);
      st.variance[j] = arma::dot(w, arma::square(resid.elem(pos))) / wsum;
    }
  }
  return st;
}

double rule_of_thumb(const arma::vec& xc, int s) {
  const double n = static_cast<double>(xc.n_elem);
  return 1.06 * arma::stddev(xc) * std::pow(n, -1.0 / (2.0 * s + 1.0));
}

// R3D's bandwidth from a bias term (or integrated squared bias) and a variance term.
double bandwidth_or_rule(double variance, double bias, bool squared, int s, double n,
                         double fallback) {
  const bool flat = squared ? !(bias > kTiny) : !(std::fabs(bias) > kTiny);
  if (flat) return fallback;
  const double h = mse_optimal(variance, squared ? bias : bias * bias, s, n);
  return (std::isfinite(h) && h > 0.0) ? h : fallback;
}

}  // namespace

BandwidthSelection select_bandwidths_r3d(const RdData& d, const BandwidthOptions& o) {
  const arma::vec xc = d.x - o.estimate.cutoff;
  const double n = static_cast<double>(xc.n_elem);
  const int s = o.s;
  const arma::uword m = d.q_grid.n_elem;
  const bool integrated = o.estimate.method == Method::frechet;
  const double dq = m > 1 ? (d.q_grid[m - 1] - d.q_grid[0]) / static_cast<double>(m - 1) : 1.0;
  const double fallback = rule_of_thumb(xc, s);

  BandwidthSelection out;
  out.f_x = silverman_density(xc, o.estimate.kernel, &out.silverman);
  const KernelConstants kp = kernel_constants_riemann(o.estimate.kernel, Side::above, s);
  const KernelConstants km = kernel_constants_riemann(o.estimate.kernel, Side::below, s);
  const double cp = kp.bias_constant(), cm = km.bias_constant();
  const double vp = kp.variance_constant(), vm = km.variance_constant();
  const double fact = factorial(s + 1);

  // Pilot bandwidth(s) from the global polynomials.
  auto pilot_for = [&](const arma::mat& Y, bool integrate) {
    const Pilot plus = global_pilot(xc, Y, true, s), minus = global_pilot(xc, Y, false, s);
    const arma::vec C = cp * plus.deriv / fact - cm * minus.deriv / fact;
    const arma::vec Cv = (plus.variance * vp + minus.variance * vm) / out.f_x;
    if (integrate)
      return arma::vec{bandwidth_or_rule(arma::accu(Cv) * dq, arma::accu(arma::square(C)) * dq,
                                         true, s, n, fallback)};
    arma::vec h(C.n_elem);
    for (arma::uword j = 0; j < h.n_elem; ++j)
      h[j] = bandwidth_or_rule(Cv[j], C[j], false, s, n, fallback);
    return h;
  };

  // Final bandwidth(s) from the first stage at the pilot.
  auto final_for = [&](const Stage& plus, const Stage& minus, bool integrate) {
    const arma::vec diff = plus.bias - minus.bias;
    const arma::vec var = (plus.variance + minus.variance) / out.f_x;
    if (integrate)
      return arma::vec{bandwidth_or_rule(arma::accu(var) * dq, arma::accu(arma::square(diff)) * dq,
                                         true, s, n, fallback)};
    arma::vec h(diff.n_elem);
    for (arma::uword j = 0; j < h.n_elem; ++j)
      h[j] = bandwidth_or_rule(var[j], diff[j], false, s, n, fallback);
    return h;
  };

  if (o.outcome) {
    out.pilot_num = pilot_for(d.quantiles, integrated);
    const Stage plus = first_stage(xc, d.quantiles, out.pilot_num, true, s);
    const Stage minus = first_stage(xc, d.quantiles, out.pilot_num, false, s);
    out.h_num = final_for(plus, minus, integrated);
    out.B_plus = plus.bias;
    out.B_minus = minus.bias;
    out.V_plus = plus.variance;
    out.V_minus = minus.variance;
  }

  if (o.estimate.fuzzy) {
    const arma::mat T(d.treatment);
    out.pilot_den = pilot_for(T, false)[0];
    const arma::vec hp{out.pilot_den};
    const Stage tp = first_stage(xc, T, hp, true, s), tm = first_stage(xc, T, hp, false, s);
    out.h_den = final_for(tp, tm, false)[0];
    out.B_plus_den = tp.bias[0];
    out.B_minus_den = tm.bias[0];
    out.V_plus_den = tp.variance[0];
    out.V_minus_den = tm.variance[0];
  }
  if (o.coverage) {
    const double shrink = coverage_factor(s, n);
    out.h_num *= shrink;
    out.h_den *= shrink;
  }
  return out;
}

}  // namespace detail
}  // namespace rddist
