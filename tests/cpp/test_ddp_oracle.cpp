// An independent brute-force oracle for the DDP goals (issue 16): on seeded random small
// MDPs, the goal's value over all deterministic history-dependent policies, computed from
// the definitions, against solve_goal with the exact representation; and the policy
// solve_goal returns, run by the oracle's own path enumeration with the true stock, must
// attain that value.
//
// The oracle uses no code of the solver. A deterministic history-dependent policy picks an
// action at every history; after each outcome of the chosen action it may continue
// differently. So the set D(x, t) of return laws achievable from state x at time t is
//   D(x, t) = ∪_a { Σ_o p_o · law(r_o + γ·G_o) : G_o ~ L_o, L_o ∈ D(next_o, t + 1) },
// one independent choice per outcome, with G_o = 0 when the outcome ends the episode or
// reaches the horizon. Every goal is a function of the law of G, so its optimum over
// policies is the maximum over D(start, 0). Laws are lists of (value, probability) with
// values equal to within 1e-9 relative merged: returns of these MDPs are sums of at most
// four products of numbers with one or two decimals, so distinct returns differ by far more
// and equal ones by rounding only (below 1e-15 relative).
//
// MDPs: γ = 1 with termination (acyclic: transitions only to states later in a random
// order, so the listed order is not topological) and γ ∈ {0.9, 0.75} with a horizon of 2
// or 3 (cycles allowed); 1 to 3 actions, 1 to 3 outcomes, probabilities w_k/Σw with whole
// w_k in 1..9 (non-dyadic), rewards whole in [−3, 3] or with one decimal in [−2, 2]. MDPs
// whose D(start, 0) exceeds 20,000 laws are skipped (drawn again).
//
// Tolerance 1e-12 (relative above 1): the solver's values are sums of the same few
// products in another order; the CVaR search adds −c + V/τ, of rounding size 1e-15·|c|/τ.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "rddist/ddp/applications.h"
#include "rddist/rng.h"

using namespace rddist::ddp;

