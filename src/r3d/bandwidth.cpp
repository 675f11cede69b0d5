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
#include <cstdio>
#include <exception>
#include <map>
#include <thread>
#include <tuple>

#include "bandwidth_detail.h"
#include "rounding_noise.h"
#include "rddist/error.h"
#include "rddist/r3d/covariates.h"
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
// one side (strictly, so that kernels vanishing at |u| = 1 still weight them).
double min_bandwidth(const arma::vec& xc, arma::uword k, Side side) {
  const arma::vec d = arma::unique(arma::abs(xc.elem(units_on_side(xc, side))));
  require_data(d.n_elem >= k, "only ", d.n_elem, " distinct value(s) of the running variable "
               "lie ", to_string(side), " the cutoff, but bandwidth selection needs at least ",
               k, "; give {bandwidth} by hand");
  return d[k - 1] * (1.0 + 1e-8) + 1e-300;
}

// Distance from the cutoff to the farthest unit of a side: wider bandwidths change
// nothing but the kernel's shape, so the selector never goes beyond it.
double max_bandwidth(const arma::vec& xc, Side side) {
  return arma::abs(xc.elem(units_on_side(xc, side))).max();
}

// The limits of a bandwidth: per side, or the wider of the two sides' for a common one.
struct Limits {
  double lo_above, lo_below, hi_above, hi_below;
  double lo() const { return std::max(lo_above, lo_below); }
  double hi() const { return std::max(hi_above, hi_below); }
};

Limits limits(const arma::vec& xc, arma::uword k) {
  return {min_bandwidth(xc, k, Side::above), min_bandwidth(xc, k, Side::below),
          max_bandwidth(xc, Side::above), max_bandwidth(xc, Side::below)};
}

// The selector runs on canonically sorted units, so every side and every window is a
// block of consecutive rows, read in place (no response matrix is ever copied).
// First index and length of a set of units that must be consecutive (sorted x).
std::pair<arma::uword, arma::uword> block_of(const arma::uvec& units) {
  require_data<numerical_error>(!units.is_empty() && units.back() - units.front() + 1 == units.n_elem,
                                "internal error: units are not in canonical order");
  return {units.front(), units.n_elem};
}

// Each response column is fitted minus a centre of its own (its median): the plug-ins do
// not change, since every fit has an intercept, but a shift of the outcomes (y + 1e11)
// then leaves no residue of its size in them, and the spread (the column's standard
// deviation) is what rounding noise is judged against.
struct ColumnScales {
  arma::rowvec centre, spread;
};

ColumnScales column_scales(const arma::mat& Y) {
  return {arma::median(Y, 0), arma::stddev(Y, 0, 0)};
}

// Rows first .. first + length − 1 of column j of Y, less the column's centre.
arma::vec centred(const arma::mat& Y, const ColumnScales& c, arma::uword j, arma::uword first,
                  arma::uword length) {
  return arma::vec(Y.colptr(j) + first, length) - c.centre[j];
}

// Zeroes a leading coefficient (on a regressor scaled to [-1, 1]) or a residual variance
// that is rounding noise relative to the response column's spread (rounding_noise.h).
void drop_rounding_noise(double spread, double& lead, double& variance) {
  if (detail::is_rounding_noise(lead, spread)) lead = 0.0;
  if (variance <= std::pow(detail::kRoundingNoise * spread, 2)) variance = 0.0;
}

