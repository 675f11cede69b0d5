// ddp_csv.cpp — writes the DDP benchmark problems as transition tables for `rddist dp`
// (bench/ddp_cli.sh, bench/README.md).
//
//   rddist_bench_ddp_csv random S      the seeded random MDP of rddist_bench_ddp (ddp_scale.cpp):
//                                      S states, 4 actions, 3 outcomes, the same generator
//                                      and seed, no termination
//   rddist_bench_ddp_csv chain N forward|reverse
//                                      N states in a line, "up" pays 1 and "safe" 0, the last
//                                      ends the episode; rows listed first to last (every
//                                      transition to a later row) or last to first
//   rddist_bench_ddp_csv binary N      N states in a line, one action paying 0 or 1 with
//                                      probability 1/2 each (the return is Binomial(N, 1/2))
// Numbers are printed with 17 significant digits, so the CSV is the MDP of the C++ bench.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "rddist/rng.h"

namespace {

void random_mdp(unsigned long states) {
  const unsigned long actions = 4, outcomes = 3;
  rddist::RandomStream rng(20250113, 0);  // as ddp_scale.cpp
  std::printf("state,action,prob,reward,next_state\n");
  for (unsigned long x = 0; x < states; ++x)
    for (unsigned long a = 0; a < actions; ++a) {
      double w[outcomes], sum = 0.0;
      for (double& v : w) sum += (v = -std::log(1.0 - rng.uniform()));
      for (unsigned long k = 0; k < outcomes; ++k) {
        const double reward = 2.0 * rng.uniform() - 1.0;
        const unsigned long next = static_cast<unsigned long>(rng.uniform() * states);
        std::printf("s%lu,a%lu,%.17g,%.17g,s%lu\n", x + 1, a + 1, w[k] / sum, reward, next + 1);
      }
    }
}

void chain(unsigned long n, bool forward) {
  std::printf("state,action,prob,reward,next_state\n");
  for (unsigned long i = 0; i < n; ++i) {
    const unsigned long k = forward ? i : n - 1 - i;
    char next[32] = "";
    if (k + 1 < n) std::snprintf(next, sizeof next, "c%lu", k + 1);
    std::printf("c%lu,up,1,1,%s\nc%lu,safe,1,0,%s\n", k, next, k, next);
  }
}

void binary(unsigned long n) {
  std::printf("state,action,prob,reward,next_state\n");
  for (unsigned long k = 0; k < n; ++k) {
    char next[32] = "";
    if (k + 1 < n) std::snprintf(next, sizeof next, "b%lu", k + 1);
    std::printf("b%lu,go,0.5,0,%s\nb%lu,go,0.5,1,%s\n", k, next, k, next);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "random") == 0) {
    random_mdp(std::strtoul(argv[2], nullptr, 10));
  } else if (argc >= 4 && std::strcmp(argv[1], "chain") == 0) {
    chain(std::strtoul(argv[2], nullptr, 10), std::strcmp(argv[3], "forward") == 0);
  } else if (argc >= 3 && std::strcmp(argv[1], "binary") == 0) {
    binary(std::strtoul(argv[2], nullptr, 10));
  } else {
    std::fprintf(stderr, "usage: rddist_bench_ddp_csv random S | chain N forward|reverse | binary N\n");
    return 1;
  }
  return 0;
}
