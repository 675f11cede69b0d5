// solver_grid_laws.cpp — return laws on a stock grid (doc/ddp.md §2–§4): the laws of a
// decided policy at every grid stock (the laws reported by a grid solution), and the
// literal greedy rule on laws for forced objectives, which have no scalar recursion.
//
// One sweep computes, for every state x and grid stock c_i, the law
//   Σ_{outcomes} p · law(r + γG'),  G' ~ Σ_n w_n μ(x', c_n),   c' = (c_i + r)/γ,
// for the policy's action (or, greedy, for each action), where the c_n are the grid
// neighbours of c' with the stochastic-rounding weights w_n (or the nearest point), δ_0
// after termination or at the horizon, and the expected-return law in the closed-form
// region; the law is projected into the new column. Evaluation iterates sweeps from δ_0
// until no law moves by more than `tolerance` in W1 (a γ-contraction, so the laws are then
// within tolerance·γ/(1 − γ) of the projected fixed point); with a horizon, H backward
// sweeps.
//
// The literal rule — greedy on the unprojected mixture evaluated at the true stock c' — is
// not a contraction on a grid: the law at c_n was chosen for stock c_n but is judged at
// c' ≠ c_n, so near-ties can flip back and forth; it is used only for objectives solved
// because of `force`, which are not optimised anyway.
//
// Cost per sweep: S·K·Σ_a(outcomes of a)·2 look-ups plus, per (x, c_i), the projection of
// one mixture (O(outcomes·2·m)). Memory: two m × (S·K) arrays of doubles.
#include <algorithm>
#include <cmath>
#include <utility>

#include "internal.h"
#include "rddist/error.h"
#include "work_clock.h"

namespace rddist {
namespace ddp {
namespace detail {
namespace {

// One term of a mixture: weight · law(shift + γZ), Z ~ Σ probs[k] δ_{atoms[k]}.
struct Component {
  const double* atoms;
  const double* probs;
  arma::uword n;
  double weight, shift, mean;  // mean of Z
};

const double kZeroAtom = 0.0, kUnitMass = 1.0;

class GridSweeper {
 public:
  GridSweeper(const SolutionData& s, const Hooks& hooks)
      : s_(s), mdp_(s.mdp), S_(mdp_.n_states()), K_(s.grid.size()), m_(s.m),
        gamma_(mdp_.gamma()), H_(mdp_.horizon()), satoms_(s.support.atoms()),
        uniform_(m_, arma::fill::value(1.0 / static_cast<double>(m_))),
        clock_(hooks, "return distributions", 4) {
    comps_.resize(mdp_.max_actions());
    const arma::uword T = H_ > 0 ? H_ + 1 : 1;
    if (s.closed_form) {
      closed_max_ = closed_columns(s.rn_laws(true, hooks), T, &closed_max_mean_);
      if (s.objective.slope_left() < 0.0 || s.objective.slope_right() < 0.0)
        closed_min_ = closed_columns(s.rn_laws(false, hooks), T, &closed_min_mean_);
    }
    eu_ = s.objective.expected_utility();
    categorical_ = s.rep == Representation::categorical;
  }

  // Columns holding δ_0 (the start of value iteration).
  void fill_dirac(arma::mat& cols) const {
    arma::vec col(m_);
    law_to_column(Distribution(), s_.rep, s_.support, m_, col.memptr());
    cols.each_col() = col;
  }

  arma::vec means(const arma::mat& cols) const {
    arma::vec out(cols.n_cols);
    means(cols, out);
    return out;
  }
  // In place, so that sweeps allocate nothing.
  void means(const arma::mat& cols, arma::vec& out) const {
    for (arma::uword k = 0; k < cols.n_cols; ++k) {
      const double* c = cols.colptr(k);
      double acc = 0.0;
      if (categorical_) {
        for (arma::uword j = 0; j < m_; ++j) acc += satoms_[j] * c[j];
      } else {
        for (arma::uword j = 0; j < m_; ++j) acc += c[j];
        acc /= static_cast<double>(m_);
      }
      out[k] = acc;
    }
  }

  // K(law(c + G)) for the law in a column.
  double column_value(const double* col, double c) const {
    if (categorical_) return s_.objective.evaluate(satoms_.memptr(), col, m_, c);
    return s_.objective.evaluate(col, uniform_.memptr(), m_, c);
  }