// Step 1: global polynomial of degree s+1 on one side (least squares on x scaled to
// [-1, 1], weighted by the unit weights w when given).
SidePlugIns global_pilot(const arma::vec& xc, const arma::mat& Y, const arma::vec& w,
                         const ColumnScales& columns, Side side, int s, double c_bias) {
  const arma::uvec units = units_on_side(xc, side);
  const arma::uword k = static_cast<arma::uword>(s) + 2;  // coefficients
  const auto [first, length] = block_of(units);
  const arma::vec x = xc.subvec(first, first + length - 1);
  const arma::uword distinct = arma::vec(arma::unique(x)).n_elem;
  require_data(distinct >= k + 1, "the pilot fit ", to_string(side),
               " the cutoff needs at least ", k + 1, " distinct values of the running "
               "variable, got ", distinct, "; give {bandwidth} by hand");
  const double scale = arma::abs(x).max();
  const arma::mat Z = polynomial_basis(x / scale, s + 1);
  // Weights normalised to mean one, so that only their ratios matter.
  arma::vec wk;
  if (!w.is_empty()) {
    wk = w.subvec(first, first + length - 1);
    wk /= arma::mean(wk);
  }
  const arma::mat WZ = wk.is_empty() ? Z : arma::mat(Z.each_col() % wk);
  const double dof = static_cast<double>(length - k);
  arma::mat zz_inv;
  require_data<numerical_error>(arma::inv_sympd(zz_inv, detail::skinny_cross(Z, WZ)),
                                "the pilot global polynomial ", to_string(side),
                                " the cutoff is singular; the running variable has too few "
                                "distinct values");
  const double lead_scale = std::pow(scale, s + 1);
  SidePlugIns out{arma::vec(Y.n_cols), arma::vec(Y.n_cols), arma::vec(Y.n_cols)};
  arma::vec resid(length);
  for (arma::uword j = 0; j < Y.n_cols; ++j) {
    const arma::vec y = centred(Y, columns, j, first, length);
    const arma::vec beta = zz_inv * detail::skinny_t_times(WZ, y.memptr());
    detail::skinny_residual(Z, beta, y.memptr(), resid);
    double lead = beta[k - 1];
    double variance = (wk.is_empty() ? arma::dot(resid, resid) : arma::dot(wk, arma::square(resid))) / dof;
    drop_rounding_noise(columns.spread[j], lead, variance);
    out.variance[j] = variance;
    out.bias[j] = c_bias * lead / lead_scale;
    out.bias_var[j] = c_bias * c_bias * variance * zz_inv(k - 1, k - 1) / (lead_scale * lead_scale);
  }
  return out;
}

// Step 2: local polynomial of order s+1 at bandwidth h for the columns `cols` of Y:
// curvature β_{s+1}, kernel-weighted residual variance and the HC0 variance of β̂_{s+1}.
void local_stage(const arma::vec& xc, const arma::mat& Y, const arma::vec& w,
                 const ColumnScales& columns, const std::vector<arma::uword>& cols, Side side, double h,
                 int s, Kernel kernel, double c_bias, SidePlugIns& out) {
  const LocalPolyFit fit = local_poly_window(xc, side, h, s + 1, kernel, w, "bandwidth selection");
  const auto [first, length] = block_of(fit.units);
  const arma::mat R = fit.design();
  const arma::mat& KR = fit.weighted_design;
  // β̂_{s+1} = Σ ℓ_i Y_i with ℓ = KR G⁻¹e_{s+1}; HC0: Var(β̂_{s+1}) = Σ ℓ_i² e_i².
  const arma::vec lead_w = arma::square(detail::skinny_times(KR, fit.gram_inv.col(s + 1)));
  const double lead_scale = std::pow(h, s + 1);
  const double ksum = arma::accu(fit.kernel_w);
  arma::vec resid(length);
  for (arma::uword j : cols) {
    const arma::vec y = centred(Y, columns, j, first, length);
    const arma::vec beta = fit.gram_inv * detail::skinny_t_times(KR, y.memptr());
    detail::skinny_residual(R, beta, y.memptr(), resid);
    resid = arma::square(resid);
    double lead = beta[s + 1];
    double variance = arma::dot(fit.kernel_w, resid) / ksum;
    drop_rounding_noise(columns.spread[j], lead, variance);
    out.bias[j] = c_bias * lead / lead_scale;
    out.variance[j] = variance;
    out.bias_var[j] =
        variance > 0.0 ? c_bias * c_bias * arma::dot(lead_w, resid) / (lead_scale * lead_scale) : 0.0;
  }
}

