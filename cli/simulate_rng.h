// simulate_rng.h — a small seeded generator for `rddist simulate` (temporary).
//
// xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64, so any 64-bit seed
// gives a well-mixed state and the same seed gives the same draws on every platform.
// Uniforms use the top 53 bits; normals use the Box–Muller transform (both values of a
// pair are used); exponentials use inversion, -log(1 - U) / rate. Only `simulate` uses
// this; it is to be replaced by the core's portable generator (rng.h) once that exists.
#ifndef RDDIST_CLI_SIMULATE_RNG_H
#define RDDIST_CLI_SIMULATE_RNG_H

#include <cmath>
#include <cstdint>

namespace rddist::cli {

class SimulateRng {
 public:
  explicit SimulateRng(std::uint64_t seed) {
    std::uint64_t z = seed;
    for (std::uint64_t& s : state_) s = splitmix64(z);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform on [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }

  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // 1 - U lies in (0, 1], so the logarithm is finite.
    const double r = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    const double angle = 2.0 * kPi * uniform();
    spare_ = r * std::sin(angle);
    has_spare_ = true;
    return r * std::cos(angle);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }

  double exponential(double rate) { return -std::log(1.0 - uniform()) / rate; }

  // Uniform integer in [0, n), by rejection so that every value is equally likely.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t v;
    do v = next();
    while (v >= limit);
    return v % n;
  }

 private:
  static constexpr double kPi = 3.14159265358979323846;
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& z) {
    z += 0x9E3779B97F4A7C15ull;
    std::uint64_t r = z;
    r = (r ^ (r >> 30)) * 0xBF58476D1CE4E5B9ull;
    r = (r ^ (r >> 27)) * 0x94D049BB133111EBull;
    return r ^ (r >> 31);
  }

  std::uint64_t state_[4];
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_SIMULATE_RNG_H