  arma::vec values(const arma::mat& cols) const {
    arma::vec out(cols.n_cols);
    const arma::vec& grid = s_.grid.points();
    for (arma::uword k = 0; k < cols.n_cols; ++k) out[k] = column_value(cols.colptr(k), grid[k % K_]);
    return out;
  }

  struct Result {
    double residual = 0.0;
    arma::uword changed = 0, clamped = 0;
  };

  void done() const { clock_.done(); }

  // One Gauss–Seidel sweep of the policy's laws (no horizon): columns are replaced in place,
  // so later pairs already see the new laws of earlier ones. Returns the largest W1 change.
  double evaluate_in_place(arma::mat& cols, const arma::uword* policy) {
    if (zero_mean_.n_elem != cols.n_cols) zero_mean_.zeros(cols.n_cols);
    tmp_.resize(m_);
    double residual = 0.0;
    arma::uword clamped = 0;
    const arma::vec& grid = s_.grid.points();
    for (arma::uword x = 0; x < S_; ++x) {
      clock_.tick(progress_);
      const double lo = s_.bounds.lo_at(x, 0), hi = s_.bounds.hi_at(x, 0);
      for (arma::uword i = 0; i < K_; ++i) {
        const arma::uword col = x * K_ + i;
        double* out = cols.colptr(col);
        const StockRegion r = s_.closed_form ? stock_region(grid[i], lo, hi) : StockRegion::inside;
        if (r != StockRegion::inside) {
          const double* src = (s_.use_max(r) ? closed_max_ : closed_min_).colptr(x);
          residual = std::max(residual, distance(src, out));
          std::copy(src, src + m_, out);
          continue;
        }
        build(x, policy[col], 0, grid[i], false, cols, zero_mean_, &clamped);
        project(comps_[policy[col]], tmp_.data());
        residual = std::max(residual, distance(tmp_.data(), out));
        std::copy(tmp_.begin(), tmp_.end(), out);
      }
    }
    return residual;
  }

  // One sweep at time t from `from` (laws at t+1, or the previous iterate) into `to`.
  // greedy: choose actions (keeping policy[] on ties when use_incumbent); otherwise
  // apply the actions in policy[]. measure: compute the W1 change against `from`.
  Result sweep(arma::uword t, const arma::mat& from, const arma::vec& from_mean,
               const arma::vec& from_value, arma::mat& to, arma::vec& to_value,
               arma::uword* policy, bool greedy, bool use_incumbent, bool measure) {
    Result res;
    const arma::uword tk = s_.time_key(t);
    const bool last_step = H_ > 0 && t + 1 == H_;
    const arma::vec& grid = s_.grid.points();
    for (arma::uword x = 0; x < S_; ++x) {
      clock_.tick(progress_);
      const double lo = s_.bounds.lo_at(x, tk), hi = s_.bounds.hi_at(x, tk);
      for (arma::uword i = 0; i < K_; ++i) {
        const arma::uword col = x * K_ + i;
        const double c = grid[i];
        double* out = to.colptr(col);
        if (s_.closed_form) {
          const StockRegion r = stock_region(c, lo, hi);
          if (r != StockRegion::inside) {
            const bool mx = s_.use_max(r);
            const arma::uword ccol = x + S_ * tk;
            const double* src = (mx ? closed_max_ : closed_min_).colptr(ccol);
            std::copy(src, src + m_, out);
            const arma::uword a = s_.closed_action(x, t, r);
            if (policy[col] != a) ++res.changed;
            policy[col] = a;
            to_value[col] = column_value(out, c);
            if (measure)
              res.residual = std::max({res.residual, distance(out, from.colptr(col)),
                                       std::fabs(to_value[col] - from_value[col])});
            continue;
          }
        }
        const arma::uword incumbent = policy[col];
        arma::uword best_a = incumbent;
        double best = 0.0;
        if (greedy) {
          double best_mean = 0.0;
          bool first = true;
          for (arma::uword a = 0; a < mdp_.n_actions(x); ++a) {
            build(x, a, t, c, last_step, from, from_mean, &res.clamped);
            double v = 0.0, mean = 0.0;
            evaluate(comps_[a], c, &v, &mean);
            if (first) {
              best = v;
              best_mean = mean;
              best_a = a;
              first = false;
              continue;
            }
            const double tol = s_.options.tie_tolerance * (1.0 + std::fabs(best));
            bool take = v > best + tol;
            if (!take && std::fabs(v - best) <= tol) {
              if (use_incumbent && best_a == incumbent) take = false;
              else if (use_incumbent && a == incumbent) take = true;
              else take = mean > best_mean + s_.options.tie_tolerance * (1.0 + std::fabs(best_mean));
            }
            if (take) {
              best = v;
              best_mean = mean;
              best_a = a;
            }
          }
          fail_if<numerical_error>(!std::isfinite(best), "ddp::solve",
                                   "the objective is not finite at state '",
                                   mdp_.state_label(x), "' with stock ", c);
          if (best_a != incumbent) ++res.changed;
          policy[col] = best_a;
        } else {
          build(x, best_a, t, c, last_step, from, from_mean, &res.clamped);
        }
        project(comps_[best_a], out);
        to_value[col] = best;
        if (measure)
          res.residual = std::max(res.residual, distance(out, from.colptr(col)));
        if (greedy && measure) res.residual = std::max(res.residual, std::fabs(best - from_value[col]));
      }
    }
    return res;
  }

