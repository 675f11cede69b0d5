// returns.cpp — the returns an MDP can produce: exact bounds and the achievable values
// (doc/ddp.md §1, §3–§5).
//
// Bounds of the return are needed for the categorical support and for the closed-form
// stock region (§3, §4); they are computed exactly because a loose bound would move
// support atoms or region boundaries off the values a user expects (e.g. the dyadic grids
// of example T8). Acyclic MDPs take one pass in reverse topological order. The achievable
// returns are the candidates of the CVaR and quantile searches (§5).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "rddist/ddp/mdp.h"
#include "rddist/error.h"
#include "work_clock.h"

namespace rddist {
namespace ddp {
namespace {

// Up to this many states linear systems are solved densely (exactly, O(S^2) memory);
// larger MDPs iterate instead, so that memory stays linear in S.
constexpr arma::uword kDenseStates = 200;

// Best (sign = +1) or worst (sign = −1) discounted path value from each state when the
// decision maker also chooses the outcome: the exact range of the return. Policy
// iteration on the choice of (action, outcome): evaluation solves (I − γP)v = r exactly.
arma::vec extreme_paths_discounted(const Mdp& mdp, double sign, detail::WorkClock& clock) {
  const arma::uword n = mdp.n_states();
  const double gamma = mdp.gamma();
  struct Choice {
    arma::uword a = 0, o = 0;
  };
  std::vector<Choice> choice(n);
  arma::vec v(n, arma::fill::zeros);
  // Start from the best immediate reward.
  for (arma::uword x = 0; x < n; ++x) {
    double best = -std::numeric_limits<double>::infinity();
    for (arma::uword a = 0; a < mdp.n_actions(x); ++a)
      for (arma::uword o = 0; o < mdp.outcomes(x, a).size(); ++o)
        if (sign * mdp.outcomes(x, a)[o].reward > best) {
          best = sign * mdp.outcomes(x, a)[o].reward;
          choice[x] = {a, o};
        }
  }
  const bool dense = n <= kDenseStates;
  for (int round = 0; round < 10000; ++round) {
    if (dense) {
      arma::mat A(n, n, arma::fill::eye);
      arma::vec r(n);
      for (arma::uword x = 0; x < n; ++x) {
        const Outcome& o = mdp.outcomes(x, choice[x].a)[choice[x].o];
        r[x] = o.reward;
        if (o.next != kTerminal) A(x, o.next) -= gamma;
      }
      const bool ok = arma::solve(v, A, r);
      fail_if<numerical_error>(!ok, "return_bounds", "the path-value system is singular");
    } else {
      // Large MDPs: value iteration on the chosen paths (a γ-contraction).
      for (int k = 0; k < 100000; ++k) {
        clock.tick();
        double change = 0.0;
        for (arma::uword x = 0; x < n; ++x) {
          const Outcome& o = mdp.outcomes(x, choice[x].a)[choice[x].o];
          const double nv = o.reward + (o.next == kTerminal ? 0.0 : gamma * v[o.next]);
          change = std::max(change, std::fabs(nv - v[x]));
          v[x] = nv;
        }
        if (change <= 1e-15 * (1.0 + arma::abs(v).max())) break;
      }
    }
    bool changed = false;
    for (arma::uword x = 0; x < n; ++x) {
      double best = sign * v[x];
      for (arma::uword a = 0; a < mdp.n_actions(x); ++a)
        for (arma::uword o = 0; o < mdp.outcomes(x, a).size(); ++o) {
          const Outcome& out = mdp.outcomes(x, a)[o];
          const double q = out.reward + (out.next == kTerminal ? 0.0 : gamma * v[out.next]);
          // Switch only on a clear improvement, so rounding cannot make the loop cycle.
          if (sign * q > best + 1e-12 * (1.0 + std::fabs(best))) {
            best = sign * q;
            choice[x] = {a, o};
            changed = true;
          }
        }
    }
    if (!changed) return v;
  }
  throw numerical_error("the path-value iteration did not settle", "return_bounds");
}

// γ = 1 without a horizon (every policy terminates): shortest/longest paths by
// Bellman–Ford; still improving after n rounds means a cycle with non-zero reward.
arma::vec extreme_paths_undiscounted(const Mdp& mdp, double sign, const char* where,
                                     detail::WorkClock& clock) {
  const arma::uword n = mdp.n_states();
  arma::vec v(n);
  v.fill(-std::numeric_limits<double>::infinity());
  for (arma::uword round = 0; round <= n + 1; ++round) {
    clock.tick();
    bool changed = false;
    for (arma::uword x = 0; x < n; ++x)
      for (arma::uword a = 0; a < mdp.n_actions(x); ++a)
        for (const Outcome& o : mdp.outcomes(x, a)) {
          const double tail = o.next == kTerminal ? 0.0 : v[o.next];
          if (!std::isfinite(tail)) continue;
          const double q = sign * o.reward + tail;
          if (q > v[x] + 1e-12 * (1.0 + std::fabs(q))) {
            v[x] = q;
            changed = true;
          }
        }
    if (!changed) return sign * v;
    fail_if<data_error>(round == n + 1, where,
                        "with gamma = 1 the returns of this MDP are unbounded (a cycle of ",
                        "possible transitions has non-zero total reward); give a horizon or a "
                        "gamma below 1");
  }
  return sign * v;
}

// Acyclic MDPs without a horizon: every successor of a state comes later in the
// topological order, so one backward pass gives the exact extremes.
void acyclic_bounds(const Mdp& mdp, ReturnBounds& b, detail::WorkClock& clock) {
  const arma::uword n = mdp.n_states();
  b.lo.zeros(n, 1);
  b.hi.zeros(n, 1);
  const auto& topo = mdp.topological_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    clock.tick();
    const arma::uword x = *it;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (arma::uword a = 0; a < mdp.n_actions(x); ++a)
      for (const Outcome& o : mdp.outcomes(x, a)) {
        const bool stop = o.next == kTerminal;
        lo = std::min(lo, o.reward + (stop ? 0.0 : mdp.gamma() * b.lo(o.next, 0)));
        hi = std::max(hi, o.reward + (stop ? 0.0 : mdp.gamma() * b.hi(o.next, 0)));
      }
    b.lo(x, 0) = lo;
    b.hi(x, 0) = hi;
  }
}

// The largest |G| the solvers work with. They add a few returns and stocks and divide by
// γ (stocks (c + r)/γ, the support's width, the objective's test range), so returns must
// stay well below the largest double: this leaves a factor 2^-10 for that arithmetic.
double return_limit(const Mdp& mdp) {
  return std::numeric_limits<double>::max() / 1024.0 * mdp.gamma();
}

double largest_reward(const Mdp& mdp) {
  return std::max(std::fabs(mdp.min_reward()), std::fabs(mdp.max_reward()));
}

// A bound on |G| from the rewards alone: the largest |reward| times the steps that count,
// Σ_t γ^t up to the horizon (at most 1/(1 − γ)), or the states for γ = 1 without a horizon
// (the extreme paths of an MDP that surely ends visit each state at most once).
double crude_bound(const Mdp& mdp) {
  const double gamma = mdp.gamma(), h = static_cast<double>(mdp.horizon());
  double steps = gamma < 1.0 ? 1.0 / (1.0 - gamma) : static_cast<double>(mdp.n_states());
  if (mdp.has_horizon()) steps = gamma < 1.0 ? std::min(h, steps) : h;
  return largest_reward(mdp) * steps;
}

// Rewards so large that returns overflow, or come near the largest double, would give
// infinite supports and stocks deep inside the solvers: they are refused up front, first
// by the crude bound (before the exact range is computed, which could overflow), then by
// the exact range against return_limit.
void check_magnitude(const Mdp& mdp, const char* where) {
  const double crude = crude_bound(mdp);
  auto refuse = [&](const std::string& problem) {
    throw data_error(rddist::detail::concat(
                         "rewards up to |r| = ", largest_reward(mdp), " with gamma = ",
                         mdp.gamma(), mdp.has_horizon() ? " and a horizon" : "", problem,
                         "; rescale the rewards (divide them by a power of 10) and scale the "
                         "results back"),
                     where);
  };
  if (!(crude <= std::numeric_limits<double>::max() / 4.0))
    refuse(rddist::detail::concat(" can give returns beyond the largest double (|r| times ",
                                  "the sum of gamma^t over the steps is ", crude, ")"));
}

void check_range(const Mdp& mdp, const ReturnBounds& b, const char* where) {
  const double size = std::max(std::fabs(b.min()), std::fabs(b.max()));
  if (size <= return_limit(mdp)) return;
  throw data_error(rddist::detail::concat(
                       "rewards up to |r| = ", largest_reward(mdp), " give returns up to |G| = ",
                       size, ", too large for the solver's double precision arithmetic (it "
                       "needs |G| <= ", return_limit(mdp), " with gamma = ", mdp.gamma(),
                       "); rescale the rewards (divide them by a power of 10) and scale the "
                       "results back"),
                   where);
}

ReturnBounds compute_bounds(const Mdp& mdp, const char* where, const Hooks& hooks) {
  const arma::uword n = mdp.n_states();
  detail::WorkClock clock(hooks, "return bounds", 64);
  ReturnBounds b;
  if (mdp.has_horizon()) {
    const arma::uword h = mdp.horizon();
    b.lo.zeros(n, h + 1);
    b.hi.zeros(n, h + 1);
    for (arma::uword t = h; t-- > 0;)
      for (arma::uword x = 0; x < n; ++x) {
        clock.tick();
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (arma::uword a = 0; a < mdp.n_actions(x); ++a)
          for (const Outcome& o : mdp.outcomes(x, a)) {
            const bool stop = o.next == kTerminal;
            lo = std::min(lo, o.reward + (stop ? 0.0 : mdp.gamma() * b.lo(o.next, t + 1)));
            hi = std::max(hi, o.reward + (stop ? 0.0 : mdp.gamma() * b.hi(o.next, t + 1)));
          }
        b.lo(x, t) = lo;
        b.hi(x, t) = hi;
      }
    return b;
  }
  if (mdp.acyclic()) {
    acyclic_bounds(mdp, b, clock);
  } else if (mdp.gamma() < 1.0) {
    b.lo = extreme_paths_discounted(mdp, -1.0, clock);
    b.hi = extreme_paths_discounted(mdp, 1.0, clock);
  } else {
    b.lo = extreme_paths_undiscounted(mdp, -1.0, where, clock);
    b.hi = extreme_paths_undiscounted(mdp, 1.0, where, clock);
  }
  return b;
}

}  // namespace

ReturnBounds return_bounds(const Mdp& mdp, const char* where, const Hooks& hooks) {
  check_magnitude(mdp, where);
  const ReturnBounds b = compute_bounds(mdp, where, hooks);
  check_range(mdp, b, where);
  return b;
}


std::vector<double> achievable_returns(const Mdp& mdp, arma::uword x0, arma::uword cap,
                                       double merge_tolerance, const Hooks& hooks) {
  const arma::uword H = mdp.horizon();
  const double gamma = mdp.gamma();
  struct Node {
    arma::uword x, t;
    double g, d;  // partial return and γ^t
  };
  // Partial returns seen per (state, time); with γ = 1 and no horizon the time does not
  // matter (γ^t = 1), which keeps the enumeration of long acyclic chains small.
  const bool timeless = H == 0 && gamma == 1.0;
  std::unordered_map<arma::uword, std::map<double, char>> seen;
  auto key = [&](arma::uword x, arma::uword t) { return timeless ? x : x + mdp.n_states() * t; };
  std::vector<Node> nodes{{x0, 0, 0.0, 1.0}};
  std::vector<double> out;
  const arma::uword node_cap = 200 * cap + 10000;
  auto near = [&](const std::map<double, char>& m, double g) {
    const double tol = merge_tolerance * std::max(1.0, std::fabs(g));
    auto it = m.lower_bound(g - tol);
    return it != m.end() && it->first <= g + tol;
  };
  detail::WorkClock clock(hooks, "achievable returns", 16);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    clock.tick();
    const Node n = nodes[k];
    for (arma::uword a = 0; a < mdp.n_actions(n.x); ++a)
      for (const Outcome& o : mdp.outcomes(n.x, a)) {
        const double g = n.g + n.d * o.reward;
        if (o.next == kTerminal || (H > 0 && n.t + 1 == H)) {
          out.push_back(g);
          continue;
        }
        auto& m = seen[key(o.next, n.t + 1)];
        if (near(m, g)) continue;
        m.emplace(g, 0);
        nodes.push_back({o.next, n.t + 1, g, n.d * gamma});
        if (nodes.size() > node_cap) return {};
      }
    if (out.size() > 4 * node_cap) return {};
  }
  clock.done();
  std::sort(out.begin(), out.end());
  std::vector<double> distinct;
  for (double g : out)
    if (distinct.empty() || g - distinct.back() > merge_tolerance * std::max(1.0, std::fabs(g)))
      distinct.push_back(g);
  if (distinct.size() > cap) return {};
  return distinct;
}

}  // namespace ddp
}  // namespace rddist
