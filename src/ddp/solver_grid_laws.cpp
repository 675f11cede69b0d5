// ddp_solver_grid.cpp — distributional value and policy iteration on a stock grid
// (doc/ddp.md §2–§4).
//
// One sweep computes, for every state x and grid stock c_i, the law
//   Σ_{outcomes} p · law(r + γG'),  G' ~ Σ_n w_n μ(x', c_n),   c' = (c_i + r)/γ,
// for each action, where the c_n are the grid neighbours of c' with the stochastic-rounding
// weights w_n (or the nearest point), δ_0 after termination or at the horizon, and the
// expected-return law in the closed-form region; the chosen action's law is projected into
// the new column.
//
// Decisions. Greedy on the unprojected mixture evaluated at the true stock c' (the literal
// rule) is not a contraction on a grid: the law at c_n was chosen for stock c_n but is
// judged at c' ≠ c_n, so near-ties flip back and forth and the laws never settle (observed:
// sup-W1 changes of ~0.5 forever on random MDPs). For utilities with the γ-property we
// therefore read stochastic rounding as a random transition of the stock to c_n and decide
// by the scalar recursion of that finite MDP,
//   V(x, c_i) = max_a Σ_{outcomes} p · Σ_n w_n [a·V(x', c_n) + b],
// with V = f(c_i + r) after termination and the exact E f(c_i + r + γG) in the closed-form
// region; this is a contraction for a < 1, so the policy settles and the laws (evaluated
// under it) converge. A stock c' outside the grid is valued with the law of the nearest end
// point at the true c'. Forced objectives without the γ-property use the literal rule.
//
// Cost per sweep: S·K·Σ_a(outcomes of a)·2 look-ups plus, per (x, c_i), the projection of
// one mixture (O(outcomes·2·m)); the literal rule adds 2·m utility evaluations per outcome.
// Memory: two m × (S·K) arrays of doubles (μ_k and μ_{k+1}) plus values and the policy;
// see bench/README.md for the formula and a measurement.
#include <algorithm>
#include <cmath>
#include <utility>

#include "internal.h"
#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace detail {
namespace {

// One term of a mixture: weight · law(shift + γZ), Z ~ Σ probs[k] δ_{atoms[k]}. With
// use_value the decision values the term by a·value + b (value = V at its grid stock).
struct Component {
  const double* atoms;
  const double* probs;
  arma::uword n;
  double weight, shift, mean;  // mean of Z
  bool use_value;
  double value;
}; 

const double kZeroAtom = 0.0, kUnitMass = 1.0;

class GridSweeper {
 public:
  GridSweeper(SolutionData& s, const Hooks& hooks)
      : s_(s), hooks_(hooks), mdp_(s.mdp), S_(mdp_.n_states()), K_(s.grid.size()), m_(s.m),
        gamma_(mdp_.gamma()), H_(mdp_.horizon()), satoms_(s.support.atoms()),
        uniform_(m_, arma::fill::value(1.0 / static_cast<double>(m_))) {
    comps_.resize(mdp_.max_actions());
    const arma::uword T = H_ > 0 ? H_ + 1 : 1;
    closed_max_ = closed_columns(s.law_max, T, &closed_max_mean_);
    if (!s.law_min.laws.empty()) closed_min_ = closed_columns(s.law_min, T, &closed_min_mean_);
    eu_ = s.objective.expected_utility();
    categorical_ = s.rep == Representation::categorical;
    scalar_ = s.scalar_decisions;
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
      if (x % 64 == 0) hooks_.poll();
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
            build(x, a, t, c, last_step, from, from_mean, from_value, &res.clamped);
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
          build(x, best_a, t, c, last_step, from, from_mean, from_value, &res.clamped);
          double mean = 0.0;
          evaluate(comps_[best_a], c, &best, &mean);
        }
        project(comps_[best_a], out);
        to_value[col] = best;
        if (measure)
          res.residual = std::max({res.residual, distance(out, from.colptr(col)),
                                   std::fabs(best - from_value[col])});
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
                             double weight, double shift, const arma::vec* col_value = nullptr) const {
    const bool use = col_value != nullptr;
    const double v = use ? (*col_value)[col] : 0.0;
    if (categorical_)
      return {satoms_.memptr(), cols.colptr(col), m_, weight, shift, col_mean[col], use, v};
    return {cols.colptr(col), uniform_.memptr(), m_, weight, shift, col_mean[col], use, v};
  }

