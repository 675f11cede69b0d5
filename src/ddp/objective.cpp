// ddp_objective.cpp — utilities, their γ-property and the refusal of objectives that greedy
// dynamic programming cannot optimise (doc/ddp.md §1, §2; tests T9, T10).
//
// The numerical check of a custom utility samples z on [−R, R] (R from the return range)
// plus points near 0, where kinks usually sit, and fits f(γz) ≈ a·f(z) + b by least
// squares; the fit must be exact to 1e-8 relative to the size of f, and a positive.
#include "rddist/ddp/objective.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace {

std::string fmt(double v) {
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

}  // namespace

std::string to_string(ObjectiveKind kind) {
  switch (kind) {
    case ObjectiveKind::mean: return "mean";
    case ObjectiveKind::threshold: return "threshold";
    case ObjectiveKind::hinge: return "hinge";
    case ObjectiveKind::homeostatic: return "homeostatic";
    case ObjectiveKind::exponential: return "exponential";
    case ObjectiveKind::quantile: return "quantile";
    case ObjectiveKind::cvar: return "cvar";
    case ObjectiveKind::custom: return "custom";
  }
  return "?";
}

Objective Objective::mean() {
  Objective o(ObjectiveKind::mean, "mean");
  o.w_left_ = o.w_right_ = 1.0;
  return o;
}

Objective Objective::threshold() { return Objective(ObjectiveKind::threshold, "threshold"); }

Objective Objective::hinge(double w_left, double w_right) {
  fail_if(!std::isfinite(w_left) || !std::isfinite(w_right), "Objective::hinge",
          "the slopes must be finite numbers");
  Objective o(ObjectiveKind::hinge, "hinge(" + fmt(w_left) + ", " + fmt(w_right) + ")");
  o.w_left_ = w_left;
  o.w_right_ = w_right;
  return o;
}

Objective Objective::homeostatic(double p) {
  fail_if(!std::isfinite(p) || p <= 0.0, "Objective::homeostatic", "the power p = ", p,
          " must be a positive number");
  Objective o(ObjectiveKind::homeostatic, "homeostatic(p = " + fmt(p) + ")");
  o.p1_ = p;
  if (p == 1.0) {
    o.w_left_ = 1.0;  // −|z| = min(z, 0) − max(z, 0)
    o.w_right_ = -1.0;
  }
  return o;
}

Objective Objective::exponential(double beta) {
  fail_if(!std::isfinite(beta) || beta == 0.0, "Objective::exponential", "beta = ", beta,
          " must be a non-zero number (beta > 0 is risk averse)");
  Objective o(ObjectiveKind::exponential, "exponential(beta = " + fmt(beta) + ")");
  o.p1_ = beta;
  return o;
}

Objective Objective::quantile(double tau) {
  fail_if(!(tau > 0.0 && tau < 1.0), "Objective::quantile", "tau = ", tau,
          " must lie strictly between 0 and 1");
  Objective o(ObjectiveKind::quantile, "quantile(tau = " + fmt(tau) + ")");
  o.p1_ = tau;
  return o;
}

Objective Objective::cvar(double tau) {
  fail_if(!(tau > 0.0 && tau <= 1.0), "Objective::cvar", "tau = ", tau, " must lie in (0, 1]");
  Objective o(ObjectiveKind::cvar, "cvar(tau = " + fmt(tau) + ")");
  o.p1_ = tau;
  return o;
}

Objective Objective::custom(std::string name, std::function<double(double)> f,
                            std::optional<GammaProperty> declared) {
  fail_if(!f, "Objective::custom", "the utility function is empty");
  return custom_batch(
      std::move(name),
      [f](const double* z, double* out, arma::uword n) {
        for (arma::uword k = 0; k < n; ++k) out[k] = f(z[k]);
      },
      declared);
}

Objective Objective::custom_batch(std::string name, BatchUtility f,
                                  std::optional<GammaProperty> declared) {
  fail_if(!f, "Objective::custom", "the utility function is empty");
  if (declared)
    fail_if(!std::isfinite(declared->a) || !std::isfinite(declared->b) || declared->a <= 0.0,
            "Objective::custom", "a declared gamma property needs finite a > 0 and b");
  Objective o(ObjectiveKind::custom, name.empty() ? "custom" : std::move(name));
  o.custom_ = std::make_shared<BatchUtility>(std::move(f));
  o.declared_ = declared;
  return o;
}

bool Objective::piecewise_linear() const {
  switch (kind_) {
    case ObjectiveKind::mean:
    case ObjectiveKind::threshold:  // piecewise constant: slopes 0 on both sides
    case ObjectiveKind::hinge: return true;
    case ObjectiveKind::homeostatic: return p1_ == 1.0;
    default: return false;
  }
}

