// quantile_data.cpp — one row per unit with its quantiles (see quantile_data.h).
//
// The file is small (one row per unit), so every candidate column is parsed into memory
// first; which columns hold quantiles is decided once all values are known.
#include "quantile_data.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "cli_errors.h"
#include "csv_reader.h"
#include "key_interner.h"
#include "numbers.h"
#include "rddist/error.h"
#include "rddist/r3d/grouping.h"
#include "stopwatch.h"

namespace rddist::cli {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string shown(std::string_view text) {
  return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

// Values of one candidate column and what was wrong with them.
struct Candidate {
  std::size_t index = 0;
  std::vector<double> values;  // NaN where missing or not a number
  std::uint64_t not_numeric = 0, missing = 0;
  std::uint64_t first_bad_line = 0;
  std::string first_bad_text;
  NumberStatus first_bad_status = NumberStatus::ok;
};

// The unit-level numeric columns (covariates, then the unit weight) of a quantile file.
struct UnitColumns {
  std::vector<std::size_t> index;
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;  // by column, one per row

  UnitColumns(const CsvReader& csv, const QuantileReadOptions& opt) {
    for (const std::string& name : opt.covs) add(csv.column(name, "--covs"), name);
    if (!opt.unit_weight.empty()) add(csv.column(opt.unit_weight, "--unit-weight"), opt.unit_weight);
  }

  bool has(std::size_t k) const { return std::find(index.begin(), index.end(), k) != index.end(); }

  // The current row's values; a field that is not a number is an error naming its line.
  void read_row(const CsvReader& csv) {
    for (std::size_t c = 0; c < index.size(); ++c) {
      const std::string_view text = csv.field(index[c]);
      double v = 0.0;
      const NumberStatus st = parse_number(text, v);
      if (st != NumberStatus::ok)
        throw data_error(csv.where() + "column '" + names[c] + "': '" + shown(text) + "' " +
                         describe_status(st) + "; every unit needs a number in this column");
      values[c].push_back(v);
    }
  }

  // Into the table, rows in `order`.
  void fill(UnitTable& table, const std::vector<std::size_t>& order, std::size_t d) const {
    const std::size_t n = order.size();
    table.covariate_names.assign(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(d));
    if (d > 0) table.covariates.set_size(n, d);
    if (index.size() > d) table.unit_weights.set_size(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t c = 0; c < d; ++c) table.covariates(i, c) = values[c][order[i]];
      if (index.size() > d) table.unit_weights[i] = values[d][order[i]];
    }
  }

