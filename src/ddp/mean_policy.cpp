// mean_policy.cpp — risk-neutral dynamic programming: the policy maximising (or minimising)
// the expected return, used in the closed-form stock region and as the comparison of
// doc/ddp.md §2, §4 (and the oracle of example T6, §7).
//
// With a horizon: backward induction. Acyclic MDPs: one pass in reverse topological order,
// exact and linear in the size of the MDP whatever the order in which states are listed
// (an iterative method run in the listed order would need as many sweeps as the chain is
// long). Otherwise policy iteration, with exact (dense) evaluation up to kDenseStates
// states and iterated evaluation beyond, so that memory stays linear in S.
#include <algorithm>
#include <cmath>

#include "rddist/ddp/solver.h"
#include "rddist/error.h"
#include "work_clock.h"

namespace rddist {
namespace ddp {
namespace {

constexpr arma::uword kDenseStates = 200;

class MeanDp {
 public:
  MeanDp(const Mdp& mdp, bool maximise, const Hooks& hooks)
      : mdp_(mdp), g_(mdp.gamma()), sign_(maximise ? 1.0 : -1.0),
        clock_(hooks, "expected-return policy", 16) {}

  MeanPolicy solve() {
    MeanPolicy mp;
    if (mdp_.has_horizon()) backward(mp);
    else if (mdp_.acyclic()) topological(mp);
    else policy_iteration(mp);
    clock_.done();
    return mp;
  }

 private:
  // Q-value of (x, a) against the values v of the next step (a column).
  double q_value(arma::uword x, arma::uword a, const double* v) const {
    double q = 0.0;
    for (const Outcome& o : mdp_.outcomes(x, a))
      q += o.prob * (o.reward + (o.next == kTerminal ? 0.0 : g_ * v[o.next]));
    return q;
  }

  // Greedy action; a challenger must beat the incumbent by a relative 1e-12, so ties keep
  // the incumbent (action 0 first, hence the lower index) and rounding cannot make policy
  // iteration cycle.
  arma::uword greedy(arma::uword x, const double* v, arma::uword incumbent) const {
    arma::uword best_a = incumbent;
    double best = sign_ * q_value(x, incumbent, v);
    for (arma::uword a = 0; a < mdp_.n_actions(x); ++a) {
      if (a == incumbent) continue;
      const double q = sign_ * q_value(x, a, v);
      if (q > best + 1e-12 * (1.0 + std::fabs(best))) {
        best = q;
        best_a = a;
      }
    }
    return best_a;
  }

  void backward(MeanPolicy& mp) {
    const arma::uword n = mdp_.n_states(), h = mdp_.horizon();
    mp.value.zeros(n, h + 1);
    mp.action.zeros(n, h);
    for (arma::uword t = h; t-- > 0;) {
      const double* next = mp.value.colptr(t + 1);
      for (arma::uword x = 0; x < n; ++x) {
        clock_.tick();
        const arma::uword a = greedy(x, next, 0);
        mp.action(x, t) = a;
        mp.value(x, t) = q_value(x, a, next);
      }
    }
  }

  // Successors come later in the topological order: their values are final when needed.
  void topological(MeanPolicy& mp) {
    const arma::uword n = mdp_.n_states();
    mp.value.zeros(n, 1);
    mp.action.zeros(n, 1);
    const auto& topo = mdp_.topological_order();
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
      clock_.tick();
      const arma::uword a = greedy(*it, mp.value.memptr(), 0);
      mp.action(*it, 0) = a;
      mp.value(*it, 0) = q_value(*it, a, mp.value.memptr());
    }
  }

  void evaluate(const arma::umat& action, arma::vec& v) {
    const arma::uword n = mdp_.n_states();
    if (n <= kDenseStates) {
      arma::mat A(n, n, arma::fill::eye);
      arma::vec r(n, arma::fill::zeros);
      for (arma::uword x = 0; x < n; ++x)
        for (const Outcome& o : mdp_.outcomes(x, action(x, 0))) {
          r[x] += o.prob * o.reward;
          if (o.next != kTerminal) A(x, o.next) -= g_ * o.prob;
        }
      fail_if<numerical_error>(!arma::solve(v, A, r), "solve_mean",
                               "the policy-evaluation system is singular");
      return;
    }
    for (int k = 0; k < 1000000; ++k) {
      double change = 0.0;
      for (arma::uword x = 0; x < n; ++x) {
        clock_.tick();
        const double nv = q_value(x, action(x, 0), v.memptr());
        change = std::max(change, std::fabs(nv - v[x]));
        v[x] = nv;
      }
      if (change <= 1e-14 * (1.0 + arma::abs(v).max())) return;
    }
  }

  void policy_iteration(MeanPolicy& mp) {
    const arma::uword n = mdp_.n_states();
    mp.value.zeros(n, 1);
    mp.action.zeros(n, 1);
    arma::vec v(n, arma::fill::zeros);
    for (int round = 0; round < 100000; ++round) {
      evaluate(mp.action, v);
      bool changed = false;
      for (arma::uword x = 0; x < n; ++x) {
        const arma::uword a = greedy(x, v.memptr(), mp.action(x, 0));
        if (a != mp.action(x, 0)) {
          mp.action(x, 0) = a;
          changed = true;
        }
      }
      if (!changed) {
        mp.value.col(0) = v;
        return;
      }
    }
    throw numerical_error("policy iteration did not settle", "solve_mean");
  }

  const Mdp& mdp_;
  const double g_, sign_;
  detail::WorkClock clock_;
};

}  // namespace

MeanPolicy solve_mean(const Mdp& mdp, bool maximise, const Hooks& hooks) {
  return MeanDp(mdp, maximise, hooks).solve();
}

}  // namespace ddp
}  // namespace rddist
