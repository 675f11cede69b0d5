// unit_table.h — the sample as the estimator sees it: one row per unit, in key order.
//
// Both input layouts end here: long files (one row per draw, long_data.h) after grouping
// and per-unit quantiles, quantile files (one row per unit, quantile_data.h) directly.
// Units are sorted by their key (byte-wise ascending; the row number when a quantile
// file has no key column), so that the estimate does not depend on the order of the rows.
// Unit-level columns (covariates, a unit weight) ride along in the same unit order.
// The read summary travels with the table into the JSON report.
#ifndef RDDIST_CLI_UNIT_TABLE_H
#define RDDIST_CLI_UNIT_TABLE_H

#include <cstdint>
#include <string>
#include <vector>

#include "rddist/arma.h"

namespace rddist::cli {

// What happened while reading, for the JSON report and messages.
struct ReadSummary {
  std::string file;
  std::string format;          // "long" or "quantiles"
  std::string read_mode;       // "any-order", "grouped" (streamed) or "units"
  bool compressed = false;
  std::uint64_t rows = 0;            // data rows in the file
  std::uint64_t rows_dropped = 0;    // rows dropped by --drop-missing
  std::uint64_t units_with_drops = 0;
  std::uint64_t draws_min = 0, draws_max = 0;
  bool grid_from_columns = false;    // quantile file without --quantiles: q_j = j/(K+1)
  std::vector<std::string> quantile_columns;
  std::vector<std::string> warnings;
  double seconds_read = 0.0;         // parsing and grouping (quantiles excluded)
  double seconds_quantiles = 0.0;    // per-unit empirical quantiles
};

struct UnitTable {
  std::vector<std::string> keys;  // unit keys (several --id columns joined by ',')
  bool keys_are_lines = false;    // a quantile file without --id: keys are "line N"
  arma::vec x;                    // running variable
  arma::vec treatment;            // empty for a sharp design
  arma::uvec cluster;             // cluster code per unit (0-based); empty when none
  std::uint64_t n_clusters = 0;
  arma::vec unit_weights;         // --unit-weight per unit; empty when none
  arma::mat covariates;           // units × (number of --covs); no columns when none
  std::vector<std::string> covariate_names;  // the --covs column names
  arma::mat quantiles;            // units × levels
  arma::vec q_grid;
  arma::uvec core_order;          // unit k of the core's data is unit core_order[k] here
  ReadSummary summary;
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_UNIT_TABLE_H
