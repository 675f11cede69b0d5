// sql.h — SQL that reduces each unit's draws to its quantile function inside a database
// (paper §1: the units' empirical quantile functions, computed where the draws live).
//
// The estimators only need the small units × levels matrix of empirical quantiles; the
// reduction of hundreds of millions of draws to that matrix is a group-by that SQL engines
// run at scale. quantile_sql() writes that query once, for every front end (the R package
// runs it through DBI, `rddist sql` prints it), with the definitions of quantiles.h:
//   unweighted: type 7, h = 1 + (n − 1) q between the order statistics of rank ⌊h⌋ and ⌊h⌋ + 1;
//   weighted:   draws in (value, weight) order, zero weights left out, the k-th at
//               p_k = (S_k − w_k/2 − w_1/2) / (W − w_1/2 − w_n/2), p_1 = 0, p_n = 1, and
//               linear interpolation between the points (p_k, z_(k)); a unit whose
//               weights are all equal takes the unweighted definition, as in memory.
// The query uses only portable SQL: common table expressions, ROW_NUMBER, COUNT, MIN, MAX
// and a running SUM over windows partitioned by unit, CASE and CAST. Each level's value
// comes from four aggregates per unit — the largest draw and position at or below the
// level's target and the smallest above it — so no row needs to know its neighbour and
// ties never depend on how an engine breaks them. Arithmetic is in double precision with
// the same operations, in the same order, as the in-memory code (levels enter as literals
// in scientific notation, which engines read as doubles, not as decimals); results agree
// with it to rounding, exactly where the engine's running sum adds left to right.
//
// Output: one row per unit, ordered by the key — the key column(s), the running variable
// and the optional treatment and cluster under their own names (once only when one of them
// is also a key column, as a cluster "state" of state-year units), then one column per level
// named "q" + the level in its shortest round-trip decimal form ("q0.05", "q0.5"). A NULL
// marks what the data cannot give: quantiles of a unit with a missing or non-finite draw
// or weight, no positive weight or a missing key; the running variable, treatment or
// cluster of a unit in which it is missing or not constant. quantile_sql_checks() lists
// those units and counts the problems, for a message that names them.
#ifndef RDDIST_R3D_SQL_H
#define RDDIST_R3D_SQL_H

#include <string>
#include <vector>

#include "rddist/arma.h"

namespace rddist {

// How identifiers are quoted and which type is a double:
//   ansi     "name", DOUBLE PRECISION: SQLite, PostgreSQL, DuckDB (also spelled "sqlite",
//            "postgresql", "duckdb");
//   spark    `name`, DOUBLE: Spark SQL (also Databricks);
//   bigquery `name`, FLOAT64; BigQuery column names cannot hold a '.', so the level
//            columns are written with '_' for the decimal point ("q0_05").
enum class SqlDialect { ansi, spark, bigquery };

SqlDialect parse_sql_dialect(const std::string& name);
std::string to_string(SqlDialect dialect);

// A table of draws, one row per draw, and the roles of its columns. Names are given as the
// database knows them (unquoted); the generator quotes them. The table may be qualified
// ("schema.table", "project.dataset.table": each dot separates two names).
struct SqlSource {
  std::string table;
  std::vector<std::string> unit;  // the key column(s) whose values together identify a unit
  std::string y;                  // the draws of the outcome
  std::string x;                  // the running variable, constant within units
  std::string treatment;          // optional ("" for none), constant within units
  std::string cluster;            // optional ("" for none), constant within units
  std::string weight;             // optional draw weights ("" for unweighted quantiles)
};

// The query described above, for the levels (strictly increasing, inside (0, 1)).
// Throws invalid_argument for a name that cannot be quoted (empty, a control character,
// the dialect's quote character), one that starts with "rddist_" (kept for the query's
// own columns), a column given two roles, output columns whose names coincide, or bad
// levels; the message says what to change.
std::string quantile_sql(const SqlSource& source, const arma::vec& levels,
                         SqlDialect dialect = SqlDialect::ansi);

// The name of the output column of a level: "q" + its shortest round-trip decimal text.
std::string quantile_sql_column(double level, SqlDialect dialect = SqlDialect::ansi);

// The diagnostic query: one row per unit that quantile_sql() answers with a NULL, with
// the key column(s) and, for each check that applies, a column rddist_<check> (the unit's
// count of offending rows, or 1 for a property of the unit), rddist_<check>_total (the sum
// over all units) and rddist_<check>_units (the number of units affected). The checks:
//   unit_missing                                a key column is NULL
//   y_missing, y_nonfinite                      a draw is NULL, or infinite or NaN
//   x_missing, x_nonfinite, x_varies            likewise the running variable, and whether
//                                               it varies within the unit (then also
//                                               rddist_x_min, rddist_x_max)
//   treatment_missing, treatment_nonfinite, treatment_varies   (with a treatment)
//   cluster_missing, cluster_varies             (with a cluster)
//   weight_missing, weight_nonfinite, weight_negative, weight_zero (no positive weight)
// It takes the same arguments as quantile_sql() without the levels and throws alike.
std::string quantile_sql_checks(const SqlSource& source, SqlDialect dialect = SqlDialect::ansi);

// The checks quantile_sql_checks() reports for this source, in its column order.
std::vector<std::string> quantile_sql_check_names(const SqlSource& source);

}  // namespace rddist

#endif  // RDDIST_R3D_SQL_H
