// rng.cpp — xoshiro256++ streams and a ziggurat normal sampler (see rng.h).
//
// Ziggurat for the half density f(x) = exp(−x²/2): N = 256 layers of equal area v. The
// base layer is the rectangle [0, r] × [0, f(r)] plus the tail beyond r, so
// v = r f(r) + ∫_r^∞ f. Boundaries: X[0] = v / f(r), X[1] = r,
// X[i+1] = f⁻¹(f(X[i]) + v / X[i]), X[N] = 0. A draw picks a layer i and x = u X[i] with
// u uniform on (−1, 1); it is accepted at once when |x| < X[i+1] (inside the part of the
// layer that lies under the curve), otherwise by a wedge test (i > 0) or from the tail.
#include "rddist/rng.h"

#include <array>
#include <cmath>
#include <thread>
#include <vector>

namespace rddist {
namespace {

constexpr int kLayers = 256;
constexpr double kR = 3.6541528853610088;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

double half_density(double x) { return std::exp(-0.5 * x * x); }

struct Ziggurat {
  std::array<double, kLayers + 1> x;   // layer boundaries X[0..N]
  std::array<double, kLayers + 1> fx;  // f(X[i])
  std::array<double, kLayers> ratio;   // X[i+1] / X[i]: the immediate-acceptance bound

  Ziggurat() {
    // Tail mass ∫_r^∞ exp(−x²/2) dx = sqrt(π/2) erfc(r/√2).
    const double tail = std::sqrt(M_PI / 2.0) * std::erfc(kR / std::sqrt(2.0));
    const double v = kR * half_density(kR) + tail;
    x[0] = v / half_density(kR);
    x[1] = kR;
    for (int i = 1; i < kLayers - 1; ++i)
      x[i + 1] = std::sqrt(-2.0 * std::log(half_density(x[i]) + v / x[i]));
    x[kLayers] = 0.0;
    for (int i = 0; i <= kLayers; ++i) fx[i] = half_density(x[i]);
    for (int i = 0; i < kLayers; ++i) ratio[i] = x[i + 1] / x[i];
  }
};

const Ziggurat& ziggurat() {
  static const Ziggurat table;
  return table;
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream) {
  // Distinct (seed, stream) pairs start splitmix64 at well-separated points.
  std::uint64_t state = seed;
  state = splitmix64(state) ^ (stream * 0xD1342543DE82EF95ULL + 0x2545F4914F6CDD1DULL);
  for (auto& word : s_) word = splitmix64(state);
}

std::uint64_t RandomStream::next_u64() {
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

double RandomStream::uniform() {
  // (k + 0.5) / 2^53 for a 53-bit k: never exactly 0 or 1.
  return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

double RandomStream::exponential() { return -std::log(uniform()); }

double RandomStream::normal() {
  const Ziggurat& z = ziggurat();
  for (;;) {
    const std::uint64_t bits = next_u64();
    const int i = static_cast<int>(bits & 0xFF);
    // Bits 11..63 give u in (−1, 1); bits 0..7 chose the layer.
    const double u = 2.0 * ((static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53) - 1.0;
    if (std::fabs(u) < z.ratio[i]) return u * z.x[i];
    if (i == 0) {
      // Tail beyond r (Marsaglia 1964): x = −ln(U1)/r, accept when −2 ln(U2) > x².
      double t, e;
      do {
        t = -std::log(uniform()) / kR;
        e = -std::log(uniform());
      } while (e + e < t * t);
      return u < 0.0 ? -(kR + t) : kR + t;
    }
    const double x = u * z.x[i];
    if (z.fx[i] + uniform() * (z.fx[i + 1] - z.fx[i]) < half_density(x)) return x;
  }
}

arma::mat normal_columns(std::uint64_t seed, const arma::uvec& streams, arma::uword draws,
                         unsigned threads) {
  arma::mat out(draws, streams.n_elem);
  auto work = [&](arma::uword begin, arma::uword end) {
    for (arma::uword k = begin; k < end; ++k) {
      RandomStream rs(seed, streams[k]);
      double* column = out.colptr(k);
      for (arma::uword b = 0; b < draws; ++b) column[b] = rs.normal();
    }
  };
  const unsigned n_threads = std::max(1u, threads);
  const arma::uword n = streams.n_elem;
  const arma::uword chunk = (n + n_threads - 1) / n_threads;
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads; ++t) {
    const arma::uword b = std::min<arma::uword>(n, t * chunk), e = std::min<arma::uword>(n, b + chunk);
    if (b < e) pool.emplace_back(work, b, e);
  }
  work(0, std::min<arma::uword>(n, chunk));
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace rddist
