// objective.h — what the decision maker optimises, and whether greedy dynamic programming
// can optimise it (doc/ddp.md §1, §2).
//
// The solver maximises K(law(c + G)) over stock-augmented policies, c being the stock.
// Greedy DP on (state, stock) is exact when K is an expected utility E f(c + G) (mixtures
// of laws then mix the values linearly) and f has the γ-property
//     f(γz) = a·f(z) + b  with a > 0,
// so that K(law(c + r + γG')) = a·K(law(c' + G')) + b with c' = (c + r)/γ: the ranking of
// continuations does not depend on how far in the future they start. With γ = 1 every
// expected utility qualifies. Built-in utilities:
//   mean         f(z) = z                                   a = γ,   b = 0
//   threshold    f(z) = 1{z >= 0}                            a = 1,   b = 0
//                (z = c + g is a sum; it counts as >= 0 when c + g >= −kThresholdTolerance·
//                max(|c|, |g|), so that a return that hits the threshold exactly but is
//                computed with rounding — 0.3 against 0.1 + 0.2 — counts as a success)
//   hinge        f(z) = w_l·min(z, 0) + w_r·max(z, 0)        a = γ,   b = 0
//   homeostatic  f(z) = −|z|^p                               a = γ^p, b = 0
//   exponential  f(z) = (1 − exp(−βz))/β   no γ-property for γ < 1 (refused)
//   quantile, CVaR taken directly: not expected utilities (refused; use the applications)
//   custom       a user function, with a declared γ-property (verified) or one estimated
//                and checked numerically.
// Refused objectives can still be solved with force = true, with a warning: the policy is
// then only greedy, not optimal.
#ifndef RDDIST_DDP_OBJECTIVE_H
#define RDDIST_DDP_OBJECTIVE_H

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "rddist/arma.h"
#include "rddist/ddp/distribution.h"
#include "rddist/hooks.h"

namespace rddist {
namespace ddp {

// Relative tolerance of the threshold utility's comparison (see above). Returns that differ
// by less than this relative amount are indistinguishable from rounding and are not told
// apart by any goal (the exact representation merges them likewise).
constexpr double kThresholdTolerance = 1e-12;

// f(γz) = a·f(z) + b.
struct GammaProperty {
  double a = 1.0;
  double b = 0.0;
};

enum class ObjectiveKind { mean, threshold, hinge, homeostatic, exponential, quantile, cvar, custom };

std::string to_string(ObjectiveKind kind);

class Objective {
 public:
  // Vectorised user utility: out[k] = f(z[k]) for k < n.
  using BatchUtility = std::function<void(const double* z, double* out, arma::uword n)>;

  static Objective mean();
  static Objective threshold();
  static Objective hinge(double w_left, double w_right);
  static Objective homeostatic(double p);
  static Objective exponential(double beta);
  static Objective quantile(double tau);
  static Objective cvar(double tau);
  static Objective custom(std::string name, std::function<double(double)> f,
                          std::optional<GammaProperty> declared = std::nullopt);
  static Objective custom_batch(std::string name, BatchUtility f,
                                std::optional<GammaProperty> declared = std::nullopt);

  ObjectiveKind kind() const { return kind_; }
  const std::string& name() const { return name_; }  // e.g. "hinge(1, 0)"
  bool expected_utility() const {
    return kind_ != ObjectiveKind::quantile && kind_ != ObjectiveKind::cvar;
  }
  double parameter() const { return p1_; }  // p, β or τ of the kinds that have one
  std::optional<GammaProperty> declared_property() const { return declared_; }

  // f(z); throws for objectives that are not expected utilities.
  double utility(double z) const;
  // Σ_k probs[k]·f(shift + scale·atoms[k]) (expected utilities only; the solvers' inner loop).
  double expected(const double* atoms, const double* probs, arma::uword n, double shift,
                  double scale) const;
  // K(law(shift + Z)) for Z ~ Σ probs[k] δ_{atoms[k]}, any objective; atoms in any order.
  double evaluate(const double* atoms, const double* probs, arma::uword n, double shift) const;
  double evaluate(const Distribution& d, double shift) const;

  // f(z) = w_l·min(z, 0) + w_r·max(z, 0) + constant. Then, for stocks c with c + G >= 0
  // surely (or c + G < 0 surely), E f(c + G) is affine in E G, and the best policy there is
  // the one maximising (slope > 0) or minimising (slope < 0) the expected return.
  bool piecewise_linear() const;
  double slope_left() const { return w_left_; }
  double slope_right() const { return w_right_; }
  // For piecewise-linear utilities: the affine function that f equals on z >= 0 (above) or
  // on z < 0 (below), at z. E f(c + G) = piece(c + E G) when c + G stays on one side.
  double affine_piece(double z, bool above) const;

 private:
  Objective(ObjectiveKind kind, std::string name) : kind_(kind), name_(std::move(name)) {}
  ObjectiveKind kind_;
  std::string name_;
  double p1_ = 0.0;                  // p (homeostatic), β (exponential), τ (quantile, cvar)
  double w_left_ = 0.0, w_right_ = 0.0;  // slopes of piecewise-linear utilities
  std::shared_ptr<BatchUtility> custom_;
  std::optional<GammaProperty> declared_;
};

// Whether greedy DP optimises the objective at discount γ. `scale` bounds the values c + G
// that matter (used for the numerical check of custom utilities).
struct Suitability {
  bool ok = false;
  GammaProperty property;  // meaningful when ok
  bool checked_numerically = false;
  std::string reason;  // why not, when !ok
};

Suitability check_objective(const Objective& objective, double gamma, double scale);

// Throws invalid_argument "<where>: <reason>" for unsuitable objectives, or — when force is
// true — reports the reason through hooks.warn and returns the (failed) check.
Suitability require_suitable(const Objective& objective, double gamma, double scale, bool force,
                             const Hooks& hooks, const char* where);

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_OBJECTIVE_H