  // The mixture of action a at (x, c, t) into comps_[a].
  void build(arma::uword x, arma::uword a, arma::uword t, double c, bool last_step,
             const arma::mat& from, const arma::vec& from_mean, const arma::vec& from_value,
             arma::uword* clamped) {
    std::vector<Component>& comps = comps_[a];
    comps.clear();
    comps.reserve(2 * mdp_.outcomes(x, a).size());
    const arma::uword tn = s_.time_key(t + 1);
    for (const Outcome& o : mdp_.outcomes(x, a)) {
      if (o.next == kTerminal || last_step) {
        comps.push_back({&kZeroAtom, &kUnitMass, 1, o.prob, o.reward, 0.0, false, 0.0});
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
      // Inside the grid the scalar decisions value a neighbour by its V; outside, by the
      // end point's law at the true stock.
      const arma::vec* value = scalar_ && !pos.outside ? &from_value : nullptr;
      const arma::uword base = o.next * K_;
      if (s_.options.rounding == Rounding::nearest) {
        const arma::uword j = pos.upper_weight > 0.5 ? pos.lower + 1 : pos.lower;
        comps.push_back(column_component(from, from_mean, base + j, o.prob, o.reward, value));
        continue;
      }
      const double w = pos.upper_weight;
      if (w < 1.0)
        comps.push_back(column_component(from, from_mean, base + pos.lower, o.prob * (1.0 - w),
                                         o.reward, value));
      if (w > 0.0)
        comps.push_back(column_component(from, from_mean, base + pos.lower + 1, o.prob * w,
                                         o.reward, value));
    }
  }

  void evaluate(const std::vector<Component>& comps, double c, double* value, double* mean) {
    double v = 0.0, mu = 0.0;
    for (const Component& k : comps) mu += k.weight * (k.shift + gamma_ * k.mean);
    if (eu_) {
      const double a = s_.property.a, b = s_.property.b;
      for (const Component& k : comps)
        v += k.weight * (k.use_value ? a * k.value + b
                                     : s_.objective.expected(k.atoms, k.probs, k.n, c + k.shift, gamma_));
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

  SolutionData& s_;
  const Hooks& hooks_;
  const Mdp& mdp_;
  const arma::uword S_, K_, m_;
  const double gamma_;
  const arma::uword H_;
  const arma::vec satoms_, uniform_;
  arma::mat closed_max_, closed_min_;
  arma::vec closed_max_mean_, closed_min_mean_;
  bool eu_ = true, categorical_ = true, scalar_ = false;
  std::vector<std::vector<Component>> comps_;
  std::vector<double> z_, p_, mix_;
  std::vector<std::pair<double, double>> pairs_;
};

}  // namespace

void solve_grid(SolutionData& s, const Hooks& hooks) {
  const char* where = "ddp::solve";
  const Mdp& mdp = s.mdp;
  const SolveOptions& opt = s.options;
  if (opt.stock_grid.n_elem > 0) {
    s.grid = StockGrid(opt.stock_grid, where);
  } else {
    double lo = -s.bounds.max(), hi = -s.bounds.min();
    if (hi - lo <= 1e-9 * std::max(1.0, std::fabs(lo))) {
      lo -= 0.5;
      hi += 0.5;
    }
    std::optional<double> include;
    if (opt.start_state) include = opt.start_stock;
    s.grid = StockGrid::uniform(lo, hi, opt.stock_points, include, where);
  }
  const arma::uword S = mdp.n_states(), K = s.grid.size(), H = mdp.horizon();
  s.layers = H > 0 ? H : 1;
  s.policy.assign(s.layers * S * K, 0);
  s.nodes.clear();

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
      step(t, s.policy.data() + t * S * K, true, false, false);
      hooks.report("backward induction", static_cast<double>(k + 1) / H);
    }
    s.iterations = s.sweeps = H;
    s.converged = true;
    s.residual = 0.0;
  } else if (opt.algorithm == Algorithm::value_iteration) {
    double first = 0.0;
    for (arma::uword k = 1; k <= opt.max_iterations; ++k) {
      step(0, s.policy.data(), true, k > 1, true);
      s.iterations = s.sweeps = k;
      s.residual = r.residual;
      if (k == 1) first = r.residual;
      if (r.residual <= opt.tolerance) {
        s.converged = true;
        break;
      }
      if (first > opt.tolerance && r.residual > 0.0)
        hooks.report("value iteration",
                     std::min(1.0, std::max(0.0, std::log(first / r.residual) /
                                                     std::log(first / opt.tolerance))));
    }
  } else {
    // Policy iteration: greedy start from δ_0, then evaluate / improve.
    step(0, s.policy.data(), true, false, true);
    s.sweeps = 1;
    s.iterations = 0;
    const arma::uword max_eval = 1000000;
    while (true) {
      for (arma::uword e = 0; e < max_eval; ++e) {
        step(0, s.policy.data(), false, false, true);
        ++s.sweeps;
        if (r.residual <= opt.tolerance) break;
      }
      s.residual = r.residual;
      step(0, s.policy.data(), true, true, true);
      ++s.sweeps;
      ++s.iterations;
      s.residual = r.residual;
      hooks.report("policy iteration", static_cast<double>(s.iterations) / opt.max_iterations);
      if (r.changed == 0) {
        s.converged = r.residual <= opt.tolerance;
        break;
      }
      if (s.iterations >= opt.max_iterations) break;
    }
  }
  s.clamped = r.clamped;
  s.columns = std::move(cur);
  s.values = std::move(cur_value);
  if (!s.converged)
    hooks.warn(rddist::detail::concat(where, ": not converged after ", s.iterations, " iterations (last "
                              "W1 change ", s.residual, " > tolerance ", opt.tolerance,
                              "); raise max_iterations or the tolerance"));
  if (s.clamped > 0)
    hooks.warn(rddist::detail::concat(
        where, ": in the last sweep ", s.clamped, " stock look-ups fell outside the grid [",
        s.grid.lo(), ", ", s.grid.hi(), "] and were clamped to its ends",
        s.closed_form ? ""
        : s.objective.piecewise_linear()
            ? " (the closed form was switched off)"
            : " (the utility is not piecewise linear, so no closed form applies)",
        "; widen stock_grid to cover the stocks that matter"));
}

}  // namespace detail
}  // namespace ddp
}  // namespace rddist
