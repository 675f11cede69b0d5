// quantile_data.h — reading files with one row per unit and its quantiles already computed.
//
// The layout of the golden ref_data_*.csv files: the running variable, optionally the
// treatment (and a unit key, cluster id, covariates or unit weight, each a number on
// every row), and one column per quantile level. Quantile
// columns are those whose name starts with --qcols, or by default every other column
// whose values are all numbers. The grid comes from --quantiles and must have one level
// per quantile column; without it the levels are j/(K+1), j = 1..K, the convention of
// R3D's files. Missing quantile values are an error (or, with drop_missing, the unit is
// dropped with a warning). With a key column units are put in key order; without one
// they keep the file's order.
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
  arma::vec q_grid;       // empty: j/(K+1)
};

UnitTable read_quantile_data(const QuantileReadOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist::cli

#endif  // RDDIST_CLI_QUANTILE_DATA_H
