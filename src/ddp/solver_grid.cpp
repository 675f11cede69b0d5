// solver_grid.cpp — the scalar recursion on a stock grid (doc/ddp.md §2–§4).
//
// For utilities with the γ-property the decisions need only the values: stochastic
// rounding is read as a random move of the stock to the grid neighbours c_n of
// c' = (c_i + r)/γ with weights w_n, and the solver runs value (or policy) iteration on
// the finite MDP of (state, grid stock) pairs,
//   V(x, c_i) = max_a Σ_{outcomes} p · Σ_n w_n [a·V(x', c_n) + b],
// with f(c_i + r) when the episode ends and the exact E f(c' + G) = piece(c' + E G) of the
// expected-return policy in the closed-form region. The expected return M(x, c_i) of the
// chosen action is carried along: it breaks ties and is reported. A stock c' outside the
// grid (and outside the closed form) is counted and valued by extending V linearly beyond
// the two end points — the scalar form of judging the end point's law at the true stock,
// exact for affine utilities — while its expected return is the end point's.
// This is a contraction for a < 1; for a = 1 (thresholds) the stocks leave the grid into
// the closed form geometrically, which plays the same role.
//
// Everything that does not change between sweeps is computed once into a table (per
// layer with a horizon): per (state, grid stock, action) the constant part of the Q-value
// and of the mean, and per outcome the grid column and the two rounding weights. A sweep
// is then 2·Σ_a(outcomes) multiply-adds per pair for the values and as many for the means,
// with no law in sight; laws are computed afterwards, only where they are reported
// (solver_grid_laws.cpp). Memory: the table, 8·(2 + 3·outcomes) bytes per (pair, action),
// and four S·K arrays.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "internal.h"
#include "rddist/error.h"
#include "work_clock.h"

namespace rddist {
namespace ddp {
namespace detail {
namespace {

// One outcome's look-up into the next values: p_lo·X[col] + p_hi·X[col + 1]. Beyond the
// grid one weight is negative (linear extension of V); the means use the end point.
struct Lookup {
  std::uint32_t col;
  double p_lo, p_hi;
};

// Columns are pairs (x, c_i), col = x·K + i; entries are (pair, action).
struct Table {
  std::vector<std::size_t> col_entry;  // first entry of each column; S·K + 1
  std::vector<double> q_const, mean_const;
  std::vector<std::size_t> entry_lookup;  // first look-up of each entry; entries + 1
  std::vector<Lookup> lookups;
  // Columns in the closed-form region: no entries, fixed value, mean and action.
  std::vector<char> closed;
  arma::vec closed_value, closed_mean;
  std::vector<arma::uword> closed_action;
  arma::uword clamped = 0, rounded = 0;
};

class TableBuilder {
 public:
  explicit TableBuilder(const SolutionData& s) : s_(s), A_(s.property.a), B_(s.property.b) {}

  // The table of the step from time t to t + 1 (t = 0 without a horizon).
  Table build(arma::uword t, const Hooks& hooks) {
    const Mdp& mdp = s_.mdp;
    const arma::uword S = mdp.n_states(), K = s_.grid.size();
    Table tab;
    // Sizes known in advance (at most every pair inside the region): no growth by doubling,
    // whose spare capacity and copies would cost up to twice the table.
    std::size_t entries = 0, lookups = 0;
    for (arma::uword x = 0; x < S; ++x)
      for (arma::uword a = 0; a < mdp.n_actions(x); ++a) {
        ++entries;
        lookups += mdp.outcomes(x, a).size();
      }
    tab.q_const.reserve(entries * K);
    tab.mean_const.reserve(entries * K);
    tab.entry_lookup.reserve(entries * K + 1);
    tab.lookups.reserve(lookups * K);
    tab.col_entry.reserve(S * K + 1);
    tab.closed.assign(S * K, 0);
    tab.closed_value.zeros(S * K);
    tab.closed_mean.zeros(S * K);
    tab.closed_action.assign(S * K, 0);
    tab.entry_lookup.push_back(0);
    WorkClock clock(hooks, "stock grid", 1);
    for (arma::uword x = 0; x < S; ++x) {
      clock.tick();
      for (arma::uword i = 0; i < K; ++i) {
        tab.col_entry.push_back(tab.q_const.size());
        const double c = s_.grid.points()[i];
        const StockRegion r = s_.region(x, t, c);
        const arma::uword col = x * K + i;
        if (r != StockRegion::inside) {
          tab.closed[col] = 1;
          tab.closed_value[col] = s_.closed_value(x, t, c, r);
          tab.closed_mean[col] = s_.closed_mean(x, t, r);
          tab.closed_action[col] = s_.closed_action(x, t, r);
          continue;
        }
        for (arma::uword a = 0; a < mdp.n_actions(x); ++a) add_entry(tab, x, a, t, c);
      }
    }
    tab.col_entry.push_back(tab.q_const.size());
    return tab;
  }

