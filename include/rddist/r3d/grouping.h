// grouping.h — from long data (one row per draw) to units (paper §1).
//
// Micro data usually arrive long: one row per worker, family or pupil, carrying the key
// of its unit (firm, state-year, school), the unit's running variable and, optionally,
// its treatment and cluster, the draw's outcome and its sampling weight. The estimators
// need one row per unit: x_i, T_i, the cluster of i, and the empirical quantile function
// Q̂_i on the grid. group_units() does that conversion in one pass over the rows plus one
// counting sort, without any per-unit work in the front end.
//
// Conventions a caller must know:
//   - Units are identified by integer codes 0, 1, ..., n_units − 1 (R: a factor's codes
//     minus one, or match(key, sorted unique keys) − 1). Unit k of the result is the unit
//     with code k, so the order of the result is the order of the codes, never the order
//     of the rows: a front end that assigns codes by sorting its keys gets units in an
//     order that does not depend on how the rows were shuffled.
//   - x, treatment and cluster describe the unit and must be constant within it; the
//     first disagreement is an error naming the unit (by the caller's label, else its
//     position counted from 1), both rows (counted from 1) and both values.
//   - Within a unit the draws keep their row order (the sort is stable). The quantiles do
//     not depend on that order anyway (see quantiles.h: ties of weighted draws are ordered
//     by weight).
//   - Every code must be used by at least one row (an empty unit has no distribution).
#ifndef RDDIST_R3D_GROUPING_H
#define RDDIST_R3D_GROUPING_H

#include <cstddef>
#include <functional>
#include <string>

#include "rddist/arma.h"
#include "rddist/hooks.h"
#include "rddist/r3d/options.h"

namespace rddist {

// Read-only views of the columns of long data, `rows` entries each. Optional columns are
// null pointers when absent.
struct LongData {
  std::size_t rows = 0;
  const int* unit = nullptr;         // unit code per row, in [0, n_units)
  const double* x = nullptr;         // running variable (constant within unit)
  const double* y = nullptr;         // the outcome draw
  const double* treatment = nullptr; // optional treatment (constant within unit)
  const double* weight = nullptr;    // optional sampling weight of the draw (>= 0)
  const int* cluster = nullptr;      // optional cluster code >= 0 (constant within unit)
};

// One row per unit, in code order.
struct GroupedUnits {
  arma::vec x;           // running variable
  arma::vec treatment;   // treatment; empty when the data have none
  arma::ivec cluster;    // cluster code; empty when the data have none
  arma::uvec draws;      // number of rows (draws) of each unit
  arma::mat quantiles;   // n_units × M empirical quantiles on the grid q
};

// How a unit is named in messages: its label given its code. Empty → "unit <code + 1>".
using UnitLabel = std::function<std::string(std::size_t code)>;

// Groups the rows by unit, checks that the unit-level columns are constant within units
// and computes each unit's (weighted) empirical quantiles at the levels q with
// quantile_matrix(). Throws invalid_argument for malformed input (bad codes, levels) and
// data_error for data that cannot be used (non-finite values, invalid weights, a unit
// whose x, treatment or cluster varies, an empty unit). `where` starts every message.
GroupedUnits group_units(const LongData& data, std::size_t n_units, const arma::vec& q,
                         QuantileType type = QuantileType::type7, unsigned threads = 1,
                         const Hooks& hooks = Hooks(), const UnitLabel& label = UnitLabel(),
                         const char* where = "group_units");

}  // namespace rddist

#endif  // RDDIST_R3D_GROUPING_H
