// grouping.h — from long data (one row per draw) to units (paper §1).
//
// Micro data usually arrive long: one row per worker, family or pupil, carrying the key
// of its unit (firm, state-year, school), the unit's running variable and, optionally,
// its treatment and cluster, the draw's outcome and its sampling weight. The estimators
// need one row per unit: x_i, T_i, the cluster of i, and the empirical quantile function
// Q̂_i on the grid. UnitGrouper does that conversion for every front end (the R formula
// interface and the command-line reader feed it rows), so that the rules and the messages
// are the same everywhere:
//   - A unit is identified by its key, compared as text: the parts of a key of several
//     columns are joined by '\0'. Keys that differ as text are different units, even when
//     they are equal as numbers ("1", "01", "1.0"); a warning names such keys.
//   - The result lists the units in ascending byte order of their keys, whatever the order
//     of the rows (and the estimator then works in the data's own canonical order,
//     unit_order.h, so no result depends on the order of the rows).
//   - x, treatment, cluster and any further unit-level columns (covariates, a unit weight)
//     describe the unit and must be equal on all its rows; the first disagreement is an
//     error naming the unit, both rows and both values.
//   - A missing outcome (NaN) or sampling weight is a missing draw. With drop_missing the
//     draw is dropped and counted (GroupedUnits says how many); otherwise it is an error
//     that counts them all and names the first. A unit left without draws, or whose
//     weights are all zero, is an error.
//   - The quantiles of a unit do not depend on the order of its rows (quantiles.h orders
//     ties of weighted draws by weight).
// Two ways to collect the draws, same result: any order (each row keeps its unit code,
// outcome and weight, 12 or 20 bytes, until finish() groups them by a counting sort), or
// consecutive, when the front end knows that the rows of each unit are adjacent: a
// unit's quantiles are then computed as soon as its rows end, so memory is bounded by the
// largest unit; a unit whose rows reappear later throws rows_not_consecutive.
#ifndef RDDIST_R3D_GROUPING_H
#define RDDIST_R3D_GROUPING_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/error.h"
#include "rddist/hooks.h"
#include "rddist/r3d/options.h"

namespace rddist {

// Thrown in consecutive mode when a unit's rows are not adjacent.
class rows_not_consecutive : public data_error {
 public:
  using data_error::data_error;
};

struct GroupingOptions {
  arma::vec q_grid;
  QuantileType quantile_type = QuantileType::type7;
  bool treatment = false, weights = false, cluster = false;  // which columns the rows carry
  bool drop_missing = false;   // drop draws with a missing outcome or weight
  bool consecutive = false;    // the rows of each unit are adjacent (see above)
  unsigned threads = 1;
  // How the columns are named in messages ("'dem_share'", "the running variable").
  std::string x_name = "the running variable", y_name = "the outcome",
              treatment_name = "the treatment", weight_name = "the draw weight",
              cluster_name = "the cluster";
  // Further unit-level numeric columns the rows carry, by their names in messages
  // ("the covariate 'age'"); each must be finite and constant within a unit.
  std::vector<std::string> unit_columns;
};

// How a row is named in messages ("row 17", "governors.csv:17").
using RowLabel = std::function<std::string(std::uint64_t row)>;

// One row: the unit-level values and one draw.
struct RowValues {
  double x = 0.0;
  double y = 0.0;
  double treatment = 0.0;    // when options.treatment
  double weight = 1.0;       // when options.weights
  std::uint32_t cluster = 0; // when options.cluster: the front end's code of the cluster
  const double* unit_values = nullptr;  // options.unit_columns.size() values, in that order
};

// One row per unit, in ascending key order.
struct GroupedUnits {
  std::vector<std::string> keys;  // parts joined by '\0'
  arma::uvec code;       // the unit's code (add_unit's return value)
  arma::vec x;           // running variable
  arma::vec treatment;   // empty when the rows have none
  arma::uvec cluster;    // the front end's cluster codes; empty when none
  arma::uvec draws;      // draws kept per unit
  arma::mat quantiles;   // units × M empirical quantiles on the grid
  arma::mat unit_columns;  // units × (number of options.unit_columns)
  std::uint64_t rows = 0, rows_dropped = 0, units_with_drops = 0;
};

class UnitGrouper {
 public:
  UnitGrouper(GroupingOptions options, RowLabel row_label = RowLabel());

