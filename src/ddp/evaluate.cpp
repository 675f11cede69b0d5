// evaluate.cpp — exact and Monte Carlo evaluation of a policy with the true stock, and
// distributional evaluation of stock-blind policies (doc/ddp.md §3, §4).
//
// Exact evaluation pushes probability forward through the (state, time, stock) nodes the
// policy reaches, stage by stage (times, or states in topological order), and collects the
// returns of the paths as they end: memory follows the widest stage and the returns, not
// one law per node (a chain of 1,000 binary steps has 500,000 nodes and laws of up to
// 1,000 atoms). Returns equal within merge_tolerance are one atom. Monte Carlo draws outcomes by inverting
// the cumulative probabilities with uniforms from the seeded generator of rng.h. Stock-blind
// evaluation iterates the projected operator Π T^π, a contraction in sup-W1 for both
// projections (categorical: the projected CDF is the cell average of the CDF; quantile: a
// non-expansion in W∞ ≥ W1 on the image), so the residual bounds the distance to the
// fixed point by residual·γ/(1 − γ).
#include "rddist/ddp/evaluate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "rddist/error.h"
#include "internal.h"
#include "rddist/rng.h"
#include "work_clock.h"

namespace rddist {
namespace ddp {
namespace {

// The policy's action, checked.
arma::uword checked_action(const Mdp& mdp, const PolicyFunction& policy, arma::uword x, double c,
                           arma::uword t, const char* where) {
  const arma::uword a = policy(x, c, t);
  fail_if(a >= mdp.n_actions(x), where, "the policy chose action index ", a, " in state '",
          mdp.state_label(x), "', which has ", mdp.n_actions(x), " actions");
  return a;
}

// The stock after reward r, (c + r)/γ, for runs with the true stock. It grows like γ^-t
// along long episodes and would overflow; beyond ±max/4 (far outside every grid and
// closed-form boundary, as returns stay below max/1024, see return_bounds) every decision
// of a solution is that at the cap, so the stock stops there.
double next_stock(double c, double r, double gamma) {
  constexpr double kCap = std::numeric_limits<double>::max() / 4.0;
  return std::clamp((c + r) / gamma, -kCap, kCap);
}

}  // namespace

namespace {

// Probability arriving at a (state, stock) node of the forward pass, with the partial
// return g = Σ_{s<t} γ^s R_{s+1} of the paths that brought it and γ^t. Without a horizon an
// acyclic MDP can reach the same (state, stock) after different numbers of steps; their
// partial returns differ (g = γ^t·c − c_0), so each time keeps its own share.
struct Arrival {
  arma::uword t = 0;
  double mass = 0.0, g = 0.0, disc = 1.0;
};

// The nodes of one state: stocks within the tolerance are one node.
class StockNodes {
 public:
  explicit StockNodes(double tolerance) : tol_(tolerance) {}
  // The node at stock c, created if absent (created = true).
  std::vector<Arrival>& at(double c, bool* created) {
    const double tol = tol_ * std::max(1.0, std::fabs(c));
    auto it = nodes_.lower_bound(c - tol);
    *created = !(it != nodes_.end() && it->first <= c + tol);
    if (*created) it = nodes_.emplace_hint(it, c, std::vector<Arrival>());
    return it->second;
  }
  std::map<double, std::vector<Arrival>>& all() { return nodes_; }