 private:
  arma::mat closed_columns(const StockBlindLaws& laws, arma::uword T, arma::vec* mean) const {
    arma::mat cols(m_, S_ * T);
    for (arma::uword t = 0; t < T; ++t)
      for (arma::uword x = 0; x < S_; ++x)
        law_to_column(laws.at(x, t), s_.rep, s_.support, m_, cols.colptr(x + S_ * t));
    *mean = means(cols);
    return cols;
  }

  Component column_component(const arma::mat& cols, const arma::vec& col_mean, arma::uword col,
                             double weight, double shift) const {
    if (categorical_) return {satoms_.memptr(), cols.colptr(col), m_, weight, shift, col_mean[col]};
    return {cols.colptr(col), uniform_.memptr(), m_, weight, shift, col_mean[col]};
  }

  // The mixture of action a at (x, c, t) into comps_[a].
  void build(arma::uword x, arma::uword a, arma::uword t, double c, bool last_step,
             const arma::mat& from, const arma::vec& from_mean, arma::uword* clamped) {
    std::vector<Component>& comps = comps_[a];
    comps.clear();
    comps.reserve(2 * mdp_.outcomes(x, a).size());
    const arma::uword tn = s_.time_key(t + 1);
    for (const Outcome& o : mdp_.outcomes(x, a)) {
      if (o.next == kTerminal || last_step) {
        comps.push_back({&kZeroAtom, &kUnitMass, 1, o.prob, o.reward, 0.0});
        continue;
      }
      const double cn = (c + o.reward) / gamma_;
      if (s_.closed_form) {
        const StockRegion r =
            stock_region(cn, s_.bounds.lo_at(o.next, tn), s_.bounds.hi_at(o.next, tn));
        if (r != StockRegion::inside) {
          const bool mx = s_.use_max(r);
          comps.push_back(column_component(mx ? closed_max_ : closed_min_,
                                           mx ? closed_max_mean_ : closed_min_mean_,
                                           o.next + S_ * tn, o.prob, o.reward));
          continue;
        }
      }
      const StockGrid::Position pos = s_.grid.locate(cn);
      if (pos.outside) ++*clamped;
      const arma::uword base = o.next * K_;
      if (s_.options.rounding == Rounding::nearest) {
        const arma::uword j = pos.upper_weight > 0.5 ? pos.lower + 1 : pos.lower;
        comps.push_back(column_component(from, from_mean, base + j, o.prob, o.reward));
        continue;
      }
      const double w = pos.upper_weight;
      if (w < 1.0)
        comps.push_back(column_component(from, from_mean, base + pos.lower, o.prob * (1.0 - w),
                                         o.reward));
      if (w > 0.0)
        comps.push_back(column_component(from, from_mean, base + pos.lower + 1, o.prob * w,
                                         o.reward));
    }
  }

  void evaluate(const std::vector<Component>& comps, double c, double* value, double* mean) {
    double v = 0.0, mu = 0.0;
    for (const Component& k : comps) mu += k.weight * (k.shift + gamma_ * k.mean);
    if (eu_) {
      for (const Component& k : comps)
        v += k.weight * s_.objective.expected(k.atoms, k.probs, k.n, c + k.shift, gamma_);
    } else {
      gather(comps);
      v = s_.objective.evaluate(z_.data(), p_.data(), z_.size(), c);
    }
    *value = v;
    *mean = mu;
  }

