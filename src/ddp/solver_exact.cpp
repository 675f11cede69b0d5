// solver_exact.cpp — backward induction over the exactly enumerated (state, time, stock)
// nodes reachable from the start, and the laws reported from them (doc/ddp.md §2, §4:
// "episodes of bounded length from a given c_0: the reachable (x, t, c) are enumerated
// exactly").
//
// Stocks evolve as c' = (c + r)/γ; two stocks closer than merge_tolerance·max(1, |c|) are
// one node. Without a horizon (acyclic MDP) the problem is stationary and a node is keyed
// by (state, stock) only; nodes are solved children first (decreasing time, or reverse
// topological order of their states). Stocks in the closed-form region (stock.h) are not
// expanded: the expected-return policy is optimal there and E f(c + G) = piece(c + E G).
//
// Decisions. Expected utilities with the γ-property use the scalar recursion
//   V(x, c) = max_a Σ p·[a·V(x', c') + b],  and f(c + r) where the episode ends,
// on exact stocks: the values are exact (sums of products of the given numbers), and the
// representation plays no part. Forced objectives decide on the unprojected mixture
// Σ p·law(r + γG') of the projected child laws (the literal rule), which are kept.
//
// Reported laws: a forward pass (evaluate.cpp) pushes probability from the node through
// the policy's nodes — linear in their number — and collects the exact returns, which are
// then projected once onto the representation. When the pass would leave the enumerated
// nodes for more than max_nodes stocks of the closed-form region, it stops there and uses
// the expected-return laws in the representation instead (with a warning).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "internal.h"
#include "rddist/error.h"
#include "work_clock.h"

