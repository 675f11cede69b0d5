// long_data.h — reading long-format files: one row per draw, units identified by key.
//
// Columns are chosen by name: one or several id columns (their values, compared as text,
// form the unit key), the running variable x, the outcome y, and optionally the
// treatment, a sampling weight per draw, a cluster id, covariates and a unit weight. The
// reader decodes the CSV and streams the rows into the core's UnitGrouper (grouping.h),
// which checks that x, treatment, cluster, covariates and unit weight are constant within
// a unit (the last two as the grouper's unit-level columns), drops or refuses missing draws, orders
// the units by key and computes their quantiles — the same rules and messages as the R
// formula interface, with rows named "<file>:<line>". A field that is not a number (other
// than an empty or NA draw) is an error naming file, line, column and unit; with
// drop_missing such draws are dropped instead.
//
// Two ways to read, same result: any order (each row keeps its unit id and draw until the
// end), or grouped (streamed): when the rows of each unit are consecutive, each unit's
// draws are reduced to its quantiles as soon as the unit ends, so memory is bounded by the
// largest unit plus the quantile matrix. RowOrder::automatic streams regular files
// optimistically and, the first time a unit reappears after its block ended, reads the
// file again in any order; standard input (which cannot be read twice) is read in any
// order unless `grouped` is given.
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
  std::vector<std::string> covs;  // unit-level covariates (constant within a unit)
  std::string unit_weight;        // empty: no unit weight (constant within a unit)
};

struct LongReadOptions {
  std::string path;  // "-" for stdin
  LongColumns columns;
  bool drop_missing = false;
  char delimiter = 0;  // 0: detected from the header (csv_reader.h)
  RowOrder order = RowOrder::automatic;
  arma::vec q_grid;
  QuantileType quantile_type = QuantileType::type7;
  unsigned threads = 1;
};

UnitTable read_long_data(const LongReadOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist::cli

#endif  // RDDIST_CLI_LONG_DATA_H