 private:
  double tol_;
  std::map<double, std::vector<Arrival>> nodes_;
};

void add_arrival(std::vector<Arrival>& list, const Arrival& a) {
  for (Arrival& b : list)
    if (b.t == a.t) {
      b.mass += a.mass;
      return;
    }
  list.push_back(a);
}

}  // namespace

namespace detail {

ForwardPass forward_pass(const Mdp& mdp, const PolicyFunction& policy, arma::uword start_state,
                         arma::uword t0, double start_stock, arma::uword max_nodes,
                         double merge_tolerance, const Hooks& hooks, const StopRule& stop) {
  const char* where = "evaluate_exact";
  const arma::uword S = mdp.n_states(), H = mdp.horizon();
  const double gamma = mdp.gamma();
  WorkClock clock(hooks, "exact evaluation", 16);
  // Stages in which every node's probability is complete before it is passed on: times
  // with a horizon (two layers kept), states in topological order without. A stage's
  // nodes are freed once processed, so memory follows the widest stage, not the tree.
  const arma::uword stages = H > 0 ? H : S;
  std::vector<StockNodes> pending(H > 0 ? 2 * S : S, StockNodes(merge_tolerance));
  auto slot = [&](arma::uword x, arma::uword t) -> StockNodes& {
    return pending[H > 0 ? (t % 2) * S + x : x];
  };
  ForwardPass out;
  out.nodes = 1;
  bool created = false;
  slot(start_state, t0).at(start_stock, &created).push_back({H > 0 ? 0 : t0, 1.0, 0.0, 1.0});
  const arma::uword first = H > 0 ? t0 : 0;
  for (arma::uword stage = first; stage < stages; ++stage) {
    for (arma::uword i = 0; i < (H > 0 ? S : 1); ++i) {
      const arma::uword x = H > 0 ? i : mdp.topological_order()[stage];
      const arma::uword t = H > 0 ? stage : 0;
      StockNodes& here = slot(x, t);
      for (auto& [c, arrivals] : here.all()) {
        clock.tick(static_cast<double>(stage) / stages);
        if (stop && stop(x, t, c)) {
          for (const Arrival& in : arrivals)
            out.stopped.push_back({x, H > 0 ? t : in.t, c, in.mass, in.g, in.disc});
          continue;
        }
        const arma::uword a = checked_action(mdp, policy, x, c, t, where);
        for (const Outcome& o : mdp.outcomes(x, a))
          for (const Arrival& in : arrivals) {
            const Arrival next{in.t + 1, in.mass * o.prob, in.g + in.disc * o.reward,
                               in.disc * gamma};
            if (o.next == kTerminal || (H > 0 && t + 1 == H)) {
              out.z.push_back(next.g);
              out.p.push_back(next.mass);
              continue;
            }
            std::vector<Arrival>& list = slot(o.next, H > 0 ? t + 1 : 0)
                                             .at(next_stock(c, o.reward, gamma), &created);
            if (created) {
              fail_if<data_error>(++out.nodes > max_nodes, where, "the policy reaches more "
                                  "than ", max_nodes, " (state, time, stock) nodes; use Monte "
                                  "Carlo evaluation ({evaluation=monte_carlo})");
            }
            add_arrival(list, H > 0 ? Arrival{0, next.mass, next.g, next.disc} : next);
          }
      }
      here = StockNodes(merge_tolerance);
    }
  }
  clock.done();
  return out;
}

}  // namespace detail

ExactEvaluation evaluate_exact(const Mdp& mdp, const PolicyFunction& policy,
                               const Objective& objective, arma::uword start_state,
                               double start_stock, arma::uword max_nodes, double merge_tolerance,
                               const Hooks& hooks) {
  const char* where = "evaluate_exact";
  fail_if(!policy, where, "the policy is empty");
  require(mdp.has_horizon() || mdp.acyclic(), "evaluation",
          "exact evaluation needs a horizon or an acyclic MDP; use Monte Carlo evaluation "
          "({evaluation=monte_carlo})");
  fail_if(start_state >= mdp.n_states(), where, "start state index ", start_state,
          " is out of range");
  fail_if(!std::isfinite(start_stock), where, "the start stock must be finite");
  const detail::ForwardPass pass = detail::forward_pass(mdp, policy, start_state, 0, start_stock,
                                                        max_nodes, merge_tolerance, hooks);
  ExactEvaluation out;
  out.returns = merge_atoms(Distribution(arma::vec(pass.z), arma::vec(pass.p), where),
                            merge_tolerance);
  out.value = objective.evaluate(out.returns, start_stock);
  out.nodes = pass.nodes;
  return out;
}

double scaled_stddev(const arma::vec& v) {
  const double scale = v.n_elem ? arma::abs(v).max() : 0.0;
  if (!(scale > 0.0) || !std::isfinite(scale)) return scale > 0.0 ? scale : 0.0;
  return arma::stddev(v / scale) * scale;
}

MonteCarloEvaluation evaluate_monte_carlo(const Mdp& mdp, const PolicyFunction& policy,
                                          const Objective& objective, arma::uword start_state,
                                          double start_stock, const MonteCarloOptions& options,
                                          const Hooks& hooks) {
  const char* where = "evaluate_monte_carlo";
  fail_if(!policy, where, "the policy is empty");
  require(options.episodes >= 40, "episodes", "use at least 40 episodes (got {episodes=",
          options.episodes, "})");
  fail_if(start_state >= mdp.n_states(), where, "start state index ", start_state,
          " is out of range");
  fail_if(!std::isfinite(start_stock), where, "the start stock must be finite");
  const double gamma = mdp.gamma();
  arma::uword steps = options.max_steps;
  if (mdp.has_horizon()) {
    steps = mdp.horizon();
  } else if (steps == 0) {
    if (gamma < 1.0) {
      const ReturnBounds b = return_bounds(mdp, where, hooks);
      const double size = std::max(std::fabs(b.min()), std::fabs(b.max()));
      const double target = 1e-12 * (1.0 + b.max() - b.min());
      steps = size <= target ? 1
                             : static_cast<arma::uword>(
                                   std::ceil(std::log(target / size) / std::log(gamma))) + 1;
    } else {
      steps = 10000000;  // every policy terminates (checked by Mdp); a safety cap
    }
  }
  MonteCarloEvaluation out;
  out.seed = options.seed;
  out.max_steps = steps;
  out.returns.set_size(options.episodes);
  RandomStream rng(options.seed, 0);
  detail::WorkClock clock(hooks, "Monte Carlo evaluation", 256);
  for (arma::uword e = 0; e < options.episodes; ++e) {
    arma::uword x = start_state;
    double c = start_stock, G = 0.0, disc = 1.0;
    bool ended = false;
    for (arma::uword t = 0; t < steps; ++t) {
      clock.tick(static_cast<double>(e) / options.episodes);
      const arma::uword a =
          checked_action(mdp, policy, x, c, mdp.has_horizon() ? t : 0, where);
      const auto& outs = mdp.outcomes(x, a);
      const double u = rng.uniform();
      double cum = 0.0;
      arma::uword k = 0;
      for (; k + 1 < outs.size(); ++k) {
        cum += outs[k].prob;
        if (u < cum) break;
      }
      const Outcome& o = outs[k];
      G += disc * o.reward;
      disc *= gamma;
      c = next_stock(c, o.reward, gamma);
      if (o.next == kTerminal) {
        ended = true;
        break;
      }
      x = o.next;
    }
    if (!ended && !mdp.has_horizon()) ++out.truncated;
    out.returns[e] = G;
  }
  clock.done();
  const arma::uword n = options.episodes;
  if (objective.expected_utility()) {
    arma::vec f(n);
    for (arma::uword e = 0; e < n; ++e) f[e] = objective.utility(start_stock + out.returns[e]);
    out.value = arma::mean(f);
    out.std_error = scaled_stddev(f) / std::sqrt(static_cast<double>(n));
  } else {
    const arma::vec w(n, arma::fill::value(1.0 / n));
    out.value = objective.evaluate(out.returns.memptr(), w.memptr(), n, start_stock);
    // Batch means: 20 batches of (almost) equal size.
    const arma::uword B = 20;
    arma::vec vb(B);
    for (arma::uword b = 0; b < B; ++b) {
      const arma::uword lo = b * n / B, hi = (b + 1) * n / B;
      const arma::vec wb(hi - lo, arma::fill::value(1.0 / (hi - lo)));
      vb[b] = objective.evaluate(out.returns.memptr() + lo, wb.memptr(), hi - lo, start_stock);
    }
    out.std_error = scaled_stddev(vb) / std::sqrt(static_cast<double>(B));
  }
  fail_if<numerical_error>(!std::isfinite(out.value), where, "the objective of the simulated "
                           "returns is not finite");
  return out;
}

StockBlindLaws evaluate_stock_blind(const Mdp& mdp, const arma::umat& actions,
                                    Representation rep, const CategoricalSupport& support,
                                    arma::uword m, double tolerance, arma::uword max_iterations,
                                    double merge_tolerance, const Hooks& hooks) {
  const char* where = "evaluate_stock_blind";
  const arma::uword S = mdp.n_states(), H = mdp.horizon();
  const double gamma = mdp.gamma();
  fail_if(actions.n_rows != S || actions.n_cols != (H > 0 ? H : 1), where, "the action table is ",
          actions.n_rows, " x ", actions.n_cols, "; it must be ", S, " x ", (H > 0 ? H : 1));
  for (arma::uword t = 0; t < actions.n_cols; ++t)
    for (arma::uword x = 0; x < S; ++x)
      fail_if(actions(x, t) >= mdp.n_actions(x), where, "action index ", actions(x, t),
              " is out of range in state '", mdp.state_label(x), "'");
  fail_if(rep != Representation::exact && m < (rep == Representation::categorical ? 2u : 1u),
          where, "too few atoms");
  detail::WorkClock clock(hooks, "stock-blind evaluation");
  StockBlindLaws out;
  out.n_states = S;
  out.n_times = H > 0 ? H + 1 : 1;
  out.laws.assign(S * out.n_times, Distribution());
  std::vector<double> z, p;
  // One backward step: the law at (x, t) from the laws at t + 1 (or the same t, acyclic).
  auto backup = [&](arma::uword x, arma::uword t, arma::uword tn) {
    clock.tick();
    z.clear();
    p.clear();
    for (const Outcome& o : mdp.outcomes(x, actions(x, H > 0 ? t : 0))) {
      static const Distribution kZero;
      const Distribution& child =
          o.next == kTerminal || (H > 0 && tn == H) ? kZero : out.at(o.next, tn);
      for (arma::uword i = 0; i < child.size(); ++i) {
        z.push_back(o.reward + gamma * child.atoms()[i]);
        p.push_back(o.prob * child.probs()[i]);
      }
    }
    out.laws[x + S * t] = project(Distribution(arma::vec(z), arma::vec(p), where), rep, support, m,
                                  merge_tolerance);
  };
  if (H > 0) {
    for (arma::uword t = H; t-- > 0;)
      for (arma::uword x = 0; x < S; ++x) backup(x, t, t + 1);
    out.iterations = H;
    return out;
  }
  if (mdp.acyclic()) {
    const auto& topo = mdp.topological_order();
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) backup(*it, 0, 0);
    out.iterations = 1;
    return out;
  }
  fail_if(rep == Representation::exact, where,
          "the exact representation needs a horizon or an acyclic MDP (the return law of a "
          "cyclic MDP has infinitely many atoms); use the categorical or quantile representation");

