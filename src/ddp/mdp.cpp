// mdp.cpp — validation of finite MDPs (doc/ddp.md §1, §6).
//
// Conventions: probabilities are checked to sum to 1 within 1e-6 per (state, action) and
// then rescaled, so that the solvers can rely on exact stochastic rows (transition tables
// written with rounded thirds are common). The topological order of an acyclic MDP is
// found by an iterative depth-first search (chains of any length, listed in any order).
#include "rddist/ddp/mdp.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace {

constexpr double kProbSumTolerance = 1e-6;

// Depth-first search for a cycle in the graph of possible transitions; fills a
// topological order (every edge goes forward) when there is none.
bool find_topological_order(const std::vector<std::vector<std::vector<Outcome>>>& out,
                            std::vector<arma::uword>* order) {
  const arma::uword n = out.size();
  std::vector<int> mark(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<arma::uword> post;
  post.reserve(n);
  // Explicit stack of (state, next action, next outcome) to survive long chains.
  struct Frame {
    arma::uword x, a, o;
  };
  for (arma::uword root = 0; root < n; ++root) {
    if (mark[root] != 0) continue;
    std::vector<Frame> stack{{root, 0, 0}};
    mark[root] = 1;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.a >= out[f.x].size()) {
        mark[f.x] = 2;
        post.push_back(f.x);
        stack.pop_back();
        continue;
      }
      const auto& outcomes = out[f.x][f.a];
      if (f.o >= outcomes.size()) {
        ++f.a;
        f.o = 0;
        continue;
      }
      const arma::uword y = outcomes[f.o++].next;
      if (y == kTerminal) continue;
      if (mark[y] == 1) return false;
      if (mark[y] == 0) {
        mark[y] = 1;
        stack.push_back({y, 0, 0});
      }
    }
  }
  order->assign(post.rbegin(), post.rend());
  return true;
}

}  // namespace

Mdp::Mdp(std::vector<std::vector<std::vector<Outcome>>> outcomes, double gamma,
         arma::uword horizon, std::vector<std::string> state_labels,
         std::vector<std::vector<std::string>> action_labels, const char* where)
    : outcomes_(std::move(outcomes)),
      gamma_(gamma),
      horizon_(horizon),
      state_labels_(std::move(state_labels)),
      action_labels_(std::move(action_labels)) {
  const arma::uword n = outcomes_.size();
  fail_if(n == 0, where, "the MDP has no states; give at least one state with an action");
  fail_if(!(gamma > 0.0 && gamma <= 1.0), where, "gamma = ", gamma,
          " is outside (0, 1]; give a discount factor in (0, 1]");
  if (state_labels_.empty())
    for (arma::uword x = 0; x < n; ++x) state_labels_.push_back("s" + std::to_string(x + 1));
  fail_if(state_labels_.size() != n, where, "got ", state_labels_.size(), " state labels for ",
          n, " states");
  if (action_labels_.empty()) {
    action_labels_.resize(n);
    for (arma::uword x = 0; x < n; ++x)
      for (arma::uword a = 0; a < outcomes_[x].size(); ++a)
        action_labels_[x].push_back("a" + std::to_string(a + 1));
  }
  fail_if(action_labels_.size() != n, where, "got action labels for ", action_labels_.size(),
          " states but the MDP has ", n);
  for (arma::uword x = 0; x < n; ++x) {
    const bool fresh = state_of_label_.emplace(state_labels_[x], x).second;
    fail_if(!fresh, where, "state label '", state_labels_[x], "' is used twice");
  }

  min_reward_ = std::numeric_limits<double>::infinity();
  max_reward_ = -min_reward_;
  for (arma::uword x = 0; x < n; ++x) {
    const std::string& sx = state_labels_[x];
    fail_if(outcomes_[x].empty(), where, "state '", sx,
            "' has no actions; give it at least one action or make transitions into it "
            "terminate");
    fail_if(action_labels_[x].size() != outcomes_[x].size(), where, "state '", sx, "' has ",
            outcomes_[x].size(), " actions but ", action_labels_[x].size(), " action labels");
    max_actions_ = std::max<arma::uword>(max_actions_, outcomes_[x].size());
    for (arma::uword a = 0; a < outcomes_[x].size(); ++a) {
      const std::string& sa = action_labels_[x][a];
      for (arma::uword b = 0; b < a; ++b)
        fail_if(action_labels_[x][b] == sa, where, "state '", sx, "' lists action '", sa,
                "' twice");
      auto& list = outcomes_[x][a];
      double sum = 0.0;
      for (const Outcome& o : list) {
        fail_if(!std::isfinite(o.prob) || o.prob < 0.0, where, "state '", sx, "', action '",
                sa, "': probability ", o.prob, " is not a number in [0, 1]");
        fail_if(!std::isfinite(o.reward), where, "state '", sx, "', action '", sa,
                "': reward ", o.reward, " is not finite");
        fail_if(o.next != kTerminal && o.next >= n, where, "state '", sx, "', action '", sa,
                "': next state index ", o.next, " is out of range (", n, " states)");
        sum += o.prob;
      }
      fail_if(std::fabs(sum - 1.0) > kProbSumTolerance, where, "state '", sx, "', action '",
              sa, "': probabilities sum to ", sum, "; they must sum to 1");
      list.erase(std::remove_if(list.begin(), list.end(),
                                [](const Outcome& o) { return o.prob == 0.0; }),
                 list.end());
      for (Outcome& o : list) {
        o.prob /= sum;
        min_reward_ = std::min(min_reward_, o.reward);
        max_reward_ = std::max(max_reward_, o.reward);
      }
      n_outcomes_ += list.size();
    }
  }

  acyclic_ = find_topological_order(outcomes_, &topo_);
  if (!acyclic_) topo_.clear();

  if (gamma_ == 1.0 && horizon_ == 0 && !acyclic_) {
    // Greatest set W of states that have an action keeping every outcome inside W: the
    // policy taking those actions never terminates from W, and W is empty exactly when
    // every policy terminates with probability one.
    std::vector<char> in(n, 1);
    std::vector<arma::uword> keep(n, 0);
    bool changed = true;
    while (changed) {
      changed = false;
      for (arma::uword x = 0; x < n; ++x) {
        if (!in[x]) continue;
        bool has_stay = false;
        for (arma::uword a = 0; a < outcomes_[x].size() && !has_stay; ++a) {
          bool stays = true;
          for (const Outcome& o : outcomes_[x][a])
            if (o.next == kTerminal || !in[o.next]) stays = false;
          if (stays) {
            has_stay = true;
            keep[x] = a;
          }
        }
        if (!has_stay) {
          in[x] = 0;
          changed = true;
        }
      }
    }
    for (arma::uword x = 0; x < n; ++x)
      fail_if(in[x] != 0, where, "with gamma = 1 and no horizon every policy must end in the ",
              "terminal state, but from state '", state_labels_[x], "' always taking action '",
              action_labels_[x][keep[x]], "' never ends; give a horizon or a gamma below 1");
  }
}

