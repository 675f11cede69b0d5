// Tests of the SQL generator of the units' quantiles: quoting per dialect, names that are
// refused, levels written exactly. (The R tests run the query on SQLite and compare its
// numbers with the in-memory quantiles; the CLI tests run it through the sqlite3 shell.)
#include <catch2/catch.hpp>

#include <string>

#include "rddist/error.h"
#include "rddist/r3d/sql.h"

using rddist::SqlDialect;
using rddist::SqlSource;

namespace {

SqlSource governors() {
  SqlSource s;
  s.table = "gov";
  s.unit = {"state", "year"};
  s.y = "income_pov";
  s.x = "dem_share";
  return s;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("names are quoted as the dialect wants, tables by their dotted parts", "[sql]") {
  SqlSource s = governors();
  s.table = "analysis.families";
  s.y = "income pov";  // a space is fine inside quotes
  s.weight = "famwgt";
  const std::string ansi = rddist::quantile_sql(s, arma::vec{0.5});
  CHECK(has(ansi, "FROM \"analysis\".\"families\" AS rddist_source"));
  CHECK(has(ansi, "CAST(rddist_source.\"income pov\" AS DOUBLE PRECISION) AS rddist_y"));
  CHECK(has(ansi, "rddist_source.\"state\" AS \"state\", rddist_source.\"year\" AS \"year\""));
  CHECK(has(ansi, "PARTITION BY \"state\", \"year\""));
  CHECK(has(ansi, "AS \"q0.5\""));
  CHECK_FALSE(has(ansi, "`"));

  const std::string spark = rddist::quantile_sql(s, arma::vec{0.5}, SqlDialect::spark);
  CHECK(has(spark, "FROM `analysis`.`families` AS rddist_source"));
  CHECK(has(spark, "CAST(rddist_source.`income pov` AS DOUBLE) AS rddist_y"));
  CHECK(has(spark, "AS `q0.5`"));
  CHECK_FALSE(has(spark, "\""));

  const std::string bq = rddist::quantile_sql(s, arma::vec{0.05, 0.5}, SqlDialect::bigquery);
  CHECK(has(bq, "AS FLOAT64"));
  CHECK(has(bq, "AS `q0_05`"));  // BigQuery column names cannot hold a '.'
  CHECK(has(bq, "CAST(5e-02 AS FLOAT64)"));
}

TEST_CASE("the output: keys, unit-level columns under their names, one column per level", "[sql]") {
  SqlSource s = governors();
  s.treatment = "dem_win";
  s.cluster = "region";
  const std::string sql = rddist::quantile_sql(s, arma::vec{0.25, 0.75});
  const std::size_t select = sql.rfind("\nSELECT ");
  REQUIRE(select != std::string::npos);
  const std::string last = sql.substr(select);
  CHECK(has(last, "SELECT \"state\", \"year\",\n  rddist_unit_x AS \"dem_share\",\n"
                  "  rddist_unit_t AS \"dem_win\",\n  rddist_unit_c AS \"region\",\n"));
  CHECK(last.find("AS \"q0.25\"") < last.find("AS \"q0.75\""));
  CHECK(has(last, "ORDER BY \"state\", \"year\"\n"));
  // unit-level columns are NULL unless present and constant within the unit
  CHECK(has(sql, "CASE WHEN COUNT(rddist_x) = COUNT(*) AND MIN(rddist_x) = MAX(rddist_x)"));
  CHECK(has(sql, "CASE WHEN COUNT(rddist_c) = COUNT(*) AND MIN(rddist_c) = MAX(rddist_c) THEN"));

  // a cluster that is one of the key columns is written once, as the key
  s.cluster = "state";
  const std::string once = rddist::quantile_sql(s, arma::vec{0.5});
  CHECK_FALSE(has(once.substr(once.rfind("\nSELECT ")), "rddist_unit_c"));
}

TEST_CASE("weighted and unweighted queries follow their definitions", "[sql]") {
  SqlSource s = governors();
  const std::string plain = rddist::quantile_sql(s, arma::vec{0.5});
  CHECK(has(plain, "ROW_NUMBER() OVER (PARTITION BY \"state\", \"year\" ORDER BY rddist_y)"));
  CHECK(has(plain, "1 + (rddist_n - 1) * CAST(5e-01 AS DOUBLE PRECISION)"));
  CHECK_FALSE(has(plain, "rddist_w"));
  s.weight = "famwgt";
  const std::string weighted = rddist::quantile_sql(s, arma::vec{0.5});
  CHECK(has(weighted, "ORDER BY rddist_y, rddist_w ROWS BETWEEN UNBOUNDED PRECEDING AND "
                      "CURRENT ROW) AS rddist_s"));
  CHECK(has(weighted, "(rddist_s - rddist_w / 2 - rddist_w1 / 2)"));
  CHECK(has(weighted, "WHEN rddist_wmin = rddist_wmax THEN rddist_r"));  // equal weights
  // the same arguments give the same text
  CHECK(weighted == rddist::quantile_sql(s, arma::vec{0.5}));
}

TEST_CASE("levels are written in their shortest round-trip form", "[sql]") {
  CHECK(rddist::quantile_sql_column(0.05) == "q0.05");
  CHECK(rddist::quantile_sql_column(0.5) == "q0.5");
  CHECK(rddist::quantile_sql_column(1.0 / 3.0) == "q0.3333333333333333");
  CHECK(rddist::quantile_sql_column(0.1 + 0.2) == "q0.30000000000000004");
  CHECK(rddist::quantile_sql_column(1e-7) == "q0.0000001");  // fixed notation, no exponent
  CHECK(rddist::quantile_sql_column(0.05, SqlDialect::bigquery) == "q0_05");
  for (int k = 1; k < 1000; ++k) {  // every name reads back to its level
    const double q = k / 1000.0;
    CHECK(std::stod(rddist::quantile_sql_column(q).substr(1)) == q);
  }
  // Inside the query a level is a literal in scientific notation, which every engine
  // reads as a double (DuckDB reads long fixed-notation literals as DECIMAL, inexactly).
  const std::string sql = rddist::quantile_sql(governors(), arma::vec{0.15000000000000002, 0.2});
  CHECK(has(sql, "CAST(1.5000000000000002e-01 AS DOUBLE PRECISION)"));
  CHECK(has(sql, "CAST(2e-01 AS DOUBLE PRECISION)"));
  CHECK(has(sql, "AS \"q0.15000000000000002\""));
  CHECK(has(sql, "-- level 0.15000000000000002\n"));
}

TEST_CASE("names that cannot be quoted or would clash are refused, saying what to change",
          "[sql]") {
  using Catch::Contains;
  const arma::vec q{0.5};
  auto with = [](auto change) {
    SqlSource s = governors();
    change(s);
    return s;
  };
  CHECK_THROWS_AS(rddist::quantile_sql(with([](SqlSource& s) { s.y = ""; }), q),
                  rddist::invalid_argument);
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.y = "a\"b"; }), q),
                    Contains("the y column name 'a\"b' contains the character \"") &&
                        Contains("rename the column"));
  // a double quote is fine where names are backquoted, a backquote is not
  CHECK_NOTHROW(rddist::quantile_sql(with([](SqlSource& s) { s.y = "a\"b"; }), q, SqlDialect::spark));
  CHECK_THROWS_WITH(
      rddist::quantile_sql(with([](SqlSource& s) { s.x = "a`b"; }), q, SqlDialect::spark),
      Contains("contains the character `, which the spark dialect uses to quote names"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.x = "dem\nshare"; }), q),
                    Contains("control character"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.unit = {"RDDIST_id"}; }), q),
                    Contains("starts with 'rddist_'"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.table = "a..b"; }), q),
                    Contains("has an empty part between dots"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.table = ""; }), q),
                    Contains("the table name is empty"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.unit.clear(); }), q),
                    Contains("no unit column given"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.weight = "income_pov"; }), q),
                    Contains("column 'income_pov' is given twice (as y and as weight)"));
  CHECK_THROWS_WITH(rddist::quantile_sql(with([](SqlSource& s) { s.unit = {"Q0.5"}; }), q),
                    Contains("the output column 'q0.5' (quantile level) has the name of another"));
  CHECK_NOTHROW(rddist::quantile_sql(with([](SqlSource& s) { s.cluster = "state"; }), q));
  CHECK_NOTHROW(rddist::quantile_sql_checks(with([](SqlSource& s) { s.cluster = "state"; })));
  CHECK_THROWS_WITH(rddist::quantile_sql_checks(with([](SqlSource& s) { s.y = "a\"b"; })),
                    Contains("contains the character"));
}