  // Iterate Π T^π on m × S columns.
  const bool cat = rep == Representation::categorical;
  const arma::vec satoms = support.atoms(), uniform(m, arma::fill::value(1.0 / m));
  arma::mat cur(m, S), next(m, S);
  {
    // δ_0: all quantile atoms at 0, or its Cramér projection.
    arma::vec col(m, arma::fill::zeros);
    if (cat) {
      const double zero = 0.0, one = 1.0;
      add_categorical_projection(&zero, &one, 1, 1.0, 0.0, 1.0, support, col.memptr());
    }
    cur.each_col() = col;
  }
  std::vector<std::pair<double, double>> pairs;
  out.converged = false;
  for (arma::uword k = 1; k <= max_iterations; ++k) {
    double residual = 0.0;
    for (arma::uword x = 0; x < S; ++x) {
      clock.tick();
      double* col = next.colptr(x);
      const auto& outs = mdp.outcomes(x, actions(x, 0));
      if (cat) {
        std::fill(col, col + m, 0.0);
        for (const Outcome& o : outs) {
          if (o.next == kTerminal) {
            const double zero = 0.0, one = 1.0;
            add_categorical_projection(&zero, &one, 1, o.prob, o.reward, gamma, support, col);
          } else {
            add_categorical_projection(satoms.memptr(), cur.colptr(o.next), m, o.prob, o.reward,
                                       gamma, support, col);
          }
        }
        double gap = 0.0, acc = 0.0;
        for (arma::uword j = 0; j + 1 < m; ++j) {
          gap += col[j] - cur(j, x);
          acc += std::fabs(gap);
        }
        residual = std::max(residual, acc * support.spacing());
      } else {
        pairs.clear();
        for (const Outcome& o : outs) {
          if (o.next == kTerminal) {
            pairs.emplace_back(o.reward, o.prob);
          } else {
            for (arma::uword j = 0; j < m; ++j)
              pairs.emplace_back(o.reward + gamma * cur(j, o.next), o.prob / m);
          }
        }
        std::sort(pairs.begin(), pairs.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        z.resize(pairs.size());
        p.resize(pairs.size());
        for (std::size_t j = 0; j < pairs.size(); ++j) {
          z[j] = pairs[j].first;
          p[j] = pairs[j].second;
        }
        quantile_locations(z.data(), p.data(), z.size(), m, col);
        double acc = 0.0;
        for (arma::uword j = 0; j < m; ++j) acc += std::fabs(col[j] - cur(j, x));
        residual = std::max(residual, acc / m);
      }
    }
    std::swap(cur, next);
    out.iterations = k;
    out.residual = residual;
    if (residual <= tolerance) {
      out.converged = true;
      break;
    }
  }
  if (!out.converged)
    hooks.warn(rddist::detail::concat("the stock-blind evaluation did not converge after ",
                                      max_iterations, " iterations (last W1 change ",
                                      out.residual, "); raise {max_iterations}"));
  for (arma::uword x = 0; x < S; ++x) {
    if (cat)
      out.laws[x] = Distribution(satoms, cur.col(x), where);
    else
      out.laws[x] = Distribution(cur.col(x), uniform, where);
  }
  return out;
}

}  // namespace ddp
}  // namespace rddist