SidePlugIns local_pilot(const arma::vec& xc, const arma::mat& Y, const arma::vec& w,
                        const ColumnScales& columns, const arma::vec& h, Side side, int s,
                        Kernel kernel, double c_bias) {
  SidePlugIns out{arma::vec(Y.n_cols), arma::vec(Y.n_cols), arma::vec(Y.n_cols)};
  std::map<double, std::vector<arma::uword>> groups;
  for (arma::uword j = 0; j < Y.n_cols; ++j) groups[h.n_elem == 1 ? h[0] : h[j]].push_back(j);
  for (const auto& [bw, cols] : groups)
    local_stage(xc, Y, w, columns, cols, side, bw, s, kernel, c_bias, out);
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

// Everything the (I)MSE formula needs for a set of responses: both sides combined, and
// each side alone (rule two).
struct PlugIns {
  SidePlugIns plus, minus;
  arma::vec variance;   // (V₊ + V₋), with kernel constants and f_X
  arma::vec bias_sq;    // (B₊ − B₋)² + λ (Var B̂₊ + Var B̂₋)
  arma::vec regularizer;
  arma::vec variance_plus, variance_minus;  // V± alone
  arma::vec bias_sq_plus, bias_sq_minus;    // B±² + λ Var B̂±
};

PlugIns combine(SidePlugIns plus, SidePlugIns minus, const KernelConstants& kp,
                const KernelConstants& km, double f_x, double lambda) {
  PlugIns p;
  p.variance_plus = plus.variance * kp.variance_constant() / f_x;
  p.variance_minus = minus.variance * km.variance_constant() / f_x;
  p.variance = p.variance_plus + p.variance_minus;
  p.regularizer = lambda * (plus.bias_var + minus.bias_var);
  p.bias_sq = arma::square(plus.bias - minus.bias) + p.regularizer;
  p.bias_sq_plus = arma::square(plus.bias) + lambda * plus.bias_var;
  p.bias_sq_minus = arma::square(minus.bias) + lambda * minus.bias_var;
  p.plus = std::move(plus);
  p.minus = std::move(minus);
  return p;
}

// Bandwidth(s) from a variance and a squared bias per level: one per level (simple) or
// one integrated value (frechet).
arma::vec optimal(const arma::vec& variance, const arma::vec& bias_sq, bool integrated,
                  const arma::vec& w, int s, double n) {
  if (!integrated) {
    arma::vec h(variance.n_elem);
    for (arma::uword j = 0; j < h.n_elem; ++j) h[j] = detail::mse_optimal(variance[j], bias_sq[j], s, n);
    return h;
  }
  return arma::vec{detail::mse_optimal(arma::dot(w, variance), arma::dot(w, bias_sq), s, n)};
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

// The responses the selector works on: the outcome's quantile columns and, for fuzzy
// designs, the treatment (raw, or adjusted for covariates).
struct Responses {
  const arma::mat& outcome;
  const arma::mat& treatment;
};

BandwidthSelection select_paper(const RdData& d, const BandwidthOptions& o, const Responses& y) {
  const arma::vec xc = d.x - o.estimate.cutoff;
  const arma::vec& uw = d.unit_weights;
  const double n = static_cast<double>(xc.n_elem);
  const bool integrated = o.estimate.method == Method::frechet;
  const bool two = o.rule == BandwidthRule::two;
  const int s = o.s;
  BandwidthSelection out;
  out.f_x = silverman_density(xc, o.estimate.kernel, &out.silverman, uw);
  require_data(out.f_x > 0.0, "no unit lies within Silverman's bandwidth ", out.silverman,
               " of the cutoff, so the density there is estimated as zero; give {bandwidth} "
               "by hand");
  const KernelConstants kp = kernel_constants(o.estimate.kernel, Side::above, s);
  const KernelConstants km = kernel_constants(o.estimate.kernel, Side::below, s);
  const double cp = kp.bias_constant(), cm = km.bias_constant();
  const arma::vec w = trapezoid_weights(d.q_grid);
  const Limits pilot_limits = limits(xc, static_cast<arma::uword>(s) + 2);
  const Limits final_limits = limits(xc, static_cast<arma::uword>(o.estimate.p) + 2);
  const std::string lo_why_pilot = detail::concat("each side keeps ", s + 2,
                                                  " distinct values of x for the pilot fit");
  const std::string lo_why_final = detail::concat(two ? "the side keeps " : "each side keeps ",
                                                  o.estimate.p + 2, " distinct values of x");

  // The final bandwidths of one response set (above, below), its pilot and its plug-ins.
  auto run = [&](const arma::mat& Y, bool integrate, bool per_side, const std::string& label,
                 arma::vec& pilot, PlugIns& stage) {
    const ColumnScales columns = column_scales(Y);
    auto [g_plus, g_minus] = both_sides(
        [&](Side side) {
          return global_pilot(xc, Y, uw, columns, side, s, side == Side::above ? cp : cm);
        },
        o.threads);
    const PlugIns global =
        combine(std::move(g_plus), std::move(g_minus), kp, km, out.f_x, o.regularization);
    pilot = optimal(global.variance, global.bias_sq, integrate, w, s, n);
    clamp(pilot, pilot_limits.lo(), pilot_limits.hi(), "pilot " + label, lo_why_pilot, out.notes);
    auto [l_plus, l_minus] = both_sides(
        [&](Side side) {
          return local_pilot(xc, Y, uw, columns, pilot, side, s, o.estimate.kernel,
                             side == Side::above ? cp : cm);
        },
        o.threads);
    stage = combine(std::move(l_plus), std::move(l_minus), kp, km, out.f_x, o.regularization);
    const double shrink = o.coverage ? detail::coverage_factor(s, n) : 1.0;
    if (!per_side) {
      arma::vec h = optimal(stage.variance, stage.bias_sq, integrate, w, s, n) * shrink;
      clamp(h, final_limits.lo(), final_limits.hi(), label, lo_why_final, out.notes);
      return std::make_pair(h, h);
    }
    arma::vec above = optimal(stage.variance_plus, stage.bias_sq_plus, integrate, w, s, n) * shrink;
    arma::vec below = optimal(stage.variance_minus, stage.bias_sq_minus, integrate, w, s, n) * shrink;
    clamp(above, final_limits.lo_above, final_limits.hi_above, label + " above the cutoff",
          lo_why_final, out.notes);
    clamp(below, final_limits.lo_below, final_limits.hi_below, label + " below the cutoff",
          lo_why_final, out.notes);
    return std::make_pair(above, below);
  };

  if (o.outcome) {
    PlugIns stage;
    std::tie(out.h_num, out.h_num_below) =
        run(y.outcome, integrated, two, "outcome bandwidth", out.pilot_num, stage);
    out.B_plus = stage.plus.bias;
    out.B_minus = stage.minus.bias;
    out.V_plus = stage.variance_plus;
    out.V_minus = stage.variance_minus;
    out.regularizer = stage.regularizer;
  }
  if (o.estimate.fuzzy) {
    arma::vec pilot;
    PlugIns t_stage;
    const auto [above, below] = run(y.treatment, false, two, "treatment bandwidth", pilot, t_stage);
    out.h_den = above[0];
    out.h_den_below = below[0];
    out.pilot_den = pilot[0];
    out.B_plus_den = t_stage.plus.bias[0];
    out.B_minus_den = t_stage.minus.bias[0];
    out.V_plus_den = t_stage.variance_plus[0];
    out.V_minus_den = t_stage.variance_minus[0];
  }
  return out;
}

}  // namespace

namespace {

// Below this spread of the running variable the bandwidth selector's powers of x and h
// (up to the 8th) underflow: 1e-30 to the 8th is 1e-240, still a normal double.
constexpr double kSmallestSpread = 1e-30;

std::string format_short(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}

}  // namespace

double silverman_density(const arma::vec& x_centred, Kernel kernel, double* bandwidth,
                         const arma::vec& weights) {
  const double n = static_cast<double>(x_centred.n_elem);
  require_data(x_centred.n_elem >= 2, "the density of the running variable needs at least two units");
  // Tiny values (x · 1e-200) are not a constant variable: their spread is measured
  // relative to their scale, and refused when the selector's powers of x would underflow.
  const double scale = arma::abs(x_centred).max();
  const double spread = scale > 0.0 ? scale * arma::stddev(x_centred / scale) : 0.0;
  require_data(spread > 0.0, "the running variable is constant; its density cannot be estimated");
  require_data(spread >= kSmallestSpread,
               "the running variable's spread (" + format_short(spread) + ") is too small to be "
               "measured in double precision; rescale it (and the cutoff and bandwidths with it)");
  const double b = 1.06 * spread * std::pow(n, -0.2);
  if (bandwidth) *bandwidth = b;
  double sum = 0.0, total = 0.0;
  for (arma::uword i = 0; i < x_centred.n_elem; ++i) {
    const double w = weights.is_empty() ? 1.0 : weights[i];
    sum += w * kernel_weight(kernel, x_centred[i] / b);
    total += w;
  }
  return sum / total / b;
}

void check_bandwidth_options(const BandwidthOptions& options) {
  check_estimate_options(options.estimate);
  require(options.s >= 0 && options.s <= 8, "s", "the order {s} = ", options.s,
          " must be a whole number between 0 and 8");
  require(options.regularization >= 0.0, "regularization", "{regularization} must be non-negative");
  require(options.outcome || options.estimate.fuzzy, "bandwidth",
          "only a fuzzy design has a treatment bandwidth to select alone");
  require(options.rule == BandwidthRule::common || options.estimate.compat == Compat::paper,
          "bandwidth_rule", "R3D 0.1.0 selects one bandwidth for both sides: {bandwidth_rule=two} "
          "needs {compat=paper}");
}

namespace {

// The units the selector sees: those of positive weight, in canonical order; `data`
// itself when it is that already (no copy), else a copy held in `holder`.
const RdData& selector_sample(const RdData& data, RdData& holder) {
  const bool weighted = !data.unit_weights.is_empty() && arma::any(data.unit_weights <= 0.0);
  if (!weighted && is_canonical(data)) return data;
  if (weighted) {
    const arma::uvec kept = arma::find(data.unit_weights > 0.0);
    require_data(!kept.is_empty(), "every unit weight {unit_weights} is zero");
    holder = permute_units(data, kept);
  } else {
    holder = data;
  }
  make_canonical(holder);
  return holder;
}

// Paper mode with covariates: a first pass on the raw responses, then the pass on the
// responses adjusted at the first pass's bandwidths.
BandwidthSelection select_with_covariates(const RdData& d, const BandwidthOptions& o,
                                          const arma::mat& treatment) {
  const BandwidthSelection first = select_paper(d, o, {d.quantiles, treatment});
  const arma::rowvec centre = covariate_centre(d);
  const arma::uvec all = arma::regspace<arma::uvec>(0, d.x.n_elem - 1);
  const arma::uword m = d.q_grid.n_elem;
  auto per_level = [m](const arma::vec& h) {
    return h.n_elem == 1 ? arma::vec(m, arma::fill::value(h[0])) : h;
  };
  arma::mat outcome = d.quantiles;
  if (o.outcome) {
    const arma::mat g = covariate_coefficients_at(d, d.quantiles, per_level(first.h_num),
                                                  per_level(first.h_num_below), o.estimate,
                                                  "the outcome");
    outcome -= covariate_offset(d, centre, g, all, arma::regspace<arma::uvec>(0, m - 1));
  }
  arma::mat adjusted_treatment = treatment;
  if (o.estimate.fuzzy) {
    const arma::mat g = covariate_coefficients_at(d, treatment, arma::vec{first.h_den},
                                                  arma::vec{first.h_den_below}, o.estimate,
                                                  "the first stage");
    adjusted_treatment -= covariate_offset(d, centre, g, all, arma::uvec{0});
  }
  BandwidthSelection out = select_paper(d, o, {outcome, adjusted_treatment});
  out.covariate_pilot_num = first.h_num;
  out.covariate_pilot_num_below = first.h_num_below;
  out.covariate_pilot_den = first.h_den;
  out.covariate_pilot_den_below = first.h_den_below;
  return out;
}

}  // namespace

BandwidthSelection select_bandwidths(const RdData& data, const BandwidthOptions& options,
                                     const Hooks& hooks) {
  check_bandwidth_options(options);
  check_estimate_data(data, options.estimate);
  hooks.poll();
  // Canonical order makes the result independent of the input order to the last bit and
  // every bandwidth window a block of consecutive units.
  RdData holder;
  const RdData& d = selector_sample(data, holder);
  if (options.estimate.compat == Compat::r3d_0_1_0) {
    BandwidthSelection out = detail::select_bandwidths_r3d(d, options);
    out.h_num_below = out.h_num;
    out.h_den_below = out.h_den;
    return out;
  }
  const arma::mat treatment = options.estimate.fuzzy ? arma::mat(d.treatment) : arma::mat();
  if (d.covariates.n_cols > 0) return select_with_covariates(d, options, treatment);
  return select_paper(d, options, {d.quantiles, treatment});
}

}  // namespace rddist
