// cmd_sql.cpp — `rddist sql`: print the SQL that computes each unit's quantiles in a database
// (paper §1: the units' empirical quantile functions).
//
// The query is the core's (rddist/r3d/sql.h), the same text the R package runs through
// DBI: one row per unit with its key, running variable, optional treatment and cluster,
// and one column per level, which `rddist estimate --format quantiles` reads back. With
// --checks the diagnostic query is printed instead. Bad names or levels are usage errors.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli_errors.h"
#include "commands.h"
#include "options.h"
#include "output.h"
#include "rddist/error.h"
#include "rddist/r3d/sample.h"
#include "rddist/r3d/sql.h"

namespace rddist::cli {
namespace {

struct SqlOptions {
  std::string table;
  std::vector<std::string> id;
  std::string x = "x", y = "y", treatment, cluster, weight;
  std::string quantiles;
  bool quantiles_given = false;  // not given: the core's default grid ('' is an error)
  std::string dialect = "ansi";
  bool checks = false;
  std::string out = "-";
};

const char* const kSqlExamples = R"(The query returns one row per unit: the unit key column(s), the running variable
(and treatment, cluster) under their own names, then one column per level named q<level>
(q0.05, q0.1, ...). NULL marks a unit the data cannot serve (a missing or non-finite draw
or weight, no positive weight, a running variable that varies within the unit); --checks
prints the query that lists those units and why. Numbers are computed in double precision
as in `rddist estimate`, weighted or not.

Examples:
  # quantiles of income per state-year, weighted, for DuckDB, PostgreSQL or SQLite
  rddist sql --table families --id state,year --x dem_share --y income_pov \
      --weight famwgt --quantiles 0.05:0.95:0.05 > quantiles.sql
  sqlite3 -csv -header families.db < quantiles.sql > quantiles.csv

  # then estimate from the one-row-per-unit result (several key columns: no --id needed,
  # each row is a unit)
  rddist estimate quantiles.csv --format quantiles --x dem_share --qcols q \
      --quantiles 0.05:0.95:0.05 --cutoff 0.5

  # Spark SQL (backquoted names); run the text with spark.sql(...)
  rddist sql --dialect spark --table lake.families --id firm --x score --y wage \
      --quantiles 0.1:0.9:0.1

  # what is wrong with the data, unit by unit
  rddist sql --checks --table families --id state,year --x dem_share --y income_pov

Exit codes: 0 ok, 1 usage error, 4 file error.)";

int run_sql(const SqlOptions& o) {
  SqlSource source;
  source.table = o.table;
  source.unit = o.id.empty() ? std::vector<std::string>{"unit"} : o.id;
  source.y = o.y;
  source.x = o.x;
  source.treatment = o.treatment;
  source.cluster = o.cluster;
  source.weight = o.weight;
  const SqlDialect dialect = parse_sql_dialect(o.dialect);
  const arma::vec levels =
      o.quantiles_given ? parse_quantile_grid(o.quantiles) : default_q_grid();
  check_writable(o.out, "--out");
  const std::string text =
      o.checks ? quantile_sql_checks(source, dialect) : quantile_sql(source, levels, dialect);
  write_text(o.out, text);
  return kExitOk;
}

}  // namespace

Command add_sql_command(CLI::App& parent) {
  auto o = std::make_shared<SqlOptions>();
  CLI::App* app = parent.add_subcommand(
      "sql", "Print the SQL that computes each unit's quantiles inside a database");
  app->add_option("--table", o->table,
                  "Table (or view) of draws, one row per draw; schema.table allowed")
      ->required();
  app->add_option("--id", o->id,
                  "Unit key column(s), comma-separated: --id state,year (default: unit)")
      ->delimiter(',');
  app->add_option("--x", o->x, "Running-variable column, constant within units (default: x)");
  app->add_option("--y", o->y, "Outcome column, one draw per row (default: y)");
  app->add_option("--treatment", o->treatment, "Treatment column (fuzzy design), constant within units");
  app->add_option("--cluster", o->cluster, "Cluster column, constant within units");
  app->add_option("--weight", o->weight, "Sampling-weight column of the draws (weighted quantiles)");
  app->add_option("--quantiles", o->quantiles,
                  "Levels: 'a:b:step' or a comma-separated list (default: 0.01:0.99:0.01)")
      ->each([o](const std::string&) { o->quantiles_given = true; });
  app->add_option("--dialect", o->dialect,
                  "Quoting and types: 'ansi' (default; SQLite, PostgreSQL, DuckDB), 'spark' or "
                  "'bigquery' (backquoted names)");
  app->add_flag("--checks", o->checks,
                "Print the query listing the units the quantiles cannot be computed for, and why");
  app->add_option("--out", o->out, "Write the SQL to this file (default: standard output)")
      ->check(file_name());
  app->footer(kSqlExamples);
  return Command{app, [o] { return run_sql(*o); }};
}

}  // namespace rddist::cli