 private:
  void add(std::size_t k, const std::string& name) {
    index.push_back(k);
    names.push_back(name);
    values.emplace_back();
  }
};


// The level a column's name carries: "q0.05", "Q0.05" or "0.05", a number in (0, 1);
// NaN when the name carries none ("Q1", "q5", "income").
double level_of_name(const std::string& name) {
  std::string_view text = name;
  if (!text.empty() && (text.front() == 'q' || text.front() == 'Q')) text.remove_prefix(1);
  if (text.empty() || text.front() < '0' || text.front() > '9') return kNaN;
  double v = 0.0;
  if (parse_number(text, v) != NumberStatus::ok || !(v > 0.0 && v < 1.0)) return kNaN;
  return v;
}

// The candidates that are quantile columns. A column with a cell that is not a number is
// an error naming that cell, unless it holds no number at all and was not asked for by
// --qcols or by a level in its name (a text column, skipped with a warning).
std::vector<const Candidate*> quantile_columns(const CsvReader& csv, const std::vector<Candidate>& cand,
                                               const QuantileReadOptions& opt, std::size_t rows,
                                               ReadSummary& s) {
  std::vector<const Candidate*> chosen;
  for (const Candidate& c : cand) {
    const std::string& name = csv.header()[c.index];
    const bool text_only = c.not_numeric + c.missing == rows;
    const bool asked = !opt.qcols.empty() || !std::isnan(level_of_name(name));
    if (c.not_numeric > 0 && (asked || !text_only))
      throw data_error(csv.file() + ":" + std::to_string(c.first_bad_line) + ": column '" +
                       name + "' (a quantile column" + (opt.qcols.empty() ? "" : " by --qcols") +
                       "): '" + c.first_bad_text + "' " + describe_status(c.first_bad_status) +
                       "; " + std::to_string(c.not_numeric) + " row(s) are affected; fix the "
                       "data, or leave the column out with --qcols");
    if (c.not_numeric > 0) {
      s.warnings.push_back("column '" + name + "' holds no numbers and is not used as a "
                           "quantile column (line " + std::to_string(c.first_bad_line) + ": '" +
                           c.first_bad_text + "')");
      continue;
    }
    if (c.missing == rows) {
      s.warnings.push_back("column '" + name + "' is empty and is not used");
      continue;
    }
    chosen.push_back(&c);
    s.quantile_columns.push_back(name);
  }
  if (chosen.empty()) throw data_error(csv.file() + ": no column holds numeric quantiles");
  return chosen;
}

// The levels: from the columns' names when every name carries one, from --quantiles
// (which must then agree), else an error asking for --quantiles.
arma::vec grid_of(const CsvReader& csv, const QuantileReadOptions& opt, ReadSummary& s) {
  const std::vector<std::string>& cols = s.quantile_columns;
  const std::size_t m = cols.size();
  arma::vec named(m);
  for (std::size_t j = 0; j < m; ++j) named[j] = level_of_name(cols[j]);
  const bool from_names = !named.has_nan() && (m < 2 || arma::all(arma::diff(named) > 0.0));
  const std::string span = "(" + cols.front() + (m > 1 ? " ... " + cols.back() : "") + ")";
  if (m == 1 && !from_names && opt.qcols.empty())
    throw UsageError(csv.file() + ": only one quantile column " + span + "; a file with one "
                     "value per row is a long file (one row per draw): use --format long");
  if (opt.q_grid.is_empty()) {
    if (!from_names)
      throw UsageError(csv.file() + ": the names of the " + std::to_string(m) +
                       " quantile columns " + span + " do not give their levels; give them "
                       "with --quantiles (one level per column), or name the columns by "
                       "their levels (q0.05 or 0.05)");
    s.grid_from_columns = true;
    return named;
  }
  if (opt.q_grid.n_elem != m)
    throw UsageError("--quantiles gives " + std::to_string(opt.q_grid.n_elem) +
                     " levels but the file has " + std::to_string(m) + " quantile columns " +
                     span + "; give one level per column, or select the columns with --qcols");
  for (std::size_t j = 0; j < m && from_names; ++j)
    if (std::fabs(named[j] - opt.q_grid[j]) > 1e-9)
      throw UsageError("--quantiles: level " + std::to_string(j + 1) + " is " +
                       format_number(opt.q_grid[j]) + " but column '" + cols[j] +
                       "' holds the quantile at level " + format_number(named[j]) +
                       "; give the columns' levels, or leave --quantiles out");
  return opt.q_grid;
}

// Each unit's quantiles must not decrease along the levels.
void check_monotone(const UnitTable& t, const std::vector<std::uint64_t>& lines,
                    const std::vector<std::size_t>& order, const std::string& file,
                    bool keyed) {
  for (arma::uword i = 0; i < t.quantiles.n_rows; ++i)
    for (arma::uword j = 1; j < t.quantiles.n_cols; ++j)
      if (t.quantiles(i, j) < t.quantiles(i, j - 1))
        throw data_error(file + ":" + std::to_string(lines[order[i]]) + ": " +
                         (keyed ? "unit '" + UnitGrouper::display_key(t.keys[i]) + "': " : std::string()) +
                         "the quantile at level " + format_number(t.q_grid[j]) + " (" +
                         format_number(t.quantiles(i, j)) + ", column '" +
                         t.summary.quantile_columns[j] + "') is below the one at level " +
                         format_number(t.q_grid[j - 1]) + " (" +
                         format_number(t.quantiles(i, j - 1)) + "); quantiles must not "
                         "decrease (are the columns in the order of their levels?)");
}

}  // namespace

