// mdp.h — finite Markov decision processes for distributional dynamic programming
// (doc/ddp.md §1 and §6).
//
// States are numbered 0..S-1 and each state x has its own actions 0..A_x-1. Taking action a
// in state x draws one of finitely many outcomes (probability, reward, next state); the next
// state may be the absorbing terminal state ⊥ (kTerminal), after which no reward follows.
// The return is G = Σ_t γ^t R_{t+1}. With a horizon H the episode also stops after H steps.
// Labels keep the names a front end read from its input; indices follow the order in which
// states (and, within a state, actions) first appear, and that order breaks ties.
#ifndef RDDIST_DDP_MDP_H
#define RDDIST_DDP_MDP_H

#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "rddist/arma.h"
#include "rddist/hooks.h"

namespace rddist {
namespace ddp {

// Index standing for the terminal state ⊥ in Outcome::next.
constexpr arma::uword kTerminal = std::numeric_limits<arma::uword>::max();

struct Outcome {
  double prob = 0.0;
  double reward = 0.0;
  arma::uword next = kTerminal;  // next state, or kTerminal
};

class Mdp {
 public:
  // outcomes[x][a] lists the outcomes of action a in state x. Probabilities must be
  // non-negative and sum to 1 within 1e-6 per action (they are then rescaled to sum to
  // exactly 1; zero-probability outcomes are dropped); rewards finite; next states in
  // range; γ in (0, 1]. γ = 1 needs a horizon (H >= 1) or an MDP in which every policy
  // ends in ⊥ with probability one. horizon = 0 means no horizon. Empty label vectors get
  // the default labels "s1", "s2", ... and "a1", "a2", .... Throws invalid_argument.
  Mdp(std::vector<std::vector<std::vector<Outcome>>> outcomes, double gamma,
      arma::uword horizon = 0, std::vector<std::string> state_labels = {},
      std::vector<std::vector<std::string>> action_labels = {}, const char* where = "Mdp");

  arma::uword n_states() const { return outcomes_.size(); }
  arma::uword n_actions(arma::uword state) const { return outcomes_.at(state).size(); }
  arma::uword max_actions() const { return max_actions_; }
  arma::uword n_outcomes() const { return n_outcomes_; }  // over all states and actions
  const std::vector<Outcome>& outcomes(arma::uword state, arma::uword action) const {
    return outcomes_.at(state).at(action);
  }
  double gamma() const { return gamma_; }
  bool has_horizon() const { return horizon_ > 0; }
  arma::uword horizon() const { return horizon_; }  // 0: none
  // True when no state can be revisited (the graph of possible transitions has no cycle).
  bool acyclic() const { return acyclic_; }
  // States in an order where every transition goes forward (only when acyclic()).
  const std::vector<arma::uword>& topological_order() const { return topo_; }
  double min_reward() const { return min_reward_; }
  double max_reward() const { return max_reward_; }

  const std::string& state_label(arma::uword state) const { return state_labels_.at(state); }
  const std::string& action_label(arma::uword state, arma::uword action) const {
    return action_labels_.at(state).at(action);
  }
  // Index of a labelled state or action; throws invalid_argument naming `where`.
  arma::uword state_index(const std::string& label, const char* where = "Mdp::state_index") const;
  arma::uword action_index(arma::uword state, const std::string& label,
                           const char* where = "Mdp::action_index") const;

 private:
  std::vector<std::vector<std::vector<Outcome>>> outcomes_;
  double gamma_;
  arma::uword horizon_;
  std::vector<std::string> state_labels_;
  std::vector<std::vector<std::string>> action_labels_;
  std::unordered_map<std::string, arma::uword> state_of_label_;
  arma::uword max_actions_ = 0, n_outcomes_ = 0;
  bool acyclic_ = false;
  std::vector<arma::uword> topo_;
  double min_reward_ = 0.0, max_reward_ = 0.0;
};

// Builds an Mdp from labelled rows (state, action, prob, reward, next_state), the form in
// which the R and command-line front ends read transitions. A next state without a value
// (std::nullopt) means termination. Every next state must also appear as a state.
class MdpBuilder {
 public:
  void add(const std::string& state, const std::string& action, double prob, double reward,
           const std::optional<std::string>& next_state);
  arma::uword n_rows() const { return rows_.size(); }
  // Validates the rows (messages give the 1-based row number) and the MDP.
  Mdp build(double gamma, arma::uword horizon = 0, const char* where = "MdpBuilder::build") const;

 private:
  struct Row {
    std::string state, action;
    double prob, reward;
    std::optional<std::string> next;
  };
  std::vector<Row> rows_;
};

// Bounds of the return: every return G that can follow state x (at time t, with a
// horizon) lies in [lo(x, t), hi(x, t)], and the bounds are attained by some path. With a
// horizon the matrices are S × (H+1) and column H is zero; otherwise S × 1.
struct ReturnBounds {
  arma::mat lo, hi;
  double lo_at(arma::uword state, arma::uword time) const {
    return lo(state, lo.n_cols == 1 ? 0 : time);
  }
  double hi_at(arma::uword state, arma::uword time) const {
    return hi(state, hi.n_cols == 1 ? 0 : time);
  }
  double min() const { return lo.min(); }
  double max() const { return hi.max(); }
};

// Computes the bounds exactly: backward induction with a horizon; one pass in reverse
// topological order for acyclic MDPs (linear in their size, whatever the order of the
// states); otherwise for γ < 1 policy iteration on the deterministic best/worst path
// problems, for γ = 1 shortest paths (Bellman–Ford), refusing MDPs whose returns are
// unbounded (a cycle of possible transitions with non-zero total reward), and MDPs whose
// returns would overflow or come within a factor 1024/γ of the largest double (rewards to
// rescale). Throws data_error; polls `hooks` for interrupts.
ReturnBounds return_bounds(const Mdp& mdp, const char* where = "return_bounds",
                           const Hooks& hooks = Hooks());

// The distinct returns some policy can produce from x0 (with a horizon or an acyclic MDP):
// the returns of all paths, sorted, those within merge_tolerance·max(1, |g|) counted once.
// Empty when there are more than `cap` of them (or the enumeration of partial returns
// grows beyond 200·cap + 10,000 nodes).
std::vector<double> achievable_returns(const Mdp& mdp, arma::uword x0, arma::uword cap,
                                       double merge_tolerance = 1e-12,
                                       const Hooks& hooks = Hooks());

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_MDP_H
