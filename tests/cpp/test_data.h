// test_data.h — the data sets the core tests estimate on: golden files of R3D 0.1.0 in
// their two layouts, and the simulation designs of the paper.
#ifndef RDDIST_TESTS_TEST_DATA_H
#define RDDIST_TESTS_TEST_DATA_H

#include <string>

#include "rddist/r3d/estimate.h"

namespace test_data {

// A golden file with one row per unit: X, [treatment,] quantile columns. The grid defaults
// to j/(K+1), j = 1..K, the layout of the ref_data_* files.
rddist::RdData wide(const std::string& file, bool fuzzy = false, arma::vec q = arma::vec());

// A long golden file (unit, x, y[, t]): units in order of appearance, type-7 quantiles on q.
rddist::RdData long_format(const std::string& file, const arma::vec& q);

// The paper's design (simulate.h) with type-7 quantiles on the deciles.
rddist::RdData simulated(int dgp, arma::uword units, arma::uword draws, bool fuzzy,
                         std::uint64_t seed, double delta = 1.0);

}  // namespace test_data

#endif  // RDDIST_TESTS_TEST_DATA_H