namespace {

// ---- Laws from the definitions -------------------------------------------------------

using Law = std::vector<std::pair<double, double>>;  // (value, probability), values increasing

bool close_values(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

Law normalise(Law l) {
  std::sort(l.begin(), l.end());
  Law out;
  for (const auto& [v, p] : l) {
    if (!out.empty() && close_values(v, out.back().first)) out.back().second += p;
    else out.push_back({v, p});
  }
  return out;
}

double law_mean(const Law& l) {
  double m = 0.0;
  for (const auto& [v, p] : l) m += p * v;
  return m;
}

// P(G >= b), a return within 1e-9 of b counting as a hit (see the header).
double law_success(const Law& l, double b) {
  double s = 0.0;
  for (const auto& [v, p] : l)
    if (v >= b || close_values(v, b)) s += p;
  return s;
}

// Lower τ-quantile inf{z : P(G <= z) >= τ}; 1e-12 absorbs rounding of the cumulative sum.
double law_quantile(const Law& l, double tau) {
  double F = 0.0;
  for (const auto& [v, p] : l) {
    F += p;
    if (F >= tau - 1e-12) return v;
  }
  return l.back().first;
}

// CVaR_τ = (1/τ) ∫_0^τ F^{-1}(u) du: the mean of the lowest τ of the probability.
double law_cvar(const Law& l, double tau) {
  double left = tau, acc = 0.0;
  for (const auto& [v, p] : l) {
    const double take = std::min(p, left);
    acc += take * v;
    left -= take;
    if (left <= 0.0) break;
  }
  if (left > 0.0) acc += left * l.back().first;
  return acc / tau;
}

double law_expect(const Law& l, const std::function<double(double)>& f) {
  double acc = 0.0;
  for (const auto& [v, p] : l) acc += p * f(v);
  return acc;
}

// ---- Random MDPs -------------------------------------------------------------------

struct Row {
  std::string state, action;
  double prob, reward;
  int next;  // −1: the episode ends
};

struct Problem {
  std::vector<Row> rows;  // in the order given to MdpBuilder
  int states = 0, start = 0, horizon = 0;
  double gamma = 1.0;
  // outcomes[x][a] = (prob, reward, next) in the oracle's own indexing
  std::vector<std::vector<std::vector<Row>>> outcomes;
};

std::string label(int x) { return "x" + std::to_string(x); }

Problem random_problem(std::uint64_t seed) {
  rddist::RandomStream rng(seed, 0);
  auto uniform_int = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.uniform() * (hi - lo + 1));
  };
  Problem pr;
  const bool horizon = seed % 2 == 1;
  pr.states = uniform_int(2, horizon ? 3 : 4);
  pr.horizon = horizon ? uniform_int(2, 3) : 0;
  pr.gamma = horizon ? (rng.uniform() < 0.5 ? 0.9 : 0.75) : 1.0;
  const bool integer_rewards = rng.uniform() < 0.5;
  // rank[x]: position in a random order; acyclic MDPs move only to higher ranks.
  std::vector<int> rank(pr.states);
  std::iota(rank.begin(), rank.end(), 0);
  for (int i = pr.states - 1; i > 0; --i) std::swap(rank[i], rank[uniform_int(0, i)]);
  pr.outcomes.resize(pr.states);
  for (int x = 0; x < pr.states; ++x) {
    const int actions = uniform_int(1, 3);
    pr.outcomes[x].resize(actions);
    for (int a = 0; a < actions; ++a) {
      const int n = uniform_int(1, 3);
      std::vector<int> w(n);
      int sum = 0;
      for (int& v : w) sum += (v = uniform_int(1, 9));
      for (int k = 0; k < n; ++k) {
        const double reward = integer_rewards ? uniform_int(-3, 3) : uniform_int(-20, 20) / 10.0;
        int next = -1;
        if (rng.uniform() < 0.7) {
          std::vector<int> later;
          for (int y = 0; y < pr.states; ++y)
            if (horizon || rank[y] > rank[x]) later.push_back(y);
          if (!later.empty()) next = later[uniform_int(0, static_cast<int>(later.size()) - 1)];
        }
        pr.outcomes[x][a].push_back(
            {label(x), "a" + std::to_string(a), static_cast<double>(w[k]) / sum, reward, next});
      }
    }
  }
  // The start: the state of lowest rank (every state is reachable from somewhere).
  pr.start = static_cast<int>(std::min_element(rank.begin(), rank.end()) - rank.begin());
  // Rows in a shuffled order, so that state indices follow neither labels nor ranks.
  for (const auto& acts : pr.outcomes)
    for (const auto& outs : acts)
      for (const Row& r : outs) pr.rows.push_back(r);
  for (int i = static_cast<int>(pr.rows.size()) - 1; i > 0; --i)
    std::swap(pr.rows[i], pr.rows[uniform_int(0, i)]);
  return pr;
}

Mdp build(const Problem& pr) {
  MdpBuilder b;
  for (const Row& r : pr.rows)
    b.add(r.state, r.action, r.prob, r.reward,
          r.next < 0 ? std::nullopt : std::optional<std::string>(label(r.next)));
  return b.build(pr.gamma, static_cast<arma::uword>(pr.horizon));
}

// ---- The oracle's enumeration ------------------------------------------------------

class Oracle {
 public:
  explicit Oracle(const Problem& pr) : pr_(pr) {}

