// ddp_solver_exact.cpp — greedy backward induction over the exactly enumerated
// (state, time, stock) nodes reachable from the start (doc/ddp.md §2, §4: "finite horizon /
// acyclic MDP with a given c_0: enumerate the reachable (x, t, c) exactly").
//
// Stocks evolve as c' = (c + r)/γ; two stocks closer than merge_tolerance·max(1, |c|) are
// one node. Without a horizon (acyclic MDP) the problem is stationary and a node is keyed
// by (state, stock) only; nodes are then solved in reverse topological order of their
// states, with a horizon in decreasing time. Stocks in the closed-form region (stock.h)
// are not expanded: the expected-return policy and its law are used there. Each node's
// greedy choice is made on the unprojected mixture Σ p·law(r + γG'), whose law is then
// projected onto the representation.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "internal.h"
#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace detail {

bool solve_exact(SolutionData& s, const Hooks& hooks) {
  const Mdp& mdp = s.mdp;
  const arma::uword S = mdp.n_states(), H = mdp.horizon();
  const double gamma = mdp.gamma();
  const arma::uword x0 = *s.options.start_state;
  const double c0 = s.options.start_stock;
  s.index.assign(S * (H > 0 ? H + 1 : 1), {});
  s.nodes.clear();

  auto add = [&](arma::uword x, arma::uword t, double c) {
    Node n;
    n.state = x;
    n.time = s.time_key(t);
    n.stock = c;
    s.index[x + S * n.time].emplace(c, s.nodes.size());
    s.nodes.push_back(std::move(n));
    return s.nodes.size() - 1;
  };

  const StockRegion root_region = s.region(x0, 0, c0);
  s.root = add(x0, 0, c0);
  if (root_region != StockRegion::inside) {
    Node& r = s.nodes[s.root];
    r.closed = true;
    r.action = s.closed_action(x0, 0, root_region);
    r.law = s.closed_law(x0, 0, root_region);
    s.iterations = s.sweeps = 0;
    s.converged = true;
    return true;
  }

  // Breadth-first enumeration of the reachable nodes.
  for (arma::uword k = 0; k < s.nodes.size(); ++k) {
    if (k % 4096 == 0) hooks.poll();
    const arma::uword x = s.nodes[k].state, t = s.nodes[k].time;
    const double c = s.nodes[k].stock;
    for (arma::uword a = 0; a < mdp.n_actions(x); ++a)
      for (const Outcome& o : mdp.outcomes(x, a)) {
        if (o.next == kTerminal || (H > 0 && t + 1 == H)) continue;
        const double cn = (c + o.reward) / gamma;
        if (s.region(o.next, t + 1, cn) != StockRegion::inside) continue;
        if (s.find_node(o.next, t + 1, cn) < s.nodes.size()) continue;
        add(o.next, t + 1, cn);
        if (s.nodes.size() > s.options.max_nodes) {
          s.nodes.clear();
          s.index.clear();
          return false;
        }
      }
  }

  // Children before parents.
  std::vector<arma::uword> rank(S, 0);
  if (H == 0) {
    const auto& topo = mdp.topological_order();
    for (arma::uword i = 0; i < topo.size(); ++i) rank[topo[i]] = i;
  }
  std::vector<arma::uword> order(s.nodes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](arma::uword a, arma::uword b) {
    const Node &na = s.nodes[a], &nb = s.nodes[b];
    return H > 0 ? na.time > nb.time : rank[na.state] > rank[nb.state];
  });

  static const Distribution kZero;  // δ_0 after termination or at the horizon
  std::vector<double> z, p, best_z, best_p;
  arma::uword done = 0;
  for (const arma::uword k : order) {
    if (++done % 1024 == 0) {
      hooks.poll();
      hooks.report("exact stock enumeration", static_cast<double>(done) / order.size());
    }
    const arma::uword x = s.nodes[k].state, t = s.nodes[k].time;
    const double c = s.nodes[k].stock;
    double best = 0.0, best_mean = 0.0;
    arma::uword best_a = 0;
    for (arma::uword a = 0; a < mdp.n_actions(x); ++a) {
      z.clear();
      p.clear();
      double mean = 0.0;
      for (const Outcome& o : mdp.outcomes(x, a)) {
        const Distribution* child = &kZero;
        if (o.next != kTerminal && !(H > 0 && t + 1 == H)) {
          const double cn = (c + o.reward) / gamma;
          const StockRegion r = s.region(o.next, t + 1, cn);
          if (r != StockRegion::inside) {
            child = &s.closed_law(o.next, t + 1, r);
          } else {
            const arma::uword j = s.find_node(o.next, t + 1, cn);
            fail_if<numerical_error>(j == s.nodes.size(), "ddp::solve",
                                     "internal error: a reachable stock was not enumerated");
            child = &s.nodes[j].law;
          }
        }
        for (arma::uword i = 0; i < child->size(); ++i) {
          z.push_back(o.reward + gamma * child->atoms()[i]);
          p.push_back(o.prob * child->probs()[i]);
        }
        mean += o.prob * (o.reward + gamma * child->mean());
      }
      const double v = s.objective.evaluate(z.data(), p.data(), z.size(), c);
      fail_if<numerical_error>(!std::isfinite(v), "ddp::solve", "the objective is not finite at "
                               "state '", mdp.state_label(x), "' with stock ", c);
      const double tol = s.options.tie_tolerance * (1.0 + std::fabs(best));
      const bool better = a == 0 || v > best + tol ||
                          (std::fabs(v - best) <= tol && mean > best_mean + tol);
      if (better) {
        best = v;
        best_mean = mean;
        best_a = a;
        best_z.swap(z);
        best_p.swap(p);
      }
    }
    Node& node = s.nodes[k];
    node.action = best_a;
    node.law = project(Distribution(arma::vec(best_z), arma::vec(best_p), "ddp::solve"), s.rep,
                       s.support, s.m, s.options.merge_tolerance);
  }
  s.iterations = H > 0 ? H : 1;
  s.sweeps = 1;
  s.converged = true;
  s.residual = 0.0;
  return true;
}

}  // namespace detail
}  // namespace ddp
}  // namespace rddist
