// bandwidth.cpp — paper-mode (I)MSE-optimal bandwidths (App.) and the entry point.
//
// Notation: c± = e_0'Γ±⁻¹Λ± and v± = e_0'Γ±⁻¹Ψ±Γ±⁻¹e_0 are exact kernel constants for order
// s; β_{s+1} is the coefficient of the highest power in a fit of order s+1. A fit on the
// scaled regressor u = x/h estimates m^{(s+1)} = β_{s+1}(s+1)!/h^{s+1}, hence
//   B = c · β_{s+1} / h^{s+1},   Var(B̂) = c² · Var(β̂_{s+1}) / h^{2(s+1)}.
// The global pilot uses h = the side's largest |x| as the scale, which keeps its normal
// equations well conditioned.
#include "rddist/r3d/bandwidth.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <thread>

#include "bandwidth_detail.h"
#include "rounding_noise.h"
#include "rddist/error.h"
#include "rddist/r3d/kernels.h"
#include "rddist/r3d/local_poly.h"
#include "rddist/r3d/unit_order.h"

namespace rddist {
namespace {

// Plug-ins of one side for every response column.
struct SidePlugIns {
  arma::vec bias;       // B(q)
  arma::vec variance;   // σ²(q) (the kernel constant and f_X are applied later)
  arma::vec bias_var;   // Var(B̂(q))
};

arma::vec trapezoid_weights(const arma::vec& q) {
  const arma::uword m = q.n_elem;
  arma::vec w(m, arma::fill::ones);
  if (m < 2) return w;
  w[0] = 0.5 * (q[1] - q[0]);
  w[m - 1] = 0.5 * (q[m - 1] - q[m - 2]);
  for (arma::uword j = 1; j + 1 < m; ++j) w[j] = 0.5 * (q[j + 1] - q[j - 1]);
  return w;
}

// Smallest bandwidth that keeps at least k distinct x strictly inside the window on
// both sides (strictly, so that kernels vanishing at |u| = 1 still weight them).
double min_bandwidth(const arma::vec& xc, arma::uword k) {
  double h = 0.0;
  for (Side side : {Side::below, Side::above}) {
    const arma::vec d = arma::unique(arma::abs(xc.elem(units_on_side(xc, side))));
    require_data(d.n_elem >= k, "only ", d.n_elem, " distinct value(s) of the running variable "
                 "lie ", to_string(side), " the cutoff, but bandwidth selection needs at least ",
                 k, "; give {bandwidth} by hand");
    h = std::max(h, d[k - 1]);
  }
  return h * (1.0 + 1e-8) + 1e-300;
}

// Distance from the cutoff to the farthest unit: wider bandwidths change nothing but the
// kernel's shape, so the selector never goes beyond it.
double max_bandwidth(const arma::vec& xc) { return arma::abs(xc).max(); }

// The selector runs on canonically sorted units, so every side and every window is a
// block of consecutive rows, read in place (no response matrix is ever copied).
// First index and length of a set of units that must be consecutive (sorted x).
std::pair<arma::uword, arma::uword> block_of(const arma::uvec& units) {
  require_data<numerical_error>(!units.is_empty() && units.back() - units.front() + 1 == units.n_elem,
                                "internal error: units are not in canonical order");
  return {units.front(), units.n_elem};
}

// Zeroes a leading coefficient (on a regressor scaled to [-1, 1]) or a residual variance
// that is rounding noise relative to the response column's spread (rounding_noise.h).
void drop_rounding_noise(double spread, double& lead, double& variance) {
  if (detail::is_rounding_noise(lead, spread)) lead = 0.0;
  if (variance <= std::pow(detail::kRoundingNoise * spread, 2)) variance = 0.0;
}

// Step 1: global polynomial of degree s+1 on one side (OLS on x scaled to [-1, 1]).
SidePlugIns global_pilot(const arma::vec& xc, const arma::mat& Y, const arma::vec& spread,
                         Side side, int s, double c_bias) {
  const arma::uvec units = units_on_side(xc, side);
  const arma::uword k = static_cast<arma::uword>(s) + 2;  // coefficients
  require_data(units.n_elem >= k + 1, "the pilot fit ", to_string(side),
               " the cutoff needs at least ", k + 1, " units, got ", units.n_elem);
  const auto [first, length] = block_of(units);
  const arma::vec x = xc.subvec(first, first + length - 1);
  const double scale = arma::abs(x).max();
  const arma::mat Z = polynomial_basis(x / scale, s + 1);
  arma::mat zz_inv;
  require_data<numerical_error>(arma::inv_sympd(zz_inv, detail::skinny_cross(Z, Z)),
                                "the pilot global polynomial ", to_string(side),
                                " the cutoff is singular; the running variable has too few "
                                "distinct values");
  const double lead_scale = std::pow(scale, s + 1);
  SidePlugIns out{arma::vec(Y.n_cols), arma::vec(Y.n_cols), arma::vec(Y.n_cols)};
  arma::vec resid(length);
  for (arma::uword j = 0; j < Y.n_cols; ++j) {
    const double* y = Y.colptr(j) + first;
    const arma::vec beta = zz_inv * detail::skinny_t_times(Z, y);
    detail::skinny_residual(Z, beta, y, resid);
    double lead = beta[k - 1];
    double variance = arma::dot(resid, resid) / static_cast<double>(length - k);
    drop_rounding_noise(spread[j], lead, variance);
    out.variance[j] = variance;
    out.bias[j] = c_bias * lead / lead_scale;
    out.bias_var[j] = c_bias * c_bias * variance * zz_inv(k - 1, k - 1) / (lead_scale * lead_scale);
  }
  return out;
}

// Step 2: local polynomial of order s+1 at bandwidth h for the columns `cols` of Y:
// curvature β_{s+1}, kernel-weighted residual variance and the HC0 variance of β̂_{s+1}.
void local_stage(const arma::vec& xc, const arma::mat& Y, const arma::vec& spread,
                 const std::vector<arma::uword>& cols, Side side, double h, int s, Kernel kernel,
                 double c_bias, SidePlugIns& out) {
  const LocalPolyFit fit = local_poly_window(xc, side, h, s + 1, kernel, arma::vec(),
                                             "bandwidth selection");
  const auto [first, length] = block_of(fit.units);
  const arma::mat R = fit.design();
  const arma::mat& KR = fit.weighted_design;
  // β̂_{s+1} = Σ ℓ_i Y_i with ℓ = KR G⁻¹e_{s+1}; HC0: Var(β̂_{s+1}) = Σ ℓ_i² e_i².
  const arma::vec lead_w = arma::square(detail::skinny_times(KR, fit.gram_inv.col(s + 1)));
  const double lead_scale = std::pow(h, s + 1);
  const double ksum = arma::accu(fit.kernel_w);
  arma::vec resid(length);
  for (arma::uword j : cols) {
    const double* y = Y.colptr(j) + first;
    const arma::vec beta = fit.gram_inv * detail::skinny_t_times(KR, y);
    detail::skinny_residual(R, beta, y, resid);
    resid = arma::square(resid);
    double lead = beta[s + 1];
    double variance = arma::dot(fit.kernel_w, resid) / ksum;
    drop_rounding_noise(spread[j], lead, variance);
    out.bias[j] = c_bias * lead / lead_scale;
    out.variance[j] = variance;
    out.bias_var[j] =
        variance > 0.0 ? c_bias * c_bias * arma::dot(lead_w, resid) / (lead_scale * lead_scale) : 0.0;
  }
}

SidePlugIns local_pilot(const arma::vec& xc, const arma::mat& Y, const arma::vec& spread,
                        const arma::vec& h, Side side, int s, Kernel kernel, double c_bias) {
  SidePlugIns out{arma::vec(Y.n_cols), arma::vec(Y.n_cols), arma::vec(Y.n_cols)};
  std::map<double, std::vector<arma::uword>> groups;
  for (arma::uword j = 0; j < Y.n_cols; ++j) groups[h.n_elem == 1 ? h[0] : h[j]].push_back(j);
  for (const auto& [bw, cols] : groups)
    local_stage(xc, Y, spread, cols, side, bw, s, kernel, c_bias, out);
  return out;
}

// The plug-ins of both sides, computed concurrently when two threads are allowed (the
// sides share nothing, so the result is the same either way). An exception on the side
// above is rethrown after both sides finished.
template <class SideFit>
std::pair<SidePlugIns, SidePlugIns> both_sides(SideFit side_fit, unsigned threads) {
  if (threads < 2) return {side_fit(Side::above), side_fit(Side::below)};
  SidePlugIns above;
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      above = side_fit(Side::above);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  SidePlugIns below;
  try {
    below = side_fit(Side::below);
  } catch (...) {
    worker.join();
    throw;
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
  return {std::move(above), std::move(below)};
}

// Everything the (I)MSE formula needs for a set of responses, both sides combined.
struct PlugIns {
  SidePlugIns plus, minus;
  arma::vec variance;   // (V₊ + V₋), with kernel constants and f_X
  arma::vec bias_sq;    // (B₊ − B₋)² + λ (Var B̂₊ + Var B̂₋)
  arma::vec regularizer;
};

PlugIns combine(SidePlugIns plus, SidePlugIns minus, const KernelConstants& kp,
                const KernelConstants& km, double f_x, double lambda) {
  PlugIns p;
  p.variance = (plus.variance * kp.variance_constant() + minus.variance * km.variance_constant()) / f_x;
  p.regularizer = lambda * (plus.bias_var + minus.bias_var);
  p.bias_sq = arma::square(plus.bias - minus.bias) + p.regularizer;
  p.plus = std::move(plus);
  p.minus = std::move(minus);
  return p;
}

// Bandwidth(s) from plug-ins: one per column (simple) or one integrated value (frechet).
arma::vec optimal(const PlugIns& p, bool integrated, const arma::vec& w, int s, double n) {
  if (!integrated) {
    arma::vec h(p.variance.n_elem);
    for (arma::uword j = 0; j < h.n_elem; ++j)
      h[j] = detail::mse_optimal(p.variance[j], p.bias_sq[j], s, n);
    return h;
  }
  return arma::vec{detail::mse_optimal(arma::dot(w, p.variance), arma::dot(w, p.bias_sq), s, n)};
}

// Keeps every bandwidth in [lo, hi] and records how often each limit applied. A NaN
// bandwidth comes from 0/0 plug-ins: no noise and no bias, so every bandwidth fits
// exactly and the widest is taken.
void clamp(arma::vec& h, double lo, double hi, const std::string& what, const std::string& why_lo,
           std::vector<std::string>& notes) {
  arma::uword raised = 0, lowered = 0, exact = 0;
  for (double& v : h) {
    if (std::isnan(v)) {
      v = hi;
      ++exact;
    } else if (v < lo) {
      v = lo;
      ++raised;
    } else if (v > hi) {
      v = hi;
      ++lowered;
    }
  }
  auto at = [&](arma::uword k) {
    return h.n_elem > 1 ? detail::concat(" at ", k, " of ", h.n_elem, " levels") : std::string();
  };
  if (raised) notes.push_back(detail::concat(what, " raised to ", lo, at(raised), " so that ", why_lo));
  if (lowered)
    notes.push_back(detail::concat(what, " lowered to ", hi, at(lowered),
                                   ", the distance from the cutoff to the farthest unit"));
  if (exact)
    notes.push_back(detail::concat(what, " set to ", hi, at(exact),
                                   ": the responses fit exactly (no noise, no bias), so the "
                                   "widest bandwidth is used"));
}

BandwidthSelection select_paper(const RdData& d, const BandwidthOptions& o) {
  const arma::vec xc = d.x - o.estimate.cutoff;
  const double n = static_cast<double>(xc.n_elem);
  const bool integrated = o.estimate.method == Method::frechet;
  const int s = o.s;
  BandwidthSelection out;
  out.f_x = silverman_density(xc, o.estimate.kernel, &out.silverman);
  require_data(out.f_x > 0.0, "no unit lies within Silverman's bandwidth ", out.silverman,
               " of the cutoff, so the density there is estimated as zero; give {bandwidth} "
               "by hand");
  const KernelConstants kp = kernel_constants(o.estimate.kernel, Side::above, s);
  const KernelConstants km = kernel_constants(o.estimate.kernel, Side::below, s);
  const double cp = kp.bias_constant(), cm = km.bias_constant();
  const arma::vec w = trapezoid_weights(d.q_grid);
  const double h_hi = max_bandwidth(xc);
  const double pilot_lo = min_bandwidth(xc, static_cast<arma::uword>(s) + 2);
  const double final_lo = min_bandwidth(xc, static_cast<arma::uword>(o.estimate.p) + 2);
  const std::string lo_why_pilot = detail::concat("each side keeps ", s + 2,
                                                  " distinct values of x for the pilot fit");
  const std::string lo_why_final = detail::concat("each side keeps ", o.estimate.p + 2,
                                                  " distinct values of x");

  auto run = [&](const arma::mat& Y, bool integrate, const std::string& label, arma::vec& pilot,
                 PlugIns& stage) {
    const arma::vec spread = (arma::stddev(Y, 0, 0) + arma::abs(arma::mean(Y, 0))).t();
    auto [g_plus, g_minus] = both_sides(
        [&](Side side) {
          return global_pilot(xc, Y, spread, side, s, side == Side::above ? cp : cm);
        },
        o.threads);
    const PlugIns global =
        combine(std::move(g_plus), std::move(g_minus), kp, km, out.f_x, o.regularization);
    pilot = optimal(global, integrate, w, s, n);
    clamp(pilot, pilot_lo, h_hi, "pilot " + label, lo_why_pilot, out.notes);
    auto [l_plus, l_minus] = both_sides(
        [&](Side side) {
          return local_pilot(xc, Y, spread, pilot, side, s, o.estimate.kernel, side == Side::above ? cp : cm);
        },
        o.threads);
    stage = combine(std::move(l_plus), std::move(l_minus), kp, km, out.f_x, o.regularization);
    arma::vec h = optimal(stage, integrate, w, s, n);
    if (o.coverage) h *= detail::coverage_factor(s, n);
    clamp(h, final_lo, h_hi, label, lo_why_final, out.notes);
    return h;
  };

  if (o.outcome) {
    PlugIns stage;
    out.h_num = run(d.quantiles, integrated, "outcome bandwidth", out.pilot_num, stage);
    out.B_plus = stage.plus.bias;
    out.B_minus = stage.minus.bias;
    out.V_plus = stage.plus.variance * kp.variance_constant() / out.f_x;
    out.V_minus = stage.minus.variance * km.variance_constant() / out.f_x;
    out.regularizer = stage.regularizer;
  }
  if (o.estimate.fuzzy) {
    arma::vec pilot;
    PlugIns t_stage;
    out.h_den = run(arma::mat(d.treatment), false, "treatment bandwidth", pilot, t_stage)[0];
    out.pilot_den = pilot[0];
    out.B_plus_den = t_stage.plus.bias[0];
    out.B_minus_den = t_stage.minus.bias[0];
    out.V_plus_den = t_stage.plus.variance[0] * kp.variance_constant() / out.f_x;
    out.V_minus_den = t_stage.minus.variance[0] * km.variance_constant() / out.f_x;
  }
  return out;
}

}  // namespace

double silverman_density(const arma::vec& x_centred, Kernel kernel, double* bandwidth) {
  const double n = static_cast<double>(x_centred.n_elem);
  require_data(x_centred.n_elem >= 2, "the density of the running variable needs at least two units");
  const double b = 1.06 * arma::stddev(x_centred) * std::pow(n, -0.2);
  require_data(b > 0.0, "the running variable is constant; its density cannot be estimated");
  if (bandwidth) *bandwidth = b;
  double sum = 0.0;
  for (double x : x_centred) sum += kernel_weight(kernel, x / b);
  return sum / n / b;
}

void check_bandwidth_options(const BandwidthOptions& options) {
  check_estimate_options(options.estimate);
  require(options.s >= 0 && options.s <= 8, "s", "the order {s} = ", options.s,
          " must be a whole number between 0 and 8");
  require(options.regularization >= 0.0, "regularization", "{regularization} must be non-negative");
  require(options.outcome || options.estimate.fuzzy, "bandwidth",
          "only a fuzzy design has a treatment bandwidth to select alone");
}

BandwidthSelection select_bandwidths(const RdData& data, const BandwidthOptions& options,
                                     const Hooks& hooks) {
  check_bandwidth_options(options);
  check_estimate_data(data, options.estimate);
  hooks.poll();
  // Canonical order makes the result independent of the input order to the last bit and
  // every bandwidth window a block of consecutive units.
  const bool sorted = is_canonical(data);
  RdData permuted;
  if (!sorted) permuted = permute_units(data, canonical_order(data));
  const RdData& d = sorted ? data : permuted;
  return options.estimate.compat == Compat::r3d_0_1_0 ? detail::select_bandwidths_r3d(d, options)
                                                      : select_paper(d, options);
}

}  // namespace rddist
