// ddp_examples.h — the MDPs of doc/ddp.md §7 (tests T1–T10) and seeded random MDPs,
// shared by the DDP test files.
#ifndef RDDIST_TESTS_DDP_EXAMPLES_H
#define RDDIST_TESTS_DDP_EXAMPLES_H

#include <optional>
#include <string>

#include "rddist/ddp/mdp.h"
#include "rddist/rng.h"

namespace ddp_examples {

using rddist::ddp::Mdp;
using rddist::ddp::MdpBuilder;
inline const std::optional<std::string> kEnd = std::nullopt;

// T1: s0 -> s1 -> s2 -> end paying 1, 2, 3; γ = 1/2.
inline Mdp chain() {
  MdpBuilder b;
  b.add("s0", "go", 1.0, 1.0, "s1");
  b.add("s1", "go", 1.0, 2.0, "s2");
  b.add("s2", "go", 1.0, 3.0, kEnd);
  return b.build(0.5);
}

// T2: one step; S pays 0, R pays +10 w.p. 0.9 and −50 w.p. 0.1.
inline Mdp bandit() {
  MdpBuilder b;
  b.add("s", "S", 1.0, 0.0, kEnd);
  b.add("s", "R", 0.9, 10.0, kEnd);
  b.add("s", "R", 0.1, -50.0, kEnd);
  return b.build(1.0);
}

// T3 (second = "G": ±10) and T4 (second = "R": +10 w.p. 3/4, −10 w.p. 1/4); γ = 1.
inline Mdp two_step(bool cvar_version) {
  MdpBuilder b;
  b.add("s0", "go", 0.5, 0.0, "s1");
  b.add("s0", "go", 0.5, 10.0, "s1");
  b.add("s1", "S", 1.0, 0.0, kEnd);
  if (cvar_version) {
    b.add("s1", "R", 0.75, 10.0, kEnd);
    b.add("s1", "R", 0.25, -10.0, kEnd);
  } else {
    b.add("s1", "G", 0.5, 10.0, kEnd);
    b.add("s1", "G", 0.5, -10.0, kEnd);
  }
  return b.build(1.0);
}

// T5: one state, reward ±1 with probability 1/2 each, γ = 1/2: G ~ Uniform[−2, 2].
inline Mdp coin() {
  MdpBuilder b;
  b.add("s", "flip", 0.5, 1.0, "s");
  b.add("s", "flip", 0.5, -1.0, "s");
  return b.build(0.5);
}

// T7: A pays 6; B pays 0 or 14 (1/2 each).
inline Mdp homeostasis() {
  MdpBuilder b;
  b.add("s", "A", 1.0, 6.0, kEnd);
  b.add("s", "B", 0.5, 0.0, kEnd);
  b.add("s", "B", 0.5, 14.0, kEnd);
  return b.build(1.0);
}

// T8: γ = 1/2, safe (0) or gamble (±1), forever (or up to a horizon).
inline Mdp gambler(arma::uword horizon = 0) {
  MdpBuilder b;
  b.add("s", "safe", 1.0, 0.0, "s");
  b.add("s", "gamble", 0.5, 1.0, "s");
  b.add("s", "gamble", 0.5, -1.0, "s");
  return b.build(0.5, horizon);
}

// T9: a zero-reward first step, then A pays 0.9 or B pays 0 or 4 (1/2 each); γ = 1/2.
inline Mdp exponential_trap() {
  MdpBuilder b;
  b.add("s0", "go", 1.0, 0.0, "s1");
  b.add("s1", "A", 1.0, 0.9, kEnd);
  b.add("s1", "B", 0.5, 0.0, kEnd);
  b.add("s1", "B", 0.5, 4.0, kEnd);
  return b.build(0.5);
}

// T10: s0 -> s1 or s2 (1/2 each, reward 0); s1: a pays 0, b pays −1 or 10; s2 pays 5.
inline Mdp median_trap() {
  MdpBuilder b;
  b.add("s0", "go", 0.5, 0.0, "s1");
  b.add("s0", "go", 0.5, 0.0, "s2");
  b.add("s1", "a", 1.0, 0.0, kEnd);
  b.add("s1", "b", 0.5, -1.0, kEnd);
  b.add("s1", "b", 0.5, 10.0, kEnd);
  b.add("s2", "pay", 1.0, 5.0, kEnd);
  return b.build(1.0);
}

// A seeded random MDP: every action has `outcomes` outcomes with Dirichlet(1)-like
// probabilities, rewards uniform on [−1, 1] (rounded to 1/8 when `dyadic`), next states
// uniform; with probability p_end an outcome terminates.
inline Mdp random_mdp(arma::uword states, arma::uword actions, arma::uword outcomes, double gamma,
                      std::uint64_t seed, arma::uword horizon = 0, double p_end = 0.0,
                      bool dyadic = false) {
  rddist::RandomStream rng(seed, 0);
  std::vector<std::vector<std::vector<rddist::ddp::Outcome>>> out(states);
  for (arma::uword x = 0; x < states; ++x) {
    out[x].resize(actions);
    for (arma::uword a = 0; a < actions; ++a) {
      double sum = 0.0;
      std::vector<double> w(outcomes);
      for (auto& v : w) {
        v = -std::log(1.0 - rng.uniform());
        sum += v;
      }
      for (arma::uword k = 0; k < outcomes; ++k) {
        double r = 2.0 * rng.uniform() - 1.0;
        if (dyadic) r = std::round(8.0 * r) / 8.0;
        const arma::uword next = rng.uniform() < p_end
                                     ? rddist::ddp::kTerminal
                                     : static_cast<arma::uword>(rng.uniform() * states);
        out[x][a].push_back({w[k] / sum, r, next});
      }
    }
  }
  return Mdp(std::move(out), gamma, horizon);
}

}  // namespace ddp_examples

#endif  // RDDIST_TESTS_DDP_EXAMPLES_H