namespace rddist {
namespace ddp {
namespace detail {
namespace {

// Breadth-first enumeration of the nodes reachable from the start under any policy.
bool enumerate(SolutionData& s, const Hooks& hooks) {
  const Mdp& mdp = s.mdp;
  const arma::uword S = mdp.n_states(), H = mdp.horizon();
  const double gamma = mdp.gamma();
  s.index.assign(S * (H > 0 ? H + 1 : 1), {});
  s.nodes.clear();
  auto add = [&](arma::uword x, arma::uword t, double c) {
    Node n;
    n.state = x;
    n.time = s.time_key(t);
    n.stock = c;
    s.index[x + S * n.time].emplace(c, s.nodes.size());
    s.nodes.push_back(n);
  };
  const arma::uword x0 = *s.options.start_state;
  const double c0 = s.options.start_stock;
  add(x0, 0, c0);
  s.root = 0;
  const StockRegion root_region = s.region(x0, 0, c0);
  if (root_region != StockRegion::inside) {
    Node& r = s.nodes[0];
    r.closed = true;
    r.action = s.closed_action(x0, 0, root_region);
    r.mean = s.closed_mean(x0, 0, root_region);
    r.value = s.scalar_decisions
                  ? s.closed_value(x0, 0, c0, root_region)
                  : s.objective.evaluate(s.closed_law(x0, 0, root_region, hooks), c0);
    return true;
  }
  WorkClock clock(hooks, "stock enumeration", 16);
  for (arma::uword k = 0; k < s.nodes.size(); ++k) {
    clock.tick();
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
  clock.done();
  return true;
}

// Children before parents: breadth-first order reversed with a horizon (times increase
// along it), reverse topological order of the states without.
void order_children_first(SolutionData& s) {
  s.order.resize(s.nodes.size());
  std::iota(s.order.begin(), s.order.end(), 0);
  if (s.mdp.has_horizon()) {
    std::reverse(s.order.begin(), s.order.end());
    return;
  }
  std::vector<arma::uword> rank(s.n_states(), 0);
  const auto& topo = s.mdp.topological_order();
  for (arma::uword i = 0; i < topo.size(); ++i) rank[topo[i]] = i;
  std::stable_sort(s.order.begin(), s.order.end(), [&](arma::uword a, arma::uword b) {
    return rank[s.nodes[a].state] > rank[s.nodes[b].state];
  });
}

// The child node (or closed-form region) an outcome leads to.
struct Child {
  bool ends = false;              // termination or the horizon
  StockRegion region = StockRegion::inside;
  arma::uword node = 0;           // when inside
  double stock = 0.0;
};

Child child_of(const SolutionData& s, arma::uword t, double c, const Outcome& o) {
  Child ch;
  const arma::uword H = s.mdp.horizon();
  if (o.next == kTerminal || (H > 0 && t + 1 == H)) {
    ch.ends = true;
    return ch;
  }
  ch.stock = (c + o.reward) / s.mdp.gamma();
  ch.region = s.region(o.next, t + 1, ch.stock);
  if (ch.region == StockRegion::inside) {
    ch.node = s.find_node(o.next, t + 1, ch.stock);
    fail_if<numerical_error>(ch.node == s.nodes.size(), "ddp::solve",
                             "internal error: a reachable stock was not enumerated");
  }
  return ch;
}

// Whether (v, mean) beats the best so far (first action always), the tie rule of solver.h.
bool better(const SolveOptions& opt, bool first, double v, double mean, double best,
            double best_mean) {
  if (first) return true;
  const double tol = opt.tie_tolerance * (1.0 + std::fabs(best));
  return v > best + tol || (std::fabs(v - best) <= tol && mean > best_mean + tol);
}

class ScalarBackup {
 public:
  explicit ScalarBackup(SolutionData& s) : s_(s), A_(s.property.a), B_(s.property.b) {}

  void run(const Hooks& hooks) {
    WorkClock clock(hooks, "backward induction", 16);
    arma::uword done = 0;
    for (const arma::uword k : s_.order) {
      clock.tick(static_cast<double>(++done) / s_.order.size());
      if (!s_.nodes[k].closed) solve_node(s_.nodes[k]);
    }
    clock.done();
  }

 private:
  void solve_node(Node& n) {
    double best = 0.0, best_mean = 0.0;
    arma::uword best_a = 0;
    for (arma::uword a = 0; a < s_.mdp.n_actions(n.state); ++a) {
      double mean = 0.0;
      const double v = q_value(n, a, &mean);
      if (better(s_.options, a == 0, v, mean, best, best_mean)) {
        best = v;
        best_mean = mean;
        best_a = a;
      }
    }
    fail_if<numerical_error>(!std::isfinite(best), "ddp::solve", "the objective is not finite "
                             "at state '", s_.mdp.state_label(n.state), "' with stock ", n.stock);
    n.action = best_a;
    n.value = best;
    n.mean = best_mean;
  }

  // Σ p·[a·V(child) + b], f(c + r) for outcomes that end the episode; E G in *mean.
  double q_value(const Node& n, arma::uword a, double* mean) {
    const double gamma = s_.mdp.gamma();
    double q = 0.0, mu = 0.0;
    end_r_.clear();
    end_p_.clear();
    for (const Outcome& o : s_.mdp.outcomes(n.state, a)) {
      const Child ch = child_of(s_, n.time, n.stock, o);
      if (ch.ends) {
        end_r_.push_back(o.reward);
        end_p_.push_back(o.prob);
        mu += o.prob * o.reward;
      } else if (ch.region != StockRegion::inside) {
        q += o.prob * (A_ * s_.closed_value(o.next, n.time + 1, ch.stock, ch.region) + B_);
        mu += o.prob * (o.reward + gamma * s_.closed_mean(o.next, n.time + 1, ch.region));
      } else {
        const Node& c = s_.nodes[ch.node];
        q += o.prob * (A_ * c.value + B_);
        mu += o.prob * (o.reward + gamma * c.mean);
      }
    }
    // One call for all endings: custom (R) utilities are called on vectors.
    if (!end_r_.empty())
      q += s_.objective.expected(end_r_.data(), end_p_.data(), end_r_.size(), n.stock, 1.0);
    *mean = mu;
    return q;
  }

  SolutionData& s_;
  const double A_, B_;
  std::vector<double> end_r_, end_p_;
};

// Forced objectives: greedy on the laws (the literal rule), projected at every node.
void backward_laws(SolutionData& s, const Hooks& hooks) {
  static const Distribution kZero;  // δ_0 after termination or at the horizon
  const Mdp& mdp = s.mdp;
  const double gamma = mdp.gamma();
  s.node_laws.assign(s.nodes.size(), Distribution());
  std::vector<double> z, p, best_z, best_p;
  WorkClock clock(hooks, "backward induction", 4);
  arma::uword done = 0;
  for (const arma::uword k : s.order) {
    clock.tick(static_cast<double>(++done) / s.order.size());
    Node& n = s.nodes[k];
    if (n.closed) {
      s.node_laws[k] = s.closed_law(n.state, n.time, s.region(n.state, n.time, n.stock), hooks);
      continue;
    }
    double best = 0.0, best_mean = 0.0;
    arma::uword best_a = 0;
    for (arma::uword a = 0; a < mdp.n_actions(n.state); ++a) {
      z.clear();
      p.clear();
      double mean = 0.0;
      for (const Outcome& o : mdp.outcomes(n.state, a)) {
        const Child ch = child_of(s, n.time, n.stock, o);
        const Distribution* law = &kZero;
        if (!ch.ends)
          law = ch.region != StockRegion::inside
                    ? &s.closed_law(o.next, n.time + 1, ch.region, hooks)
                    : &s.node_laws[ch.node];
        for (arma::uword i = 0; i < law->size(); ++i) {
          z.push_back(o.reward + gamma * law->atoms()[i]);
          p.push_back(o.prob * law->probs()[i]);
        }
        mean += o.prob * (o.reward + gamma * law->mean());
      }
      const double v = s.objective.evaluate(z.data(), p.data(), z.size(), n.stock);
      fail_if<numerical_error>(!std::isfinite(v), "ddp::solve", "the objective is not finite at "
                               "state '", mdp.state_label(n.state), "' with stock ", n.stock);
      if (better(s.options, a == 0, v, mean, best, best_mean)) {
        best = v;
        best_mean = mean;
        best_a = a;
        best_z.swap(z);
        best_p.swap(p);
      }
    }
    n.action = best_a;
    n.value = best;
    n.mean = best_mean;
    s.node_laws[k] = project(Distribution(arma::vec(best_z), arma::vec(best_p), "ddp::solve"),
                             s.rep, s.support, s.m, s.options.merge_tolerance);
  }
  clock.done();
}

}  // namespace

bool solve_exact(SolutionData& s, const Hooks& hooks) {
  if (!enumerate(s, hooks)) return false;
  order_children_first(s);
  if (s.scalar_decisions) ScalarBackup(s).run(hooks);
  else backward_laws(s, hooks);
  const arma::uword H = s.mdp.horizon();
  s.iterations = s.nodes[0].closed ? 0 : (H > 0 ? H : 1);
  s.sweeps = s.nodes[0].closed ? 0 : 1;
  s.converged = true;
  s.residual = 0.0;
  return true;
}

Distribution exact_mode_law(const SolutionData& s, arma::uword x, arma::uword t, double c,
                            const Hooks& hooks) {
  const StockRegion r0 = s.region(x, t, c);
  if (!s.node_laws.empty())
    return r0 != StockRegion::inside ? s.closed_law(x, t, r0, hooks)
                                     : s.node_laws[s.find_node(x, t, c)];
  const PolicyFunction policy = [&s](arma::uword y, double stock, arma::uword time) {
    arma::uword a = 0;
    fail_if<numerical_error>(!s.exact_action(y, time, stock, &a), "Solution::return_distribution",
                             "internal error: the policy reached a stock that was not "
                             "enumerated");
    return a;
  };
  const SolveOptions& o = s.options;
  ForwardPass pass;
  try {
    pass = forward_pass(s.mdp, policy, x, t, c, o.max_nodes, o.merge_tolerance, hooks);
  } catch (const data_error&) {
    pass = forward_pass(s.mdp, policy, x, t, c, o.max_nodes, o.merge_tolerance, hooks,
                        [&s](arma::uword y, arma::uword time, double stock) {
                          return s.region(y, time, stock) != StockRegion::inside;
                        });
    for (const ForwardPass::Stopped& st : pass.stopped) {
      const Distribution& law =
          s.closed_law(st.state, st.time, s.region(st.state, st.time, st.stock), hooks);
      for (arma::uword i = 0; i < law.size(); ++i) {
        pass.z.push_back(st.g + st.disc * law.atoms()[i]);
        pass.p.push_back(st.mass * law.probs()[i]);
      }
    }
    hooks.warn(rddist::detail::concat(
        "following the policy beyond the enumerated stocks would need more than ", o.max_nodes,
        " nodes, so the reported law uses "
        "the expected-return policy's laws in the ", to_string(s.rep), " representation "
        "where the closed form applies (W1 error up to ", s.rep == Representation::exact ? 0.0
        : s.support.spacing() / 2.0 * (1.0 + s.n_states()), "); raise {max_nodes} for the exact law"));
  }
  const Distribution law(arma::vec(pass.z), arma::vec(pass.p), "Solution::return_distribution");
  return project(law, s.rep, s.support, s.m, o.merge_tolerance);
}

}  // namespace detail
}  // namespace ddp
}  // namespace rddist