TEST_CASE("levels must be finite, inside (0, 1) and strictly increasing", "[sql]") {
  using Catch::Contains;
  const SqlSource s = governors();
  CHECK_THROWS_WITH(rddist::quantile_sql(s, arma::vec()), Contains("no quantile levels given"));
  CHECK_THROWS_WITH(rddist::quantile_sql(s, arma::vec{0.0, 0.5}),
                    Contains("level 1 of data.q_grid is 0; quantile levels must lie strictly between 0 and 1"));
  CHECK_THROWS_WITH(rddist::quantile_sql(s, arma::vec{0.5, 1.0}), Contains("level 2 of data.q_grid is 1"));
  CHECK_THROWS_WITH(rddist::quantile_sql(s, arma::vec{arma::datum::nan}), Contains("level 1 of data.q_grid is nan"));
  CHECK_THROWS_WITH(rddist::quantile_sql(s, arma::vec{0.5, 0.5}), Contains("must increase strictly"));
  CHECK_THROWS_WITH(rddist::quantile_sql(s, arma::vec{0.6, 0.5}), Contains("must increase strictly"));
}

TEST_CASE("dialects are parsed by name", "[sql]") {
  CHECK(rddist::parse_sql_dialect("ansi") == SqlDialect::ansi);
  CHECK(rddist::parse_sql_dialect("duckdb") == SqlDialect::ansi);
  CHECK(rddist::parse_sql_dialect("postgresql") == SqlDialect::ansi);
  CHECK(rddist::parse_sql_dialect("sqlite") == SqlDialect::ansi);
  CHECK(rddist::parse_sql_dialect("spark") == SqlDialect::spark);
  CHECK(rddist::parse_sql_dialect("bigquery") == SqlDialect::bigquery);
  CHECK(rddist::to_string(SqlDialect::bigquery) == "bigquery");
  CHECK_THROWS_WITH(rddist::parse_sql_dialect("oracle"),
                    Catch::Contains("unknown SQL dialect 'oracle'; dialect must be ansi"));
}

TEST_CASE("the checks query reports each check that applies", "[sql]") {
  SqlSource s = governors();
  CHECK(rddist::quantile_sql_check_names(s) ==
        std::vector<std::string>{"unit_missing", "y_missing", "y_nonfinite", "x_missing",
                                 "x_nonfinite", "x_varies"});
  s.weight = "famwgt";
  s.cluster = "region";
  const std::vector<std::string> names = rddist::quantile_sql_check_names(s);
  CHECK(names.size() == 12);
  const std::string sql = rddist::quantile_sql_checks(s);
  for (const std::string& n : names) {
    CHECK((has(sql, " AS rddist_" + n + ",") || has(sql, " AS rddist_" + n + "\n")));
    CHECK(has(sql, "AS rddist_" + n + "_total"));
    CHECK(has(sql, "AS rddist_" + n + "_units"));
    CHECK(has(sql, "rddist_" + n + " > 0"));
  }
  CHECK(has(sql, "MIN(rddist_x) AS rddist_x_min, MAX(rddist_x) AS rddist_x_max"));
  CHECK(has(sql, "GROUP BY \"state\", \"year\""));
}