double Objective::affine_piece(double z, bool above) const {
  fail_if(!piecewise_linear(), "Objective::affine_piece", name_, " is not piecewise linear");
  if (kind_ == ObjectiveKind::threshold) return above ? 1.0 : 0.0;
  return (above ? w_right_ : w_left_) * z;
}

double Objective::utility(double z) const {
  double out = 0.0, one = 1.0;
  out = expected(&z, &one, 1, 0.0, 1.0);
  return out;
}

double Objective::expected(const double* atoms, const double* probs, arma::uword n, double shift,
                           double scale) const {
  double acc = 0.0;
  switch (kind_) {
    case ObjectiveKind::mean:
      for (arma::uword k = 0; k < n; ++k) acc += probs[k] * (shift + scale * atoms[k]);
      return acc;
    case ObjectiveKind::threshold:
      for (arma::uword k = 0; k < n; ++k) {
        const double g = scale * atoms[k];
        const double tol = kThresholdTolerance * std::max(std::fabs(shift), std::fabs(g));
        if (shift + g >= -tol) acc += probs[k];
      }
      return acc;
    case ObjectiveKind::hinge:
      for (arma::uword k = 0; k < n; ++k) {
        const double y = shift + scale * atoms[k];
        acc += probs[k] * (y < 0.0 ? w_left_ * y : w_right_ * y);
      }
      return acc;
    case ObjectiveKind::homeostatic:
      if (p1_ == 1.0) {
        for (arma::uword k = 0; k < n; ++k) acc -= probs[k] * std::fabs(shift + scale * atoms[k]);
      } else if (p1_ == 2.0) {
        for (arma::uword k = 0; k < n; ++k) {
          const double y = shift + scale * atoms[k];
          acc -= probs[k] * y * y;
        }
      } else {
        for (arma::uword k = 0; k < n; ++k)
          acc -= probs[k] * std::pow(std::fabs(shift + scale * atoms[k]), p1_);
      }
      return acc;
    case ObjectiveKind::exponential:
      for (arma::uword k = 0; k < n; ++k)
        acc += probs[k] * (-std::expm1(-p1_ * (shift + scale * atoms[k])) / p1_);
      fail_if<numerical_error>(!std::isfinite(acc), "Objective::expected",
                               "the exponential utility overflowed; use a smaller beta or "
                               "rescale the rewards");
      return acc;
    case ObjectiveKind::custom: {
      std::vector<double> z(n), f(n);
      for (arma::uword k = 0; k < n; ++k) z[k] = shift + scale * atoms[k];
      (*custom_)(z.data(), f.data(), n);
      for (arma::uword k = 0; k < n; ++k) {
        fail_if<numerical_error>(!std::isfinite(f[k]), "Objective::expected", "utility '",
                                 name_, "' returned a non-finite value at z = ", z[k],
                                 "; it must be finite wherever the return can fall");
        acc += probs[k] * f[k];
      }
      return acc;
    }
    case ObjectiveKind::quantile:
    case ObjectiveKind::cvar: break;
  }
  throw invalid_argument(name_ + " is not an expected utility", "Objective::expected");
}

double Objective::evaluate(const double* atoms, const double* probs, arma::uword n,
                           double shift) const {
  if (expected_utility()) return expected(atoms, probs, n, shift, 1.0);
  arma::vec z(n), p(n);
  double sum = 0.0;
  for (arma::uword k = 0; k < n; ++k) {
    z[k] = atoms[k];
    p[k] = probs[k];
    sum += probs[k];
  }
  const Distribution d(std::move(z), p / sum, "Objective::evaluate");
  return shift + (kind_ == ObjectiveKind::quantile ? d.quantile(p1_) : d.cvar(p1_));
}

double Objective::evaluate(const Distribution& d, double shift) const {
  return evaluate(d.atoms().memptr(), d.probs().memptr(), d.size(), shift);
}

