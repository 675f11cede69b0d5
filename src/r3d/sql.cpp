// sql.cpp — the SQL text of the units' quantiles and of its checks (see sql.h; paper §1).
//
// The query is built from common table expressions, one step each:
//   rddist_draws      the columns used, numbers cast to double precision;
//   rddist_checked    a flag on every draw that makes its unit unusable (a missing key,
//                     a missing or non-finite draw, a bad weight);
//   rddist_ranked     per unit: the rank of each draw, the unit's size and flags, and for
//                     weighted draws the running sum of the weights in (value, weight) order;
//   rddist_totals     (weighted) the first positive weight and the total weight;
//   rddist_positioned each draw's position (its rank, or its weighted position in [0, 1])
//                     and how a level maps to a target on that scale;
//   rddist_bracketed  per unit and level, the largest position and draw at or below the
//                     target and the smallest above it (ranks, draws and positions are all
//                     non-decreasing in the same order, so MAX and MIN find the two
//                     neighbours without row identities);
// and the final SELECT interpolates between the neighbours as quantiles.cpp does.
#include "rddist/r3d/sql.h"

#include <charconv>
#include <cmath>
#include <set>
#include <system_error>

#include "rddist/error.h"
#include "rddist/r3d/sample.h"

namespace rddist {
namespace {

struct Traits {
  char quote;
  const char* real;
};

Traits traits(SqlDialect dialect) {
  switch (dialect) {
    case SqlDialect::spark: return {'`', "DOUBLE"};
    case SqlDialect::bigquery: return {'`', "FLOAT64"};
    case SqlDialect::ansi: break;
  }
  return {'"', "DOUBLE PRECISION"};
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The level's shortest decimal text that reads back to the same double, in fixed notation.
std::string level_text(double level) {
  char buffer[400];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, level, std::chars_format::fixed);
  require(!(r.ec != std::errc()), "sql", "cannot write the level ", level);
  return std::string(buffer, r.ptr);
}

// The level as a literal: the shortest round-trip digits in scientific notation, which
// every engine reads as a double (DuckDB reads 0.07000000000000001 as a DECIMAL and
// converts it to the neighbouring double; 7.000000000000001e-02 it reads exactly).
std::string level_literal(double level, SqlDialect dialect) {
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, level, std::chars_format::scientific);
  require(!(r.ec != std::errc()), "sql", "cannot write the level ", level);
  return "CAST(" + std::string(buffer, r.ptr) + " AS " + traits(dialect).real + ")";
}

// Checks one name and returns it quoted.
std::string quote_name(const std::string& name, const std::string& role, SqlDialect dialect) {
  const char q = traits(dialect).quote;
  require(!(name.empty()), "sql", "the ", role, " name is empty; give the name of a column");
  for (unsigned char c : name)
    require(!(c < 0x20 || c == 0x7f), "sql", "the ", role, " name '", name,
            "' contains a control character (such as a line break); rename the column, or "
            "give it another name in a view");
  require(!(name.find(q) != std::string::npos), "sql", "the ", role, " name '", name,
          "' contains the character ", q, ", which the ", to_string(dialect),
          " dialect uses to quote names; rename the column, or give it another name in a view");
  require(!(lower(name).rfind("rddist_", 0) == 0), "sql", "the ", role, " name '", name,
          "' starts with 'rddist_', which the query keeps for its own columns; rename the "
          "column, or give it another name in a view");
  return std::string(1, q) + name + std::string(1, q);
}

// The table name, each dot-separated part quoted.
std::string quote_table(const std::string& table, SqlDialect dialect) {
  require(!(table.empty()), "sql", "the table name is empty; give the name of the table of draws");
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = table.find('.', start);
    const std::string part = table.substr(start, dot == std::string::npos ? dot : dot - start);
    require(!(part.empty()), "sql", "the table name '", table,
            "' has an empty part between dots; write it as table, schema.table or "
            "project.dataset.table");
    out += quote_name(part, "table", dialect);
    if (dot == std::string::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

// The quoted names of a source, checked.
struct Names {
  std::string table, y, x, treatment, cluster, weight;
  std::vector<std::string> unit;
  std::string keys;  // "k1", "k2"
};

Names check_source(const SqlSource& s, SqlDialect dialect) {
  require(!(s.unit.empty()), "sql", "no unit column given; name the column(s) whose values "
                                  "identify a unit");
  Names n;
  n.table = quote_table(s.table, dialect);
  for (const std::string& u : s.unit) {
    n.unit.push_back(quote_name(u, "unit column", dialect));
    n.keys += (n.keys.empty() ? "" : ", ") + n.unit.back();
  }
  n.y = quote_name(s.y, "y column", dialect);
  n.x = quote_name(s.x, "x column", dialect);
  if (!s.treatment.empty()) n.treatment = quote_name(s.treatment, "treatment column", dialect);
  if (!s.cluster.empty()) n.cluster = quote_name(s.cluster, "cluster column", dialect);
  if (!s.weight.empty()) n.weight = quote_name(s.weight, "weight column", dialect);

  // Every input column has one role.
  std::vector<std::pair<std::string, std::string>> roles;
  for (const std::string& u : s.unit) roles.emplace_back(u, "unit");
  roles.emplace_back(s.y, "y");
  roles.emplace_back(s.x, "x");
  if (!s.treatment.empty()) roles.emplace_back(s.treatment, "treatment");
  if (!s.cluster.empty()) roles.emplace_back(s.cluster, "cluster");
  if (!s.weight.empty()) roles.emplace_back(s.weight, "weight");
  // except that a unit-level column may be one of the key columns (clusters of states
  // when units are state-years); it is then written once, as a key.
  auto unit_level = [](const std::string& role) {
    return role == "x" || role == "treatment" || role == "cluster";
  };
  for (std::size_t a = 0; a < roles.size(); ++a)
    for (std::size_t b = a + 1; b < roles.size(); ++b)
      require(!(roles[a].first == roles[b].first &&
                  !(roles[a].second == "unit" && unit_level(roles[b].second))), "sql", "column '", roles[a].first,
              "' is given twice (as ", roles[a].second, " and as ", roles[b].second,
              "); give each role its own column");
  return n;
}

bool is_key(const SqlSource& s, const std::string& column) {
  for (const std::string& u : s.unit)
    if (u == column) return true;
  return false;
}

// The output columns must have distinct names, compared as engines that ignore case do.
void check_output_names(const SqlSource& s, const arma::vec& levels, SqlDialect dialect) {
  std::set<std::string> seen;
  auto add = [&](const std::string& name, const std::string& what) {
    require(!(!seen.insert(lower(name)).second), "sql", "the output column '", name, "' (", what,
            ") has the name of another output column (names are compared ignoring case); "
            "rename one of the columns, or give it another name in a view");
  };
  for (const std::string& u : s.unit) add(u, "unit column");
  if (!is_key(s, s.x)) add(s.x, "x column");
  if (!s.treatment.empty() && !is_key(s, s.treatment)) add(s.treatment, "treatment column");
  if (!s.cluster.empty() && !is_key(s, s.cluster)) add(s.cluster, "cluster column");
  for (double q : levels) add(quantile_sql_column(q, dialect), "quantile level");
}

void check_levels(const arma::vec& levels) { check_q_grid(levels); }

std::string partition(const Names& n) { return "PARTITION BY " + n.keys; }

// The first step, shared by both queries: the columns used, numbers as doubles. Columns
// are qualified with the table's alias: SQLite reads an unknown name in double quotes as
// a string literal, so a mistyped "income" would silently become the text 'income'.
std::string draws_step(const Names& n, SqlDialect dialect) {
  const std::string real = traits(dialect).real;
  auto col = [](const std::string& quoted) { return "rddist_source." + quoted; };
  auto cast = [&](const std::string& quoted) {
    return "CAST(" + col(quoted) + " AS " + real + ")";
  };
  std::string s = "rddist_draws AS (\n  SELECT";
  for (std::size_t k = 0; k < n.unit.size(); ++k)
    s += std::string(k == 0 ? " " : ", ") + col(n.unit[k]) + " AS " + n.unit[k];
  s += ",\n    " + cast(n.x) + " AS rddist_x,\n";
  if (!n.treatment.empty()) s += "    " + cast(n.treatment) + " AS rddist_t,\n";
  if (!n.cluster.empty()) s += "    " + col(n.cluster) + " AS rddist_c,\n";
  if (!n.weight.empty()) s += "    " + cast(n.weight) + " AS rddist_w,\n";
  s += "    " + cast(n.y) + " AS rddist_y\n";
  s += "  FROM " + n.table + " AS rddist_source\n)";
  return s;
}

// "k1 IS NOT NULL AND k2 IS NOT NULL"
std::string keys_present(const Names& n) {
  std::string s;
  for (const std::string& u : n.unit) s += (s.empty() ? "" : " AND ") + u + " IS NOT NULL";
  return s;
}

// A unit-level column in the result: its value when present and constant in the unit.
std::string unit_value(const std::string& col, bool numeric) {
  return "CASE WHEN COUNT(" + col + ") = COUNT(*) AND MIN(" + col + ") = MAX(" + col + ")" +
         (numeric ? " AND MIN(" + col + ") * 0 = 0" : "") + " THEN MIN(" + col + ") END";
}

std::string header_comment(const SqlSource& s, const Names& n, std::size_t levels,
                           SqlDialect dialect) {
  std::string c = "-- rddist: ";
  c += s.weight.empty() ? "type-7 quantiles of " + n.y
                        : "weighted type-7 quantiles of " + n.y + " (draw weights " + n.weight + ")";
  c += " at " + std::to_string(levels) + (levels == 1 ? " level" : " levels") + ",\n";
  c += "-- one row per unit (" + n.keys + ") of " + n.table + "; " + to_string(dialect) +
       " dialect. A NULL marks\n-- what the data cannot give (a missing or non-finite value, "
       "no positive weight, a\n-- unit-level column that varies within the unit); the checks "
       "query lists why.\n";
  return c;
}

}  // namespace

SqlDialect parse_sql_dialect(const std::string& name) {
  if (name == "ansi" || name == "sqlite" || name == "postgresql" || name == "duckdb")
    return SqlDialect::ansi;
  if (name == "spark") return SqlDialect::spark;
  if (name == "bigquery") return SqlDialect::bigquery;
  throw argument_error("sql_dialect", "unknown SQL dialect '" + name +
                         "'; {sql_dialect} must be ansi (SQLite, PostgreSQL, DuckDB), spark or bigquery");
}

std::string to_string(SqlDialect dialect) {
  switch (dialect) {
    case SqlDialect::spark: return "spark";
    case SqlDialect::bigquery: return "bigquery";
    case SqlDialect::ansi: break;
  }
  return "ansi";
}

std::string quantile_sql_column(double level, SqlDialect dialect) {
  std::string name = "q" + level_text(level);
  if (dialect == SqlDialect::bigquery)
    for (char& c : name)
      if (c == '.') c = '_';
  return name;
}

std::string quantile_sql(const SqlSource& source, const arma::vec& levels, SqlDialect dialect) {
  const Names n = check_source(source, dialect);
  check_levels(levels);
  check_output_names(source, levels, dialect);
  const bool weighted = !n.weight.empty();
  const std::string by = partition(n);

  std::string sql = header_comment(source, n, levels.n_elem, dialect);
  sql += "WITH\n" + draws_step(n, dialect) + ",\n";

  // A draw that makes its unit unusable.
  std::string good = keys_present(n) + " AND rddist_y * 0 = 0";
  if (weighted) good += " AND rddist_w >= 0 AND rddist_w * 0 = 0";
  sql += "rddist_checked AS (\n  SELECT *, CASE WHEN " + good +
         " THEN 0 ELSE 1 END AS rddist_bad\n  FROM rddist_draws\n),\n";

  // Every step that computes per-draw values also computes a window function: engines
  // that inline a plain step into the next one (SQLite, PostgreSQL) would otherwise
  // recompute those values at each of the 3-4 references per level below.
  if (!weighted) {
    sql += "-- position: the rank r of each draw in its unit (NULL in an unusable unit); size n\n";
    sql += "rddist_positioned AS (\n  SELECT *,\n"
           "    CASE WHEN MAX(rddist_bad) OVER (" + by + ") = 0 THEN ROW_NUMBER() OVER (" + by +
           " ORDER BY rddist_y) END AS rddist_p,\n"
           "    COUNT(*) OVER (" + by + ") AS rddist_n\n"
           "  FROM rddist_checked\n),\n";
  } else {
    const std::string order = " ORDER BY rddist_y, rddist_w";
    sql += "-- draws in (value, weight) order: rank r, running sum S of the weights, first and last\n"
           "-- positive weights w_1 and w_n, the unit's size n, weight range and usability\n";
    sql += "rddist_ranked AS (\n  SELECT *,\n"
           "    ROW_NUMBER() OVER (" + by + order + ") AS rddist_r,\n"
           "    SUM(rddist_w) OVER (" + by + order +
           " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rddist_s,\n"
           "    FIRST_VALUE(rddist_w) OVER (" + by +
           " ORDER BY CASE WHEN rddist_w > 0 THEN 0 ELSE 1 END, rddist_y, rddist_w) AS rddist_w1,\n"
           "    FIRST_VALUE(rddist_w) OVER (" + by +
           " ORDER BY CASE WHEN rddist_w > 0 THEN 0 ELSE 1 END, rddist_y DESC, rddist_w DESC)"
           " AS rddist_wn,\n"
           "    COUNT(*) OVER (" + by + ") AS rddist_n,\n"
           "    MIN(rddist_w) OVER (" + by + ") AS rddist_wmin,\n"
           "    MAX(rddist_w) OVER (" + by + ") AS rddist_wmax,\n"
           "    MAX(rddist_bad) OVER (" + by + ") AS rddist_unit_bad\n"
           "  FROM rddist_checked\n),\n";
    const std::string total = "MAX(rddist_s) OVER (" + by + ")";
    sql += "-- position: the rank r when all weights of the unit are equal (target h = 1 + (n - 1) q),\n"
           "-- else p = (S - w/2 - w_1/2) / (W - w_1/2 - w_n/2) for positive weights, with W the\n"
           "-- total weight (the last running sum), p = 0 first and 1 last (target q)\n";
    sql += "rddist_positioned AS (\n  SELECT *,\n"
           "    CASE WHEN rddist_unit_bad = 1 OR NOT (rddist_wmax > 0) THEN NULL\n"
           "         WHEN rddist_wmin = rddist_wmax THEN rddist_r\n"
           "         WHEN rddist_w > 0 THEN\n"
           "           CASE WHEN rddist_s = rddist_w1 THEN 0\n"
           "                WHEN rddist_s = " + total + " THEN 1\n"
           "                ELSE (rddist_s - rddist_w / 2 - rddist_w1 / 2) / (" + total +
           " - rddist_w1 / 2 - rddist_wn / 2) END\n"
           "    END AS rddist_p,\n"
           "    CASE WHEN rddist_wmin = rddist_wmax THEN 1 ELSE 0 END AS rddist_t0,\n"
           "    CASE WHEN rddist_wmin = rddist_wmax THEN rddist_n - 1 ELSE 1 END AS rddist_t1\n"
           "  FROM rddist_ranked\n),\n";
  }

  // Per unit and level: the neighbours of the level's target.
  std::vector<std::string> literal(levels.n_elem), target(levels.n_elem),
      unit_target(levels.n_elem);
  for (arma::uword j = 0; j < levels.n_elem; ++j) {
    literal[j] = level_literal(levels[j], dialect);
    target[j] = weighted ? "rddist_t0 + rddist_t1 * " + literal[j]
                         : "1 + (rddist_n - 1) * " + literal[j];
    // The same value from the per-unit columns of rddist_bracketed.
    unit_target[j] = weighted ? "rddist_base + rddist_scale * " + literal[j]
                              : "1 + (rddist_size - 1) * " + literal[j];
  }
  sql += "rddist_bracketed AS (\n  SELECT " + n.keys + ",\n";
  // (Output names differ from input names: some engines let a later expression of a
  // SELECT list refer to an earlier alias.)
  sql += "    " + unit_value("rddist_x", true) + " AS rddist_unit_x,\n";
  if (!n.treatment.empty()) sql += "    " + unit_value("rddist_t", true) + " AS rddist_unit_t,\n";
  if (!n.cluster.empty()) sql += "    " + unit_value("rddist_c", false) + " AS rddist_unit_c,\n";
  sql += weighted ? "    MAX(rddist_t0) AS rddist_base, MAX(rddist_t1) AS rddist_scale"
                  : "    MAX(rddist_n) AS rddist_size";
  for (arma::uword j = 0; j < levels.n_elem; ++j) {
    const std::string k = std::to_string(j + 1), t = target[j];
    sql += ",\n    -- level " + level_text(levels[j]) + "\n";
    sql += "    MAX(CASE WHEN rddist_p <= " + t + " THEN rddist_p END) AS rddist_pa" + k + ",\n";
    sql += "    MAX(CASE WHEN rddist_p <= " + t + " THEN rddist_y END) AS rddist_za" + k + ",\n";
    if (weighted)
      sql += "    MIN(CASE WHEN rddist_p > " + t + " THEN rddist_p END) AS rddist_pb" + k + ",\n";
    sql += "    MIN(CASE WHEN rddist_p > " + t + " THEN rddist_y END) AS rddist_zb" + k;
  }
  sql += "\n  FROM rddist_positioned\n  GROUP BY " + n.keys + "\n)\n";

  // Interpolation between the neighbours, operation by operation as in quantiles.cpp:
  // h = target - rank (unweighted) or (q - p_lo) / (p_hi - p_lo) (weighted);
  // the lower draw when h = 0 or both draws are equal, else (1 - h) a + h b.
  sql += "SELECT " + n.keys;
  if (!is_key(source, source.x)) sql += ",\n  rddist_unit_x AS " + n.x;
  if (!n.treatment.empty() && !is_key(source, source.treatment))
    sql += ",\n  rddist_unit_t AS " + n.treatment;
  if (!n.cluster.empty() && !is_key(source, source.cluster))
    sql += ",\n  rddist_unit_c AS " + n.cluster;
  for (arma::uword j = 0; j < levels.n_elem; ++j) {
    const std::string k = std::to_string(j + 1), t = unit_target[j];
    const std::string pa = "rddist_pa" + k, za = "rddist_za" + k, zb = "rddist_zb" + k;
    const std::string h = weighted ? "(" + t + " - " + pa + ") / (rddist_pb" + k + " - " + pa + ")"
                                   : "(" + t + " - " + pa + ")";
    sql += ",\n  CASE WHEN " + pa + " = " + t + " OR " + za + " = " + zb + " OR " + zb +
           " IS NULL THEN " + za + "\n       ELSE (1 - " + h + ") * " + za + " + " + h + " * " +
           zb + " END AS " + traits(dialect).quote + quantile_sql_column(levels[j], dialect) +
           traits(dialect).quote;
  }
  sql += "\nFROM rddist_bracketed\nORDER BY " + n.keys + "\n";
  return sql;
}

std::vector<std::string> quantile_sql_check_names(const SqlSource& s) {
  std::vector<std::string> names = {"unit_missing", "y_missing", "y_nonfinite",
                                    "x_missing", "x_nonfinite", "x_varies"};
  if (!s.treatment.empty())
    names.insert(names.end(), {"treatment_missing", "treatment_nonfinite", "treatment_varies"});
  if (!s.cluster.empty()) names.insert(names.end(), {"cluster_missing", "cluster_varies"});
  if (!s.weight.empty())
    names.insert(names.end(),
                 {"weight_missing", "weight_nonfinite", "weight_negative", "weight_zero"});
  return names;
}

std::string quantile_sql_checks(const SqlSource& source, SqlDialect dialect) {
  const Names n = check_source(source, dialect);
  std::string sql = "-- rddist: the units of " + n.table + " (" + n.keys +
                    ") whose quantiles the quantile query cannot give, with what is wrong\n"
                    "-- (counts of offending rows per unit, their totals and the units affected).\n";
  sql += "WITH\n" + draws_step(n, dialect) + ",\n";
  auto missing = [](const std::string& col) {
    return "SUM(CASE WHEN " + col + " IS NULL THEN 1 ELSE 0 END)";
  };
  auto nonfinite = [](const std::string& col) {
    return "SUM(CASE WHEN " + col + " IS NULL OR " + col + " * 0 = 0 THEN 0 ELSE 1 END)";
  };
  auto varies = [](const std::string& col) {
    return "CASE WHEN MIN(" + col + ") < MAX(" + col + ") THEN 1 ELSE 0 END";
  };
  std::string any_key_missing;
  for (const std::string& u : n.unit)
    any_key_missing += (any_key_missing.empty() ? "" : " OR ") + u + " IS NULL";

  std::vector<std::pair<std::string, std::string>> checks;  // name, per-unit expression
  checks.emplace_back("unit_missing", "SUM(CASE WHEN " + any_key_missing + " THEN 1 ELSE 0 END)");
  checks.emplace_back("y_missing", missing("rddist_y"));
  checks.emplace_back("y_nonfinite", nonfinite("rddist_y"));
  checks.emplace_back("x_missing", missing("rddist_x"));
  checks.emplace_back("x_nonfinite", nonfinite("rddist_x"));
  checks.emplace_back("x_varies", varies("rddist_x"));
  if (!n.treatment.empty()) {
    checks.emplace_back("treatment_missing", missing("rddist_t"));
    checks.emplace_back("treatment_nonfinite", nonfinite("rddist_t"));
    checks.emplace_back("treatment_varies", varies("rddist_t"));
  }
  if (!n.cluster.empty()) {
    checks.emplace_back("cluster_missing", missing("rddist_c"));
    checks.emplace_back("cluster_varies", varies("rddist_c"));
  }
  if (!n.weight.empty()) {
    checks.emplace_back("weight_missing", missing("rddist_w"));
    checks.emplace_back("weight_nonfinite", nonfinite("rddist_w"));
    checks.emplace_back("weight_negative", "SUM(CASE WHEN rddist_w < 0 THEN 1 ELSE 0 END)");
    checks.emplace_back("weight_zero", "CASE WHEN MAX(rddist_w) > 0 THEN 0 ELSE 1 END");
  }

  sql += "rddist_units AS (\n  SELECT " + n.keys;
  for (const auto& c : checks) sql += ",\n    " + c.second + " AS rddist_" + c.first;
  std::vector<std::pair<std::string, std::string>> ranges = {{"x", "rddist_x"}};
  if (!n.treatment.empty()) ranges.emplace_back("treatment", "rddist_t");
  if (!n.cluster.empty()) ranges.emplace_back("cluster", "rddist_c");
  for (const auto& r : ranges)
    sql += ",\n    MIN(" + r.second + ") AS rddist_" + r.first + "_min, MAX(" + r.second +
           ") AS rddist_" + r.first + "_max";
  sql += "\n  FROM rddist_draws\n  GROUP BY " + n.keys + "\n)\n";

  sql += "SELECT *";
  for (const auto& c : checks)
    sql += ",\n  SUM(rddist_" + c.first + ") OVER () AS rddist_" + c.first + "_total" +
           ",\n  SUM(CASE WHEN rddist_" + c.first + " > 0 THEN 1 ELSE 0 END) OVER () AS rddist_" +
           c.first + "_units";
  sql += "\nFROM rddist_units\nWHERE ";
  for (std::size_t k = 0; k < checks.size(); ++k)
    sql += (k == 0 ? "" : " OR ") + std::string("rddist_") + checks[k].first + " > 0";
  sql += "\nORDER BY " + n.keys + "\n";
  return sql;
}

}  // namespace rddist
