// ddp_scale.cpp — scale benchmark of the distributional DP solver (issue 7 acceptance).
//
// A seeded random MDP with 1,000 states, 4 actions per state and 3 outcomes per action
// (probabilities from normalised exponentials, rewards uniform on [−1, 1], next states
// uniform), γ = 0.95, no termination. Objective: f(z) = min(z, 0), the CVaR building
// block, so the optimal policy depends on the stock. Categorical representation with 101
// atoms, a stock grid of 201 points, value iteration of the scalar recursion to a change of
// 1e-8 per sweep, then (timed apart) the laws of the policy at every grid stock, which only
// front ends reporting them need. Prints iterations, times, and the measured peak memory of
// the solve next to the formula of bench/README.md.
//
// Usage: rddist_bench_ddp [states] [atoms] [stock_points] [tolerance]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "rddist/ddp/solver.h"
#include "rddist/rng.h"

using namespace rddist::ddp;

namespace {

Mdp random_mdp(arma::uword states, arma::uword actions, arma::uword outcomes, double gamma,
               std::uint64_t seed) {
  rddist::RandomStream rng(seed, 0);
  std::vector<std::vector<std::vector<Outcome>>> out(states);
  for (auto& state : out) {
    state.resize(actions);
    for (auto& action : state) {
      std::vector<double> w(outcomes);
      double sum = 0.0;
      for (double& v : w) sum += (v = -std::log(1.0 - rng.uniform()));
      for (double v : w) {
        const double reward = 2.0 * rng.uniform() - 1.0;
        const arma::uword next = static_cast<arma::uword>(rng.uniform() * states);
        action.push_back({v / sum, reward, next});
      }
    }
  }
  return Mdp(std::move(out), gamma);
}

// Peak resident memory of this process in bytes (Linux: VmHWM; else ru_maxrss in KiB).
double peak_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) * 1024.0;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) * 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  const arma::uword S = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000;
  const arma::uword m = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 101;
  const arma::uword K = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 201;
  const double tol = argc > 4 ? std::atof(argv[4]) : 1e-8;
  const arma::uword A = 4, O = 3;
  const double gamma = 0.95;

  const double base = peak_bytes();
  const Mdp mdp = random_mdp(S, A, O, gamma, 20250113);
  SolveOptions opt;
  opt.representation = Representation::categorical;
  opt.atoms = m;
  opt.stock_points = K;
  opt.tolerance = tol;
  opt.stock_mode = StockMode::grid;
  rddist::Hooks hooks;
  hooks.warning = [](const std::string& w) { std::fprintf(stderr, "warning: %s\n", w.c_str()); };
  // The longest wall-clock interval between two interrupt polls: how late an Esc (R) would
  // be answered at worst.
  double longest_gap = 0.0;
  auto last_poll = std::chrono::steady_clock::now();
  hooks.check_interrupt = [&] {
    const auto now = std::chrono::steady_clock::now();
    longest_gap = std::max(longest_gap, std::chrono::duration<double>(now - last_poll).count());
    last_poll = now;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const Solution sol = solve(mdp, Objective::hinge(1.0, 0.0), opt, hooks);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double peak = peak_bytes();

  // Memory formula (bench/README.md), in bytes per (state, stock) pair: the look-up table,
  // 24 per action and 24 per outcome, 33 for the pair itself; the two iterates of V and M,
  // 32; the solution's values, expected returns and policy, 24.
  const double SK = static_cast<double>(S) * (K + 1);  // the start stock is inserted
  const double formula = SK * (89.0 + 24.0 * A * (1.0 + O));

  std::printf("rddist DDP scale benchmark\n");
  std::printf("  MDP: %llu states x %llu actions x %llu outcomes, gamma = %.2f\n",
              (unsigned long long)S, (unsigned long long)A, (unsigned long long)O, gamma);
  std::printf("  objective %s, %s with %llu atoms on [%.4f, %.4f], %llu stock points\n",
              sol.objective().name().c_str(), to_string(sol.representation()).c_str(),
              (unsigned long long)m, sol.support().lo(), sol.support().hi(),
              (unsigned long long)sol.stock_grid().n_elem);
  std::printf("  value iteration: %llu sweeps, converged = %s, last change %.3g (tol %.0e)\n",
              (unsigned long long)sol.sweeps(), sol.converged() ? "yes" : "no", sol.residual(), tol);
  std::printf("  time: total %.2f s (solve %.2f s), %.4f s per sweep\n", total, sol.seconds(),
              sol.seconds() / static_cast<double>(sol.sweeps()));
  // CVaR_0.25 of the return from state 1 by the search over start stocks (one solve serves
  // every stock): max_c −c + V(1, c)/τ.
  double best = -INFINITY, best_c = 0.0;
  for (double c : sol.stock_grid()) {
    const double h = -c + sol.value(0, c) / 0.25;
    if (h > best) {
      best = h;
      best_c = c;
    }
  }
  std::printf("  CVaR_0.25 from state 1: %.6f at start stock %.4f (risk-neutral mean %.6f)\n",
              best, best_c, sol.risk_neutral_distribution(0).mean());
  std::printf("  memory: peak resident %.1f MB, %.1f MB before the solve\n", peak / 1e6, base / 1e6);
  std::printf("          growth %.1f MB; formula S*K*(89 + 24*A*(1+O)) = %.1f MB (ratio %.3f)\n",
              (peak - base) / 1e6, formula / 1e6, (peak - base) / formula);
  // The laws at every grid stock (what R's ddp_solve() reports from).
  const auto t1 = std::chrono::steady_clock::now();
  last_poll = t1;
  const Distribution law = sol.return_distribution(0, best_c, 0, hooks);
  const double law_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  std::printf("  laws of the policy on the grid: %.2f s; from state 1 at stock %.4f mean %.6f "
              "(by the recursion %.6f), W1 bound %.3g; peak resident now %.1f MB\n",
              law_s, best_c, law.mean(), sol.expected_return(0, best_c), sol.law_error_bound(),
              peak_bytes() / 1e6);
  std::printf("  longest interval between interrupt polls: %.3f s\n", longest_gap);
  return sol.converged() ? 0 : 1;
}