  void gather(const std::vector<Component>& comps) {
    z_.clear();
    p_.clear();
    for (const Component& k : comps)
      for (arma::uword j = 0; j < k.n; ++j) {
        z_.push_back(k.shift + gamma_ * k.atoms[j]);
        p_.push_back(k.weight * k.probs[j]);
      }
  }

  void project(const std::vector<Component>& comps, double* out) {
    if (categorical_) {
      std::fill(out, out + m_, 0.0);
      // The two rounding neighbours of an outcome share atoms and shift: mix them first and
      // project once (the projection is linear), halving the scatter work.
      for (std::size_t i = 0; i < comps.size();) {
        const Component& k = comps[i];
        if (i + 1 < comps.size() && comps[i + 1].atoms == k.atoms &&
            comps[i + 1].shift == k.shift && k.n == m_ && comps[i + 1].n == m_) {
          const Component& l = comps[i + 1];
          mix_.resize(m_);
          for (arma::uword j = 0; j < m_; ++j) mix_[j] = k.weight * k.probs[j] + l.weight * l.probs[j];
          add_categorical_projection(k.atoms, mix_.data(), m_, 1.0, k.shift, gamma_, s_.support,
                                     out);
          i += 2;
        } else {
          add_categorical_projection(k.atoms, k.probs, k.n, k.weight, k.shift, gamma_, s_.support,
                                     out);
          ++i;
        }
      }
      return;
    }
    pairs_.clear();
    for (const Component& k : comps)
      for (arma::uword j = 0; j < k.n; ++j)
        pairs_.emplace_back(k.shift + gamma_ * k.atoms[j], k.weight * k.probs[j]);
    std::sort(pairs_.begin(), pairs_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    z_.resize(pairs_.size());
    p_.resize(pairs_.size());
    for (std::size_t j = 0; j < pairs_.size(); ++j) {
      z_[j] = pairs_[j].first;
      p_[j] = pairs_[j].second;
    }
    quantile_locations(z_.data(), p_.data(), z_.size(), m_, out);
  }

  // W1 distance between two columns.
  double distance(const double* a, const double* b) const {
    double acc = 0.0;
    if (categorical_) {
      double gap = 0.0;
      for (arma::uword j = 0; j + 1 < m_; ++j) {
        gap += a[j] - b[j];
        acc += std::fabs(gap);
      }
      return acc * s_.support.spacing();
    }
    for (arma::uword j = 0; j < m_; ++j) acc += std::fabs(a[j] - b[j]);
    return acc / static_cast<double>(m_);
  }

  const SolutionData& s_;
  const Mdp& mdp_;
  const arma::uword S_, K_, m_;
  const double gamma_;
  const arma::uword H_;
  const arma::vec satoms_, uniform_;
  arma::mat closed_max_, closed_min_;
  arma::vec closed_max_mean_, closed_min_mean_;
  bool eu_ = true, categorical_ = true;
  std::vector<std::vector<Component>> comps_;
  std::vector<double> z_, p_, mix_;
  std::vector<std::pair<double, double>> pairs_;
  std::vector<double> tmp_;
  arma::vec zero_mean_;
  WorkClock clock_;

 public:
  double progress_ = -1.0;  // reported with the ticks of a sweep
};

}  // namespace

// Forced objectives: value or policy iteration with the literal rule on laws.
void solve_grid_laws(SolutionData& s, const Hooks& hooks) {
  const Mdp& mdp = s.mdp;
  const SolveOptions& opt = s.options;
  const arma::uword S = mdp.n_states(), K = s.grid.size(), H = mdp.horizon();
  s.layers = H > 0 ? H : 1;
  s.policy.assign(s.layers * S * K, 0);

  GridSweeper sweeper(s, hooks);
  arma::mat cur(s.m, S * K), next(s.m, S * K);
  sweeper.fill_dirac(cur);
  next.zeros();
  arma::vec cur_mean = sweeper.means(cur), cur_value = sweeper.values(cur),
            next_value(S * K, arma::fill::zeros);
  GridSweeper::Result r;
  // One sweep and the swap of the buffers.
  auto step = [&](arma::uword t, arma::uword* pol, bool greedy, bool incumbent, bool measure) {
    r = sweeper.sweep(t, cur, cur_mean, cur_value, next, next_value, pol, greedy, incumbent,
                      measure);
    std::swap(cur, next);
    std::swap(cur_value, next_value);
    sweeper.means(cur, cur_mean);
  };

  if (H > 0) {
    // Backward induction: layer t from layer t + 1.
    for (arma::uword k = 0; k < H; ++k) {
      const arma::uword t = H - 1 - k;
      sweeper.progress_ = static_cast<double>(k) / H;
      step(t, s.policy.data() + t * S * K, true, false, false);
    }
    s.iterations = s.sweeps = H;
    s.converged = true;
    s.residual = 0.0;
  } else if (opt.algorithm == Algorithm::value_iteration) {
    for (arma::uword k = 1; k <= opt.max_iterations; ++k) {
      step(0, s.policy.data(), true, k > 1, true);
      s.iterations = s.sweeps = k;
      s.residual = r.residual;
      if (r.residual <= opt.tolerance) {
        s.converged = true;
        break;
      }
    }
  } else {
    // Policy iteration: greedy start from δ_0, then evaluate / improve.
    step(0, s.policy.data(), true, false, true);
    s.sweeps = 1;
    s.iterations = 0;
    while (true) {
      for (arma::uword e = 0; e < 1000000; ++e) {
        step(0, s.policy.data(), false, false, true);
        ++s.sweeps;
        if (r.residual <= opt.tolerance) break;
      }
      step(0, s.policy.data(), true, true, true);
      ++s.sweeps;
      ++s.iterations;
      s.residual = r.residual;
      if (r.changed == 0) {
        s.converged = r.residual <= opt.tolerance;
        break;
      }
      if (s.iterations >= opt.max_iterations) break;
    }
  }
  sweeper.done();
  s.clamped = r.clamped;
  s.columns = std::move(cur);
  s.values = std::move(cur_value);
  s.means = std::move(cur_mean);
  if (!s.converged)
    hooks.warn(rddist::detail::concat("not converged after ", s.iterations,
                                      " iterations (last W1 change ", s.residual,
                                      " > {tolerance=", opt.tolerance, "}",
                                      "); raise {max_iterations} or {tolerance}"));
}

double law_tolerance(const SolutionData& s) {
  if (s.options.law_tolerance > 0.0) return s.options.law_tolerance;
  return std::max(s.options.tolerance, 0.01 * projection_error(s) / s.mdp.gamma());
}

arma::mat evaluate_grid_policy(const SolutionData& s, const Hooks& hooks) {
  const Mdp& mdp = s.mdp;
  const arma::uword S = mdp.n_states(), K = s.grid.size(), H = mdp.horizon();
  std::vector<arma::uword> policy = s.policy;  // the sweeps rewrite closed-form entries
  GridSweeper sweeper(s, hooks);
  arma::mat cur(s.m, S * K);
  sweeper.fill_dirac(cur);
  if (H > 0) {
    // Backward sweeps from layer t + 1 into layer t (two buffers).
    arma::mat next(s.m, S * K, arma::fill::zeros);
    arma::vec cur_mean = sweeper.means(cur), cur_value(S * K, arma::fill::zeros),
              next_value(S * K, arma::fill::zeros);
    for (arma::uword k = 0; k < H; ++k) {
      sweeper.progress_ = static_cast<double>(k) / H;
      const arma::uword t = H - 1 - k;
      sweeper.sweep(t, cur, cur_mean, cur_value, next, next_value, policy.data() + t * S * K,
                    false, false, false);
      std::swap(cur, next);
      sweeper.means(cur, cur_mean);
    }
    sweeper.done();
    return cur;
  }
  // Without a horizon: Gauss–Seidel sweeps until the laws' remaining iteration error,
  // at most residual·γ/(1 − γ), is 1% of the representation's own error δ/(1 − γ)
  // (Solution::law_error_bound), or the solver's tolerance if that is larger; or until
  // the W1 change is at most law_tolerance when that is given.
  const double tol = law_tolerance(s);
  double residual = INFINITY, first = 0.0;
  arma::uword k = 0;
  for (; k < s.options.max_iterations && residual > tol; ++k) {
    residual = sweeper.evaluate_in_place(cur, policy.data());
    if (k == 0) first = residual;
    // Sweeps shrink the change geometrically: report log(first/residual) of log(first/tol).
    if (first > tol && residual > 0.0)
      sweeper.progress_ = std::min(0.99, std::log(first / residual) / std::log(first / tol));
  }
  sweeper.done();
  if (residual > tol)
    hooks.warn(rddist::detail::concat(
        "the laws of the policy did not converge in ", k, " sweeps (last W1 change ", residual,
        " > ", tol, "); raise {max_iterations}"));
  return cur;
}

}  // namespace detail
}  // namespace ddp
}  // namespace rddist