Suitability check_objective(const Objective& obj, double gamma, double scale) {
  Suitability s;
  const std::string g = fmt(gamma);
  switch (obj.kind()) {
    case ObjectiveKind::mean:
    case ObjectiveKind::hinge:
      s.ok = true;
      s.property = {gamma, 0.0};
      return s;
    case ObjectiveKind::threshold:
      s.ok = true;
      s.property = {1.0, 0.0};
      return s;
    case ObjectiveKind::homeostatic:
      s.ok = true;
      s.property = {std::pow(gamma, obj.parameter()), 0.0};
      return s;
    case ObjectiveKind::exponential:
      if (gamma == 1.0) {
        s.ok = true;
        s.property = {1.0, 0.0};
        return s;
      }
      s.reason = "the exponential utility f(z) = (1 - exp(-beta z))/beta has no gamma-property "
                 "for gamma = " + g + " < 1: f(gamma z) is not an affine function of f(z), so "
                 "a reward received t steps later is judged with risk aversion beta gamma^t and "
                 "the greedy stock-augmented policy can choose wrongly; use gamma = 1 with a "
                 "horizon";
      return s;
    case ObjectiveKind::quantile:
      s.reason = "the " + obj.name() + " of the return is not an expected utility: it is not "
                 "linear in mixtures, so the best action at a later state cannot be chosen "
                 "greedily (a low-quantile branch can be what lifts the overall quantile); "
                 "maximise a quantile with the quantile application (threshold objectives and "
                 "a search over the level b) instead";
      return s;
    case ObjectiveKind::cvar:
      s.reason = "the " + obj.name() + " of the return is not an expected utility: it is not "
                 "linear in mixtures, so greedy dynamic programming cannot optimise it; use the "
                 "CVaR application (f(z) = min(z, 0) and a global search over the initial stock) "
                 "instead";
      return s;
    case ObjectiveKind::custom: break;
  }

  // Custom utility: sample f on [−R, R] and near 0.
  const double R = std::max(1.0, scale);
  std::vector<double> z;
  for (int k = 0; k <= 400; ++k) z.push_back(-R + 2.0 * R * k / 400.0);
  for (double e : {1e-6, 1e-3, 0.1, 0.5}) {
    z.push_back(e * R);
    z.push_back(-e * R);
  }
  const arma::uword n = z.size();
  std::vector<double> zg(n), f(n), fg(n);
  for (arma::uword k = 0; k < n; ++k) zg[k] = gamma * z[k];
  for (arma::uword k = 0; k < n; ++k) {
    f[k] = obj.utility(z[k]);
    fg[k] = obj.utility(zg[k]);
  }
  double fmax = 0.0;
  for (arma::uword k = 0; k < n; ++k) fmax = std::max({fmax, std::fabs(f[k]), std::fabs(fg[k])});
  const double tol = 1e-8 * (1.0 + fmax);
  GammaProperty prop;
  if (obj.declared_property()) {
    prop = *obj.declared_property();
  } else if (gamma == 1.0) {
    prop = {1.0, 0.0};
  } else {
    // Least squares fit of f(γz) on (f(z), 1).
    double mf = 0.0, mg = 0.0;
    for (arma::uword k = 0; k < n; ++k) {
      mf += f[k];
      mg += fg[k];
    }
    mf /= n;
    mg /= n;
    double sff = 0.0, sfg = 0.0;
    for (arma::uword k = 0; k < n; ++k) {
      sff += (f[k] - mf) * (f[k] - mf);
      sfg += (f[k] - mf) * (fg[k] - mg);
    }
    prop.a = sff > 0.0 ? sfg / sff : 1.0;
    prop.b = mg - prop.a * mf;
    s.checked_numerically = true;
  }
  double worst = 0.0, worst_z = 0.0;
  for (arma::uword k = 0; k < n; ++k) {
    const double r = std::fabs(fg[k] - prop.a * f[k] - prop.b);
    if (r > worst) {
      worst = r;
      worst_z = z[k];
    }
  }
  if (!(prop.a > 0.0) || worst > tol) {
    std::ostringstream why;
    why.precision(6);
    why << "the utility '" << obj.name() << "' ";
    if (obj.declared_property())
      why << "does not satisfy its declared gamma-property f(gamma z) = " << prop.a
          << " f(z) + " << prop.b << ": at z = " << worst_z << " the two sides differ by " << worst;
    else
      why << "has no gamma-property f(gamma z) = a f(z) + b with a > 0 for gamma = " << gamma
          << " (best fit a = " << prop.a << ", b = " << prop.b << " misses by " << worst
          << " at z = " << worst_z << ")";
    why << ", so the greedy stock-augmented policy need not be optimal; declare a correct "
           "property, use gamma = 1 with a horizon, or use a utility such as z, min(z, 0), "
           "1{z >= 0} or -|z|^p";
    s.reason = why.str();
    return s;
  }
  s.ok = true;
  s.property = prop;
  return s;
}

Suitability require_suitable(const Objective& objective, double gamma, double scale, bool force,
                             const Hooks& hooks, const char* where) {
  const Suitability s = check_objective(objective, gamma, scale);
  if (s.ok) return s;
  if (!force)
    throw invalid_argument(rddist::detail::concat("refusing objective ", objective.name(), ": ",
                                                  s.reason, " (or use {force} to solve it "
                                                  "greedily anyway)"),
                           where);
  hooks.warn(rddist::detail::concat("objective ", objective.name(), " solved greedily because of ",
                                    "{force}, but the policy need not be optimal: ", s.reason));
  return s;
}

}  // namespace ddp
}  // namespace rddist
