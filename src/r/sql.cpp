// sql.cpp (R glue) — R access to the SQL generator of the units' quantiles (paper §1;
// rddist/r3d/sql.h).
//
// R passes the table and column names unquoted and the dialect by name; the core quotes
// and checks them, so R and the command-line tool run the very same text.
#include "common.h"
#include "rddist/r3d/sample.h"
#include "rddist/r3d/sql.h"

namespace {

rddist::SqlSource sql_source(const std::string& table, const std::vector<std::string>& unit,
                             const std::string& y, const std::string& x,
                             const std::string& treatment, const std::string& cluster,
                             const std::string& weight) {
  rddist::SqlSource s;
  s.table = table;
  s.unit = unit;
  s.y = y;
  s.x = x;
  s.treatment = treatment;
  s.cluster = cluster;
  s.weight = weight;
  return s;
}

// The levels given, or the core's default grid.
arma::vec levels(const Rcpp::Nullable<Rcpp::NumericVector>& q_grid) {
  if (q_grid.isNull()) return rddist::default_q_grid();
  return Rcpp::as<arma::vec>(q_grid.get());
}

}  // namespace

// The quantile query ("quantiles") or its diagnostic query ("checks"); "" for an absent
// optional column.
// [[Rcpp::export(.rddist_sql)]]
std::string rddist_sql(std::string what, std::string table, std::vector<std::string> unit,
                       std::string y, std::string x, std::string treatment,
                       std::string cluster, std::string weight,
                       Rcpp::Nullable<Rcpp::NumericVector> q_grid, std::string dialect) {
  return rddist_r::translate_errors("r3d_quantiles_sql", [&] {
    const rddist::SqlSource s = sql_source(table, unit, y, x, treatment, cluster, weight);
    const rddist::SqlDialect d = rddist::parse_sql_dialect(dialect);
    if (what == "checks") return rddist::quantile_sql_checks(s, d);
    return rddist::quantile_sql(s, levels(q_grid), d);
  });
}

// The names of the result's level columns and of the checks the diagnostic query reports.
// [[Rcpp::export(.rddist_sql_names)]]
Rcpp::List rddist_sql_names(Rcpp::Nullable<Rcpp::NumericVector> q_grid, std::string dialect,
                            bool treatment, bool cluster, bool weight) {
  const rddist::SqlDialect d = rddist::parse_sql_dialect(dialect);
  const arma::vec q = levels(q_grid);
  std::vector<std::string> columns;
  for (double level : q) columns.push_back(rddist::quantile_sql_column(level, d));
  rddist::SqlSource s;
  if (treatment) s.treatment = "t";
  if (cluster) s.cluster = "c";
  if (weight) s.weight = "w";
  return Rcpp::List::create(Rcpp::Named("q_grid") = rddist_r::as_numeric(q),
                            Rcpp::Named("columns") = rddist_r::as_character(columns),
                            Rcpp::Named("checks") =
                                rddist_r::as_character(rddist::quantile_sql_check_names(s)));
}
