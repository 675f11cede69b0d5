// rng.h — a seeded, portable random number generator for the bootstrap and simulations.
//
// The same seed must give the same multipliers in the C++ library, the R package and the
// command-line tool, whatever the order of the input and however many threads run. So
// randomness is organised in independent streams identified by (seed, stream index):
// the bootstrap gives each unit the stream of its canonical rank (unit_order.h), and a
// stream's k-th draw never depends on any other stream.
//
// Generator: xoshiro256++ (Blackman and Vigna 2019), its 256-bit state filled from
// (seed, stream) by splitmix64. Normals: a 256-layer ziggurat (Marsaglia and Tsang 2000)
// with Marsaglia's exact tail method beyond r = 3.6541528853610088; the layer table is
// computed once from its defining recursion. About 99% of draws need one 64-bit number
// and one multiplication; the rest use exp/log from the C library.
#ifndef RDDIST_RNG_H
#define RDDIST_RNG_H

#include <cstdint>

#include "rddist/arma.h"

namespace rddist {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next_u64();
  double uniform();      // in (0, 1), 53 random bits
  double normal();       // standard normal
  double exponential();  // rate 1

 private:
  std::uint64_t s_[4];
};

// A draws × streams.n_elem matrix of standard normals: column k holds the first `draws`
// normals of stream streams[k], so columns can be produced in any order or in parallel.
// (Columns, not rows: each stream's draws are stored contiguously, which is also the
// layout the bootstrap's matrix product wants.)
arma::mat normal_columns(std::uint64_t seed, const arma::uvec& streams, arma::uword draws,
                         unsigned threads = 1);

}  // namespace rddist

#endif  // RDDIST_RNG_H