  // Registers a unit by its key; codes are 0, 1, 2, ... in order of registration.
  std::uint32_t add_unit(std::string key);
  std::size_t units() const { return info_.size(); }

  // One row of unit `unit` (registered); `row` is the front end's row number for messages.
  void add_row(std::uint32_t unit, std::uint64_t row, const RowValues& values);

  // Hints that add_row(unit, ...) follows soon (front ends that batch rows overlap the
  // memory latency of many units' records this way).
  void prefetch(std::uint32_t unit) const { __builtin_prefetch(info_.data() + unit); }

  // Checks the units, computes the quantiles still pending and returns the units in key
  // order. The grouper is spent afterwards.
  GroupedUnits finish(const Hooks& hooks = Hooks());

  // A key as messages show it: parts joined by ',', at most 60 bytes (then "…(N bytes)").
  static std::string display_key(const std::string& key);

 private:
  struct alignas(64) UnitInfo {  // one cache line: rows touch units in random order
    double x = 0.0, treatment = 0.0, weight_sum = 0.0;
    std::uint32_t cluster = 0;
    std::uint64_t first_row = 0, last_row = 0, draws = 0, missing = 0;
    bool seen = false;
  };

  [[noreturn]] void fail_not_constant(std::uint32_t unit, std::uint64_t row, const std::string& column,
                                      double here, double before) const;
  void note_missing(std::uint32_t unit, std::uint64_t row, const std::string& column);
  bool keeping() const { return options_.drop_missing || missing_rows_ == 0; }
  void new_chunk();
  void end_current_unit();
  void flush_consecutive();
  void check_units() const;
  std::vector<std::uint32_t> key_ranks() const;
  void warn_numeric_twins(const Hooks& hooks) const;

  GroupingOptions options_;
  RowLabel row_label_;
  std::vector<std::string> keys_;
  std::vector<UnitInfo> info_;
  std::vector<double> unit_values_;  // per unit, its unit-column values (first row's)
  std::uint64_t rows_ = 0, missing_rows_ = 0, missing_units_ = 0;
  std::uint64_t first_missing_row_ = 0;
  std::uint32_t first_missing_unit_ = 0;
  std::string first_missing_column_;
  // Any order: per-row unit codes and draws, in chunks; the current chunk's columns.
  std::vector<std::vector<std::uint32_t>> row_unit_;
  std::vector<std::vector<double>> row_y_, row_w_;
  std::uint32_t* chunk_unit_ = nullptr;
  double *chunk_y_ = nullptr, *chunk_w_ = nullptr;
  std::size_t chunk_fill_ = std::size_t{1} << 20;  // full: the first row starts a chunk
  // Consecutive: the current unit, the draws of the units collected since the last flush
  // and the quantile rows computed so far (by unit code, in blocks).
  bool have_current_ = false;
  std::uint32_t current_ = 0;
  std::vector<double> batch_y_, batch_w_;
  std::vector<std::size_t> batch_begin_;
  std::vector<std::uint32_t> batch_units_;
  std::vector<std::vector<double>> blocks_;
};

// Read-only views of the columns of long data held in memory, `rows` entries each;
// optional columns are null when absent. unit[r] is the code of row r's unit, whose key
// is keys[code]. Feeds a UnitGrouper (any order) and returns its result; rows are named
// "row r" (counted from 1) in messages.
struct LongData {
  std::size_t rows = 0;
  const int* unit = nullptr;
  const double* x = nullptr;
  const double* y = nullptr;
  const double* treatment = nullptr;
  const double* weight = nullptr;
  const int* cluster = nullptr;
  std::vector<const double*> unit_columns;  // one per options.unit_columns
};

GroupedUnits group_units(const LongData& data, const std::vector<std::string>& keys,
                         const GroupingOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_GROUPING_H