UnitTable read_quantile_data(const QuantileReadOptions& opt, const Hooks& hooks) {
  Stopwatch clock;
  CsvReader csv(opt.path, opt.delimiter);
  const std::size_t xi = csv.column(opt.x, "--x");
  const std::ptrdiff_t ti =
      opt.treatment.empty() ? -1 : static_cast<std::ptrdiff_t>(csv.column(opt.treatment, "--treatment"));
  const std::ptrdiff_t ii =
      opt.id.empty() ? -1 : static_cast<std::ptrdiff_t>(csv.column(opt.id, "--id"));
  const std::ptrdiff_t ci =
      opt.cluster.empty() ? -1 : static_cast<std::ptrdiff_t>(csv.column(opt.cluster, "--cluster"));
  UnitColumns unit_columns(csv, opt);

  std::vector<Candidate> cand;
  for (std::size_t k = 0; k < csv.header().size(); ++k) {
    const auto sk = static_cast<std::ptrdiff_t>(k);
    if (k == xi || sk == ti || sk == ii || sk == ci || unit_columns.has(k)) continue;
    if (!opt.qcols.empty() && csv.header()[k].rfind(opt.qcols, 0) != 0) continue;
    cand.emplace_back();
    cand.back().index = k;
  }
  if (cand.empty())
    throw data_error(csv.file() + ":1: no quantile columns" +
                     (opt.qcols.empty() ? std::string(" (every column is already used by --x, "
                                                      "--treatment, --id, --cluster, --covs "
                                                      "or --unit-weight)")
                                        : " start with '" + opt.qcols + "' (--qcols)"));

  std::vector<double> x, t;
  std::vector<std::string> keys, clusters;
  std::vector<std::uint64_t> lines;
  KeyInterner seen;
  while (csv.next()) {
    if (csv.records() % 65536 == 0) hooks.report("reading", csv.fraction_done());
    lines.push_back(csv.line());
    double v = 0.0;
    NumberStatus st = parse_number(csv.field(xi), v);
    if (st != NumberStatus::ok)
      throw data_error(csv.where() + "column '" + opt.x + "': '" + shown(csv.field(xi)) + "' " +
                       describe_status(st) + "; every unit needs a running-variable value");
    x.push_back(v);
    if (ti >= 0) {
      const std::string_view text = csv.field(static_cast<std::size_t>(ti));
      st = parse_indicator(text, v);
      if (st != NumberStatus::ok || v < 0.0 || v > 1.0)
        throw data_error(csv.where() + "column '" + opt.treatment + "': '" + shown(text) + "' " +
                         (st != NumberStatus::ok ? describe_status(st) : "is outside [0, 1]") +
                         "; the treatment must be 0/1 (or a share in [0, 1])");
      t.push_back(v);
    }
    if (ii >= 0) {
      const std::string_view key = csv.field(static_cast<std::size_t>(ii));
      if (key.empty())
        throw data_error(csv.where() + "the unit key column '" + opt.id + "' is empty");
      bool added = false;
      const std::uint32_t id = seen.intern(key, &added);
      if (!added)
        throw data_error(csv.where() + "unit '" + UnitGrouper::display_key(std::string(key)) + "' already appeared on line " +
                         std::to_string(lines[id]) +
                         "; a quantile file has exactly one row per unit (a file with one "
                         "row per draw is a long file: use --format long)");
      keys.emplace_back(key);
    }
    if (ci >= 0) clusters.emplace_back(csv.field(static_cast<std::size_t>(ci)));
    unit_columns.read_row(csv);
    for (Candidate& c : cand) {
      const std::string_view text = csv.field(c.index);
      st = parse_number(text, v);
      if (st == NumberStatus::ok) {
        c.values.push_back(v);
        continue;
      }
      c.values.push_back(kNaN);
      if (st == NumberStatus::missing) ++c.missing;
      else ++c.not_numeric;
      if (c.first_bad_line == 0) {
        c.first_bad_line = csv.line();
        c.first_bad_text = shown(text);
        c.first_bad_status = st;
      }
    }
  }
  hooks.report("reading", 1.0);
  const std::size_t rows = x.size();
  if (rows == 0) throw data_error(csv.file() + ": the file has a header but no data rows");

  UnitTable table;
  ReadSummary& s = table.summary;
  const std::vector<const Candidate*> chosen = quantile_columns(csv, cand, opt, rows, s);
  const std::size_t m = chosen.size();
  table.q_grid = grid_of(csv, opt, s);

  // Rows with a missing quantile: an error, or dropped with --drop-missing.
  std::vector<char> keep(rows, 1);
  std::uint64_t dropped = 0, first_line = 0;
  std::string first_col;
  for (std::size_t r = 0; r < rows; ++r) {
    for (const Candidate* c : chosen)
      if (std::isnan(c->values[r])) {
        if (keep[r]) ++dropped;
        keep[r] = 0;
        if (first_line == 0) {
          first_line = lines[r];
          first_col = csv.header()[c->index];
        }
      }
  }
  if (dropped > 0 && !opt.drop_missing)
    throw data_error(csv.file() + ": " + std::to_string(dropped) +
                     (dropped == 1 ? " unit has" : " units have") +
                     " a missing quantile (first on line " +
                     std::to_string(first_line) + ", column '" + first_col +
                     "'); fix the data, or pass --drop-missing to drop those units");
  if (dropped > 0)
    s.warnings.push_back("dropped " + std::to_string(dropped) + " unit" +
                         (dropped == 1 ? "" : "s") + " with a missing quantile (--drop-missing; "
                         "first on line " + std::to_string(first_line) + ")");
  if (dropped == rows)
    throw data_error(csv.file() + ": every unit has a missing quantile; nothing is left to estimate");

  // Order: by key when there is one, else the file's order.
  std::vector<std::size_t> order;
  for (std::size_t r = 0; r < rows; ++r)
    if (keep[r]) order.push_back(r);
  if (ii >= 0)
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  const std::size_t n = order.size();
  table.x.set_size(n);
  table.keys.resize(n);
  table.keys_are_lines = ii < 0;
  if (ti >= 0) table.treatment.set_size(n);
  table.quantiles.set_size(n, m);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = order[i];
    table.x[i] = x[r];
    table.keys[i] = ii >= 0 ? keys[r] : "line " + std::to_string(lines[r]);
    if (ti >= 0) table.treatment[i] = t[r];
    for (std::size_t j = 0; j < m; ++j) table.quantiles(i, j) = chosen[j]->values[r];
  }
  check_monotone(table, lines, order, csv.file(), ii >= 0);
  unit_columns.fill(table, order, opt.covs.size());
  if (ci >= 0) {
    KeyInterner ids;
    std::vector<std::uint32_t> of_unit(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& c = clusters[order[i]];
      if (c.empty())
        throw data_error(csv.file() + ":" + std::to_string(lines[order[i]]) + ": column '" +
                         opt.cluster + "' is empty; every unit needs a cluster id");
      of_unit[i] = ids.intern(c);
    }
    const std::vector<std::uint32_t> rank = ids.ranks();
    table.cluster.set_size(n);
    for (std::size_t i = 0; i < n; ++i) table.cluster[i] = rank[of_unit[i]];
    table.n_clusters = ids.size();
  }
  s.file = csv.file();
  s.format = "quantiles";
  s.read_mode = "units";
  s.compressed = csv.compressed();
  s.rows = rows;
  s.rows_dropped = dropped;
  s.units_with_drops = dropped;
  s.seconds_read = clock.seconds();
  return table;
}

}  // namespace rddist::cli
