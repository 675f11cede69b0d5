// evaluate.h — evaluation of a given policy: exactly with the true stock, by seeded Monte
// Carlo with the true stock, and distributional evaluation of stock-blind policies
// (doc/ddp.md §4: "always re-evaluate the returned policy with the true stock").
//
// A grid solver decides at grid stocks; the policy it returns is then run on the stocks a
// trajectory really produces, C_{t+1} = (C_t + R_{t+1})/γ. Exact evaluation enumerates the
// (state, time, stock) nodes the policy reaches (finite horizon or acyclic MDP), pushing
// probability forward, and keeps every return (equal ones merged within a tolerance). Monte Carlo
// simulates episodes with the seeded generator of rng.h (stream 0 of the seed), so results
// are reproducible on every platform; episodes without a horizon stop at termination or
// once γ^t·max|G| < 1e-12·(1 + range of G).
#ifndef RDDIST_DDP_EVALUATE_H
#define RDDIST_DDP_EVALUATE_H

#include <cstdint>
#include <functional>
#include <vector>

#include "rddist/arma.h"
#include "rddist/ddp/distribution.h"
#include "rddist/ddp/mdp.h"
#include "rddist/ddp/objective.h"
#include "rddist/hooks.h"

namespace rddist {
namespace ddp {

// action = policy(state, stock, time); time is 0 for MDPs without a horizon.
using PolicyFunction = std::function<arma::uword(arma::uword, double, arma::uword)>;

struct ExactEvaluation {
  Distribution returns;  // law of G
  double value = 0.0;    // K(law(start_stock + G))
  arma::uword nodes = 0;
};

// Needs a horizon or an acyclic MDP; throws invalid_argument otherwise, data_error when
// more than max_nodes nodes are reached.
ExactEvaluation evaluate_exact(const Mdp& mdp, const PolicyFunction& policy,
                               const Objective& objective, arma::uword start_state,
                               double start_stock, arma::uword max_nodes = 1000000,
                               double merge_tolerance = 1e-12, const Hooks& hooks = Hooks());

struct MonteCarloOptions {
  arma::uword episodes = 10000;
  std::uint64_t seed = 1;
  arma::uword max_steps = 0;  // 0: the horizon, or the truncation rule above
};

struct MonteCarloEvaluation {
  arma::vec returns;        // one G per episode
  double value = 0.0;       // K of the empirical law of start_stock + G
  double std_error = 0.0;   // of value: plain for expected utilities, 20 batch means otherwise
  arma::uword truncated = 0;  // episodes cut at max_steps before termination
  arma::uword max_steps = 0;
  std::uint64_t seed = 0;
};

// Standard deviation of v computed on v/max|v|, so that values near the largest double do
// not overflow when squared.
double scaled_stddev(const arma::vec& v);

MonteCarloEvaluation evaluate_monte_carlo(const Mdp& mdp, const PolicyFunction& policy,
                                          const Objective& objective, arma::uword start_state,
                                          double start_stock,
                                          const MonteCarloOptions& options = {},
                                          const Hooks& hooks = Hooks());

// Laws of G from every (state, time) under a stock-blind policy. `actions` is S × H with a
// horizon (laws for t = 0..H, t = H being δ_0), S × 1 otherwise. With a horizon or an
// acyclic MDP the laws follow by one backward pass; otherwise Π T^π is iterated from δ_0
// until the sup-W1 change is at most `tolerance` (categorical or quantile only).
struct StockBlindLaws {
  std::vector<Distribution> laws;  // index state + S·time
  arma::uword n_states = 0, n_times = 1;
  arma::uword iterations = 0;
  bool converged = true;
  double residual = 0.0;
  const Distribution& at(arma::uword state, arma::uword time = 0) const {
    return laws.at(state + n_states * (n_times == 1 ? 0 : time));
  }
};

StockBlindLaws evaluate_stock_blind(const Mdp& mdp, const arma::umat& actions,
                                    Representation representation,
                                    const CategoricalSupport& support, arma::uword atoms,
                                    double tolerance = 1e-10, arma::uword max_iterations = 100000,
                                    double merge_tolerance = 1e-12, const Hooks& hooks = Hooks());

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_EVALUATE_H