  // D(x, t), or empty when it has more than `cap` laws.
  const std::vector<Law>& laws(int x, int t, std::size_t cap) {
    const int key = x * 16 + (pr_.horizon > 0 ? t : 0);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
    std::vector<Law> out;
    bool too_many = false;
    for (const auto& outs : pr_.outcomes[x]) {
      // Every combination of one law per outcome.
      std::vector<const std::vector<Law>*> choices;
      for (const Row& o : outs) {
        if (ends(o, t)) {
          choices.push_back(&kZero);
        } else {
          const std::vector<Law>& c = laws(o.next, t + 1, cap);
          if (c.empty()) return memo_[key] = {};
          choices.push_back(&c);
        }
      }
      std::vector<std::size_t> pick(outs.size(), 0);
      while (true) {
        Law mix;
        for (std::size_t k = 0; k < outs.size(); ++k)
          for (const auto& [v, p] : (*choices[k])[pick[k]])
            mix.push_back({outs[k].reward + pr_.gamma * v, outs[k].prob * p});
        out.push_back(normalise(std::move(mix)));
        if (out.size() > cap) {
          too_many = true;
          break;
        }
        std::size_t k = 0;
        while (k < pick.size() && ++pick[k] == choices[k]->size()) pick[k++] = 0;
        if (k == pick.size()) break;
      }
      if (too_many) break;
    }
    if (too_many) return memo_[key] = {};
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return memo_[key] = std::move(out);
  }

  bool ends(const Row& o, int t) const {
    return o.next < 0 || (pr_.horizon > 0 && t + 1 == pr_.horizon);
  }

  // The law of G under a stock-augmented policy run with the true stock, by enumerating
  // its paths: C_0 = c0, C_{t+1} = (C_t + R_{t+1})/γ (doc/ddp.md §1).
  Law run(const Mdp& mdp, const PolicyFunction& policy, double c0) const {
    Law out;
    walk(mdp, policy, pr_.start, 0, c0, 0.0, 1.0, 1.0, out);
    return normalise(out);
  }

 private:
  void walk(const Mdp& mdp, const PolicyFunction& policy, int x, int t, double c, double g,
            double disc, double prob, Law& out) const {
    const arma::uword xi = mdp.state_index(label(x));
    const arma::uword a = policy(xi, c, pr_.horizon > 0 ? t : 0);
    const std::string& name = mdp.action_label(xi, a);
    const auto& outs = pr_.outcomes[x][std::stoi(name.substr(1))];
    for (const Row& o : outs) {
      const double gn = g + disc * o.reward, pn = prob * o.prob;
      if (ends(o, t)) out.push_back({gn, pn});
      else walk(mdp, policy, o.next, t + 1, (c + o.reward) / pr_.gamma, gn, disc * pr_.gamma, pn, out);
    }
  }

  const Problem& pr_;
  std::map<int, std::vector<Law>> memo_;
  const std::vector<Law> kZero{Law{{0.0, 1.0}}};
};

// ---- The comparison ------------------------------------------------------------------

struct Tally {
  int mdps = 0, comparisons = 0;
  double worst = 0.0;
  void check(double solver, double oracle, const std::string& what) {
    const double err = std::fabs(solver - oracle) / std::max(1.0, std::fabs(oracle));
    worst = std::max(worst, err);
    ++comparisons;
    INFO(what << ": solver " << solver << ", oracle " << oracle);
    CHECK(err <= 1e-12);
  }
};

struct GoalCase {
  Goal goal;
  std::function<double(const Law&)> value;
  std::string name;
};

