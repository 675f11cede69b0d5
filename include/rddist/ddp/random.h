// random.h — the seeded generator behind Monte Carlo policy evaluation (spec ddp.md §4).
//
// xoshiro256++ (Blackman and Vigna, 2019): 256 bits of state, period 2^256 − 1, one 64-bit
// output per call from rotations, shifts and additions only, so every platform and compiler
// produces the same stream. The state is filled from the 64-bit seed by splitmix64, which
// never leaves it all zero. Uniform doubles use the top 53 bits: k · 2^-53, k in [0, 2^53).
#ifndef RDDIST_DDP_RANDOM_H
#define RDDIST_DDP_RANDOM_H

#include <cstdint>

namespace rddist {
namespace ddp {

// One step of splitmix64: advances `state` and returns a well-mixed 64-bit value.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_RANDOM_H