 private:
  void add_entry(Table& tab, arma::uword x, arma::uword a, arma::uword t, double c) {
    const Mdp& mdp = s_.mdp;
    const arma::uword K = s_.grid.size(), H = mdp.horizon();
    const double gamma = mdp.gamma();
    double q = 0.0, mean = 0.0;
    end_r_.clear();
    end_p_.clear();
    for (const Outcome& o : mdp.outcomes(x, a)) {
      mean += o.prob * o.reward;
      if (o.next == kTerminal || (H > 0 && t + 1 == H)) {
        end_r_.push_back(o.reward);
        end_p_.push_back(o.prob);
        continue;
      }
      const double cn = (c + o.reward) / gamma;
      const StockRegion r = s_.region(o.next, t + 1, cn);
      if (r != StockRegion::inside) {
        q += o.prob * (A_ * s_.closed_value(o.next, t + 1, cn, r) + B_);
        mean += o.prob * gamma * s_.closed_mean(o.next, t + 1, r);
        continue;
      }
      q += o.prob * B_;
      const StockGrid::Position pos = s_.grid.locate(cn);
      const std::uint32_t base = static_cast<std::uint32_t>(o.next * K);
      if (pos.outside) {
        ++tab.clamped;
        const arma::vec& g = s_.grid.points();
        const double w = (cn - g[pos.lower]) / (g[pos.lower + 1] - g[pos.lower]);
        tab.lookups.push_back({base + static_cast<std::uint32_t>(pos.lower), o.prob * (1.0 - w),
                               o.prob * w});
        continue;
      }
      if (s_.options.rounding == Rounding::nearest) {
        const arma::uword j = pos.upper_weight > 0.5 ? pos.lower + 1 : pos.lower;
        tab.lookups.push_back({base + static_cast<std::uint32_t>(j), o.prob, 0.0});
        continue;
      }
      const double w = pos.upper_weight;
      tab.rounded += w > 0.0 && w < 1.0;
      tab.lookups.push_back({base + static_cast<std::uint32_t>(pos.lower), o.prob * (1.0 - w),
                             o.prob * w});
    }
    // One call for all endings: custom (R) utilities are called on vectors.
    if (!end_r_.empty())
      q += s_.objective.expected(end_r_.data(), end_p_.data(), end_r_.size(), c, 1.0);
    tab.q_const.push_back(q);
    tab.mean_const.push_back(mean);
    tab.entry_lookup.push_back(tab.lookups.size());
  }

  const SolutionData& s_;
  const double A_, B_;
  std::vector<double> end_r_, end_p_;
};

// Values V and expected returns M of one iterate; one spare element so that a look-up
// p_hi·X[col + 1] with p_hi = 0 never reads outside.
struct Iterate {
  arma::vec V, M;
  explicit Iterate(arma::uword n) : V(n + 1, arma::fill::zeros), M(n + 1, arma::fill::zeros) {}
};

class ScalarSweeper {
 public:
  ScalarSweeper(const SolutionData& s, const Table& tab)
      : s_(s), tab_(tab), A_(s.property.a), gamma_(s.mdp.gamma()), n_(s.n_states() * s.grid.size()) {}

  struct Result {
    double residual = 0.0;
    arma::uword changed = 0;
  };