std::vector<GoalCase> goal_cases(const std::vector<double>& returns, double gamma) {
  std::vector<GoalCase> cases;
  cases.push_back({Goal::mean(), law_mean, "mean"});
  // Thresholds at achievable returns (exact hits), between them and beyond them.
  std::vector<double> bs;
  const std::size_t n = returns.size();
  for (std::size_t i : {std::size_t{0}, n / 3, n / 2, (2 * n) / 3, n - 1}) bs.push_back(returns[i]);
  if (n > 1) bs.push_back(0.5 * (returns[n / 2 - (n > 2 ? 1 : 0)] + returns[n / 2]));
  bs.push_back(returns.back() + 0.5);
  bs.push_back(returns.front() - 0.5);
  for (double b : bs)
    cases.push_back({Goal::success(b), [b](const Law& l) { return law_success(l, b); },
                     "success(" + std::to_string(b) + ")"});
  for (double tau : {0.1, 1.0 / 3.0, 0.5, 0.8, 1.0})
    cases.push_back({Goal::cvar(tau), [tau](const Law& l) { return law_cvar(l, tau); },
                     "cvar(" + std::to_string(tau) + ")"});
  cases.push_back({Goal::mean_cvar(0.4, 0.3),
                   [](const Law& l) { return 0.4 * law_mean(l) + 0.6 * law_cvar(l, 0.3); },
                   "mean_cvar(0.4, 0.3)"});
  const double target = returns[n / 2];
  for (double p : {1.0, 2.0})
    cases.push_back({Goal::homeostatic(target, p),
                     [target, p](const Law& l) {
                       return law_expect(l, [&](double z) { return -std::pow(std::fabs(z - target), p); });
                     },
                     "homeostatic(p = " + std::to_string(p) + ")"});
  for (double tau : {0.25, 0.5, 0.8})
    cases.push_back({Goal::quantile(tau), [tau](const Law& l) { return law_quantile(l, tau); },
                     "quantile(" + std::to_string(tau) + ")"});
  const double c0 = -target;
  cases.push_back({Goal::custom(Objective::hinge(2.0, 0.5), c0),
                   [c0](const Law& l) {
                     return law_expect(l, [&](double z) {
                       const double y = c0 + z;
                       return y < 0.0 ? 2.0 * y : 0.5 * y;
                     });
                   },
                   "hinge(2, 0.5)"});
  if (gamma == 1.0)  // the exponential utility has the γ-property only for γ = 1
    cases.push_back({Goal::custom(Objective::exponential(0.5), c0),
                     [c0](const Law& l) {
                       return law_expect(l, [&](double z) { return -std::expm1(-0.5 * (c0 + z)) / 0.5; });
                     },
                     "exponential(0.5)"});
  return cases;
}

}  // namespace

TEST_CASE("exact DDP equals a brute-force oracle over history-dependent policies on 220 "
          "random MDPs, and its policies attain the optimum", "[ddp][oracle]") {
  Tally tally;
  int skipped = 0;
  for (std::uint64_t seed = 1; tally.mdps < 220; ++seed) {
    const Problem pr = random_problem(seed);
    Oracle oracle(pr);
    const std::vector<Law>& laws = oracle.laws(pr.start, 0, 20000);
    if (laws.empty()) {
      ++skipped;
      continue;
    }
    ++tally.mdps;
    const Mdp mdp = build(pr);
    std::vector<double> returns;
    for (const Law& l : laws)
      for (const auto& [v, p] : l) returns.push_back(v);
    returns = [&] {
      std::sort(returns.begin(), returns.end());
      std::vector<double> d;
      for (double v : returns)
        if (d.empty() || !close_values(v, d.back())) d.push_back(v);
      return d;
    }();
    GoalOptions o;
    o.solve.representation = Representation::exact;
    o.solve.start_state = mdp.state_index(label(pr.start));
    for (const GoalCase& gc : goal_cases(returns, pr.gamma)) {
      double best = -INFINITY;
      for (const Law& l : laws) best = std::max(best, gc.value(l));
      INFO("seed " << seed << ", goal " << gc.name);
      const GoalResult r = solve_goal(mdp, gc.goal, o);
      tally.check(r.value, best, "value");
      // The returned policy, run by the oracle with the true stock, attains the optimum.
      const Law attained = oracle.run(mdp, r.solution.policy(), r.start_stock);
      tally.check(gc.value(attained), best, "policy");
      tally.check(r.true_stock.value, best, "true-stock re-evaluation");
    }
  }
  CHECK(tally.mdps >= 200);
  CHECK(skipped < tally.mdps);
  if (std::getenv("RDDIST_ORACLE_REPORT"))
    std::printf("oracle: %d MDPs (%d skipped as too large), %d comparisons, largest relative "
                "error %.3g\n", tally.mdps, skipped, tally.comparisons, tally.worst);
}
