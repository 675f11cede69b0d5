// long_data.h — reading long-format files: one row per draw, units identified by key.
//
// Columns are chosen by name: one or several id columns (their values joined form the
// unit key), the running variable x, the outcome y, and optionally the treatment, a
// sampling weight per draw and a cluster id. x, treatment and cluster must be constant
// within a unit; a violation names file, line, column, unit and both values.
// Missing or non-numeric y (or weight) values are counted over the whole file and
// reported together (rows and units affected); with drop_missing those rows are dropped
// instead and reported as a warning. A unit left without draws is an error naming it.
//
// Two ways to read, same result (units end up in byte-wise ascending key order):
//   any-order: every row keeps only (unit id, y[, weight]) in fixed-size chunks; a
//     counting sort then groups the draws by unit, and quantiles are computed per unit.
//     Memory ≈ 12 (or 20, with weights) bytes per row, plus 8 per row while grouping.
//   grouped (streamed): when the rows of each unit are consecutive, each unit's draws are
//     reduced to its quantiles as soon as the unit ends; memory is bounded by the largest
//     unit plus the quantile matrix.
// Weighted draws of a unit are put in ascending (value, weight) order before their
// quantiles are computed, so that ties with different weights do not make the result
// depend on the order of the rows.
// RowOrder::automatic streams regular files optimistically and, the first time a unit
// reappears after its block ended, reads the file again in any-order mode; standard
// input (which cannot be read twice) is read in any-order mode unless `grouped` is given.
#ifndef RDDIST_CLI_LONG_DATA_H
#define RDDIST_CLI_LONG_DATA_H

#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/hooks.h"
#include "rddist/r3d/options.h"
#include "unit_table.h"

namespace rddist::cli {

enum class RowOrder { automatic, grouped, any };

struct LongColumns {
  std::vector<std::string> id{"unit"};
  std::string x = "x";
  std::string y = "y";
  std::string treatment;  // empty: none (sharp design)
  std::string weight;     // empty: unweighted draws
  std::string cluster;    // empty: no clusters
};

struct LongReadOptions {
  std::string path;  // "-" for stdin
  LongColumns columns;
  bool drop_missing = false;
  RowOrder order = RowOrder::automatic;
  arma::vec q_grid;
  QuantileType quantile_type = QuantileType::type7;
  unsigned threads = 1;
};

UnitTable read_long_data(const LongReadOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist::cli

#endif  // RDDIST_CLI_LONG_DATA_H