  // One Jacobi sweep from `from` into `to`. greedy: choose actions (the incumbent wins
  // ties when use_incumbent); otherwise apply policy[].
  Result sweep(const Iterate& from, Iterate& to, arma::uword* policy, bool greedy,
               bool use_incumbent, WorkClock& clock, double progress) const {
    Result res;
    const arma::uword K = s_.grid.size();
    for (arma::uword col = 0; col < n_; ++col) {
      if (col % K == 0) clock.tick(progress);
      if (tab_.closed[col]) {
        to.V[col] = tab_.closed_value[col];
        to.M[col] = tab_.closed_mean[col];
        res.changed += policy[col] != tab_.closed_action[col];
        policy[col] = tab_.closed_action[col];
      } else {
        choose(col, from, to, policy, greedy, use_incumbent, &res.changed);
      }
      res.residual = std::max({res.residual, std::fabs(to.V[col] - from.V[col]),
                               std::fabs(to.M[col] - from.M[col])});
    }
    return res;
  }

 private:
  void q_value(std::size_t e, const Iterate& it, double* v, double* mean) const {
    double sv = 0.0, sm = 0.0;
    for (std::size_t l = tab_.entry_lookup[e]; l < tab_.entry_lookup[e + 1]; ++l) {
      const Lookup& k = tab_.lookups[l];
      sv += k.p_lo * it.V[k.col] + k.p_hi * it.V[k.col + 1];
      double m_lo = k.p_lo, m_hi = k.p_hi;  // beyond the grid: the end point's mean
      if (m_lo < 0.0) {
        m_hi += m_lo;
        m_lo = 0.0;
      } else if (m_hi < 0.0) {
        m_lo += m_hi;
        m_hi = 0.0;
      }
      sm += m_lo * it.M[k.col] + m_hi * it.M[k.col + 1];
    }
    *v = tab_.q_const[e] + A_ * sv;
    *mean = tab_.mean_const[e] + gamma_ * sm;
  }

  void choose(arma::uword col, const Iterate& from, Iterate& to, arma::uword* policy, bool greedy,
              bool use_incumbent, arma::uword* changed) const {
    const std::size_t first = tab_.col_entry[col], n_actions = tab_.col_entry[col + 1] - first;
    const arma::uword incumbent = policy[col];
    double best = 0.0, best_mean = 0.0;
    arma::uword best_a = incumbent;
    if (!greedy) {
      q_value(first + incumbent, from, &best, &best_mean);
    } else {
      const double tie = s_.options.tie_tolerance;
      for (arma::uword a = 0; a < n_actions; ++a) {
        double v = 0.0, mean = 0.0;
        q_value(first + a, from, &v, &mean);
        bool take = a == 0;
        if (!take) {
          const double tol = tie * (1.0 + std::fabs(best));
          take = v > best + tol;
          if (!take && std::fabs(v - best) <= tol) {
            if (use_incumbent && best_a == incumbent) take = false;
            else if (use_incumbent && a == incumbent) take = true;
            else take = mean > best_mean + tie * (1.0 + std::fabs(best_mean));
          }
        }
        if (take) {
          best = v;
          best_mean = mean;
          best_a = a;
        }
      }
      fail_if<numerical_error>(!std::isfinite(best), "ddp::solve", "the objective is not finite "
                               "at state '", s_.mdp.state_label(col / s_.grid.size()),
                               "' with stock ", s_.grid.points()[col % s_.grid.size()]);
      *changed += best_a != incumbent;
      policy[col] = best_a;
    }
    to.V[col] = best;
    to.M[col] = best_mean;
  }

