// quantile_data.h — reading files with one row per unit and its quantiles already computed.
//
// The layout of the golden ref_data_*.csv files: the running variable, optionally the
// treatment (and a unit key, cluster id, covariates or unit weight, each a number on
// every row), and one column per quantile level. Quantile
// columns are those whose name starts with --qcols, or by default every other column
// that holds numbers (a column of text only is skipped with a warning); a cell that is
// not a number in a quantile column is an error naming its line and column. The levels
// come from the columns' names when each carries one (q0.05 or 0.05, increasing), else
// from --quantiles (one level per column; it must agree with named levels); with
// neither it is a usage error asking for --quantiles. Each unit's quantiles must not
// decrease. A single unnamed quantile column, or a key repeated on two rows, is taken
// for a long file and refused with a hint to use --format long. Missing quantile values
// are an error (or, with drop_missing, the unit is dropped with a warning). With a key
// column units are put in key order; without one they keep the file's order.
#ifndef RDDIST_CLI_QUANTILE_DATA_H
#define RDDIST_CLI_QUANTILE_DATA_H

#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/hooks.h"
#include "unit_table.h"

namespace rddist::cli {

struct QuantileReadOptions {
  std::string path;       // "-" for stdin
  std::string x = "x";
  std::string treatment;  // empty: sharp design
  std::string id;         // empty: units are the rows, in file order
  std::string cluster;    // empty: none
  std::vector<std::string> covs;  // unit-level covariate columns (not quantile columns)
  std::string unit_weight;        // empty: no unit weight
  std::string qcols;      // name prefix of the quantile columns; empty: every other numeric column
  bool drop_missing = false;
  char delimiter = 0;     // 0: detected from the header (csv_reader.h)
  arma::vec q_grid;       // empty: the levels the columns' names carry
};

UnitTable read_quantile_data(const QuantileReadOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist::cli

#endif  // RDDIST_CLI_QUANTILE_DATA_H