arma::uword Mdp::state_index(const std::string& label, const char* where) const {
  const auto it = state_of_label_.find(label);
  fail_if(it == state_of_label_.end(), where, "unknown state '", label,
          "'; use one of the states of the transition table");
  return it->second;
}

arma::uword Mdp::action_index(arma::uword state, const std::string& label,
                              const char* where) const {
  const auto& labels = action_labels_.at(state);
  for (arma::uword a = 0; a < labels.size(); ++a)
    if (labels[a] == label) return a;
  throw invalid_argument(
      rddist::detail::concat("state '", state_labels_.at(state), "' has no action '", label, "'"),
      where);
}

void MdpBuilder::add(const std::string& state, const std::string& action, double prob,
                     double reward, const std::optional<std::string>& next_state) {
  rows_.push_back({state, action, prob, reward, next_state});
}

Mdp MdpBuilder::build(double gamma, arma::uword horizon, const char* where) const {
  fail_if(rows_.empty(), where, "the transition table has no rows");
  std::unordered_map<std::string, arma::uword> state_of;
  std::vector<std::string> states;
  std::vector<std::vector<std::string>> actions;
  std::vector<std::unordered_map<std::string, arma::uword>> action_of;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const Row& r = rows_[i];
    fail_if(r.state.empty(), where, "row ", i + 1, ": the state is empty; give every row a state");
    fail_if(r.action.empty(), where, "row ", i + 1,
            ": the action is empty; give every row an action");
    fail_if(!std::isfinite(r.prob) || r.prob < 0.0 || r.prob > 1.0 + kProbSumTolerance, where,
            "row ", i + 1, ": prob = ", r.prob, " is not a probability in [0, 1]");
    fail_if(!std::isfinite(r.reward), where, "row ", i + 1, ": reward = ", r.reward,
            " is not finite");
    if (state_of.emplace(r.state, states.size()).second) {
      states.push_back(r.state);
      actions.emplace_back();
      action_of.emplace_back();
    }
  }
  std::vector<std::vector<std::vector<Outcome>>> out(states.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const Row& r = rows_[i];
    const arma::uword x = state_of.at(r.state);
    auto [it, fresh] = action_of[x].emplace(r.action, actions[x].size());
    if (fresh) {
      actions[x].push_back(r.action);
      out[x].emplace_back();
    }
    arma::uword next = kTerminal;
    if (r.next && !r.next->empty()) {
      const auto s = state_of.find(*r.next);
      fail_if(s == state_of.end(), where, "row ", i + 1, ": next_state '", *r.next,
              "' never appears as a state; add rows for its actions or leave next_state "
              "missing (NA) for termination");
      next = s->second;
    }
    out[x][it->second].push_back({r.prob, r.reward, next});
  }
  return Mdp(std::move(out), gamma, horizon, std::move(states), std::move(actions), where);
}

}  // namespace ddp
}  // namespace rddist