  const SolutionData& s_;
  const Table& tab_;
  const double A_, gamma_;
  const arma::uword n_;
};

// V_0 = f(c) (the law δ_0 judged at each stock), M_0 = 0.
Iterate start_iterate(const SolutionData& s) {
  const arma::uword S = s.n_states(), K = s.grid.size();
  Iterate it(S * K);
  for (arma::uword x = 0; x < S; ++x)
    for (arma::uword i = 0; i < K; ++i) it.V[x * K + i] = s.objective.utility(s.grid.points()[i]);
  return it;
}

// Share of value iteration done: the change shrinks geometrically from `first` to tol.
double vi_progress(double first, double residual, double tol) {
  if (!(first > tol) || !(residual > 0.0)) return -1.0;
  return std::min(0.99, std::max(0.0, std::log(first / residual) / std::log(first / tol)));
}

void finish(SolutionData& s, Iterate& it, const Table& tab) {
  const arma::uword n = s.n_states() * s.grid.size();
  s.values = it.V.head(n);
  s.means = it.M.head(n);
  s.clamped = tab.clamped;
  s.rounded = tab.rounded;
}

void backward(SolutionData& s, const Hooks& hooks) {
  const arma::uword H = s.mdp.horizon(), n = s.n_states() * s.grid.size();
  Iterate cur = start_iterate(s), next(n);
  Table tab;
  WorkClock clock(hooks, "backward induction", 1);
  for (arma::uword k = 0; k < H; ++k) {
    const arma::uword t = H - 1 - k;
    tab = TableBuilder(s).build(t, hooks);
    ScalarSweeper(s, tab).sweep(cur, next, s.policy.data() + t * n, true, false, clock,
                                static_cast<double>(k) / H);
    std::swap(cur, next);
  }
  clock.done();
  s.iterations = s.sweeps = H;
  s.converged = true;
  s.residual = 0.0;
  finish(s, cur, tab);
}

void value_iteration(SolutionData& s, const Table& tab, const Hooks& hooks) {
  const SolveOptions& opt = s.options;
  const ScalarSweeper sweeper(s, tab);
  Iterate cur = start_iterate(s), next(s.n_states() * s.grid.size());
  WorkClock clock(hooks, "value iteration", 1);
  double first = 0.0, progress = -1.0;
  for (arma::uword k = 1; k <= opt.max_iterations; ++k) {
    const auto r = sweeper.sweep(cur, next, s.policy.data(), true, k > 1, clock, progress);
    std::swap(cur, next);
    s.iterations = s.sweeps = k;
    s.residual = r.residual;
    if (k == 1) first = r.residual;
    progress = vi_progress(first, r.residual, opt.tolerance);
    if (r.residual <= opt.tolerance) {
      s.converged = true;
      break;
    }
  }
  clock.done();
  finish(s, cur, tab);
}

void policy_iteration(SolutionData& s, const Table& tab, const Hooks& hooks) {
  const SolveOptions& opt = s.options;
  const ScalarSweeper sweeper(s, tab);
  Iterate cur = start_iterate(s), next(s.n_states() * s.grid.size());
  WorkClock clock(hooks, "policy iteration", 1);
  auto step = [&](bool greedy, bool incumbent) {
    const auto r = sweeper.sweep(cur, next, s.policy.data(), greedy, incumbent, clock,
                                 static_cast<double>(s.iterations) / opt.max_iterations);
    std::swap(cur, next);
    ++s.sweeps;
    s.residual = r.residual;
    return r;
  };
  step(true, false);  // greedy start from V_0
  while (true) {
    for (arma::uword e = 0; e < 1000000; ++e)
      if (step(false, false).residual <= opt.tolerance) break;
    const auto r = step(true, true);
    ++s.iterations;
    if (r.changed == 0) {
      s.converged = r.residual <= opt.tolerance;
      break;
    }
    if (s.iterations >= opt.max_iterations) break;
  }
  clock.done();
  finish(s, cur, tab);
}

}  // namespace

void solve_grid(SolutionData& s, const Hooks& hooks) {
  const arma::uword S = s.n_states(), K = s.grid.size(), H = s.mdp.horizon();
  fail_if(static_cast<double>(S) * K >= static_cast<double>(std::numeric_limits<std::uint32_t>::max()),
          "ddp::solve", "the stock grid has ", S * K, " (state, stock) pairs; lower {stock_points}");
  s.layers = H > 0 ? H : 1;
  s.policy.assign(s.layers * S * K, 0);
  if (H > 0) return backward(s, hooks);
  const Table tab = TableBuilder(s).build(0, hooks);
  if (s.options.algorithm == Algorithm::value_iteration) value_iteration(s, tab, hooks);
  else policy_iteration(s, tab, hooks);
  if (!s.converged)
    hooks.warn(rddist::detail::concat("not converged after ", s.iterations,
                                      " iterations (last change of a value ", s.residual,
                                      " > {tolerance=", s.options.tolerance, "}",
                                      "); raise {max_iterations} or {tolerance}"));
}

}  // namespace detail
}  // namespace ddp
}  // namespace rddist
