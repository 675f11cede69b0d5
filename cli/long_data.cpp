// long_data.cpp — decoding long-format CSV rows and streaming them into the core's
// UnitGrouper (see long_data.h; grouping, ordering and the within-unit checks are the
// core's, grouping.h).
//
// Rows are decoded in batches: (A) parse a batch of records, keeping the key text and the
// numbers; (B) hash every key and prefetch its slot in the key table, then look the keys up
// (registering new units with the grouper) and prefetch each unit's record in the grouper;
// (C) hand the rows to the grouper in file order. Looking up ten million keys in random
// order is bound by memory latency; batching lets the loads of a whole batch overlap. An
// error found in (A) waits until the rows before it are handed over, so errors are
// reported in file order.
#include "long_data.h"

#include <cmath>

#include "csv_reader.h"
#include "key_interner.h"
#include "numbers.h"
#include "rddist/error.h"
#include "rddist/r3d/grouping.h"
#include "stopwatch.h"

namespace rddist::cli {
namespace {

constexpr std::size_t kBatchRows = 256;
constexpr std::uint64_t kProgressRows = std::uint64_t{1} << 16;

// Field text shortened for messages (a damaged file may have megabyte-long fields).
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

class LongDecoder {
 public:
  LongDecoder(CsvReader& csv, const LongReadOptions& opt, bool consecutive, const Hooks& hooks)
      : csv_(csv), opt_(opt), hooks_(hooks), grouper_(grouping_options(opt, consecutive), label()) {
    const LongColumns& c = opt.columns;
    if (c.id.empty()) throw data_error("--id: give at least one column that identifies the unit");
    for (const std::string& name : c.id) id_.push_back(csv.column(name, "--id"));
    x_ = csv.column(c.x, "--x");
    y_ = csv.column(c.y, "--y");
    if (!c.treatment.empty()) t_ = static_cast<std::ptrdiff_t>(csv.column(c.treatment, "--treatment"));
    if (!c.weight.empty()) w_ = static_cast<std::ptrdiff_t>(csv.column(c.weight, "--weight"));
    if (!c.cluster.empty()) cl_ = static_cast<std::ptrdiff_t>(csv.column(c.cluster, "--cluster"));
    for (const std::string& name : c.covs) unit_cols_.push_back(csv.column(name, "--covs"));
    if (!c.unit_weight.empty()) unit_cols_.push_back(csv.column(c.unit_weight, "--unit-weight"));
    unit_names_ = unit_column_names(c);
    unit_values_.resize(kBatchRows * unit_cols_.size());  // never reallocated: rows point into it
    batch_.reserve(kBatchRows);
  }

  // Reads every row into the grouper and returns the units.
  GroupedUnits read() {
    while (refill()) {
      for (const Pending& r : batch_) grouper_.add_row(r.unit, r.line, r.values);
      if (!pending_.empty()) throw data_error(pending_);
    }
    hooks_.report("reading", 1.0);
    if (csv_.records() == 0) throw data_error(csv_.file() + ": the file has a header but no data rows");
    seconds_read_ = clock_.seconds();
    clock_.restart();
    GroupedUnits units = grouper_.finish(hooks_);
    seconds_finish_ = clock_.seconds();
    return units;
  }

  std::size_t clusters() const { return clusters_.size(); }
  double seconds_read() const { return seconds_read_; }
  double seconds_finish() const { return seconds_finish_; }

 private:
  struct Pending {
    std::uint64_t line = 0;
    std::size_t key_at = 0, key_len = 0, cluster_at = 0, cluster_len = 0;
    std::uint64_t hash = 0;
    std::uint32_t unit = 0;
    RowValues values;
  };

  static GroupingOptions grouping_options(const LongReadOptions& o, bool consecutive) {
    GroupingOptions g;
    g.q_grid = o.q_grid;
    g.quantile_type = o.quantile_type;
    g.threads = o.threads;
    g.drop_missing = o.drop_missing;
    g.consecutive = consecutive;
    g.treatment = !o.columns.treatment.empty();
    g.weights = !o.columns.weight.empty();
    g.cluster = !o.columns.cluster.empty();
    g.x_name = "column '" + o.columns.x + "'";
    g.y_name = "column '" + o.columns.y + "'";
    g.treatment_name = "column '" + o.columns.treatment + "'";
    g.weight_name = "column '" + o.columns.weight + "'";
    g.cluster_name = "column '" + o.columns.cluster + "'";
    for (const std::string& name : unit_column_names(o.columns))
      g.unit_columns.push_back("column '" + name + "'");
    return g;
  }

  // The unit-level columns the grouper carries: the covariates, then the unit weight.
  static std::vector<std::string> unit_column_names(const LongColumns& c) {
    std::vector<std::string> names = c.covs;
    if (!c.unit_weight.empty()) names.push_back(c.unit_weight);
    return names;
  }

  RowLabel label() const {
    return [this](std::uint64_t line) { return csv_.file() + ":" + std::to_string(line); };
  }

  std::string_view key_of(const Pending& r) const {
    return std::string_view(text_.data() + r.key_at, r.key_len);
  }

  // Parses a batch, then looks up its units; false when the input is exhausted.
  bool refill() {
    if (eof_ || !pending_.empty()) return false;
    batch_.clear();
    text_.clear();
    try {
      while (batch_.size() < kBatchRows) {
        if (!csv_.next()) {
          eof_ = true;
          break;
        }
        parse_current();
      }
    } catch (const data_error& e) {
      pending_ = e.text();  // reported once the rows before it are grouped
    }
    if (csv_.records() % kProgressRows < kBatchRows) {
      hooks_.report("reading", csv_.fraction_done());
      hooks_.poll();
    }
    for (Pending& r : batch_) {
      r.hash = KeyInterner::hash(key_of(r));
      units_.prefetch(r.hash);
    }
    for (Pending& r : batch_) {
      bool fresh = false;
      r.unit = units_.intern(key_of(r), r.hash, &fresh);
      if (fresh) grouper_.add_unit(std::string(key_of(r)));
      grouper_.prefetch(r.unit);
      if (cl_ >= 0)
        r.values.cluster =
            clusters_.intern(std::string_view(text_.data() + r.cluster_at, r.cluster_len));
    }
    return !batch_.empty() || !pending_.empty();
  }

  [[noreturn]] void refuse(const Pending& r, const std::string& column, std::string_view text,
                           const std::string& why) const {
    throw data_error(csv_.where() + "column '" + column + "' (unit '" +
                     UnitGrouper::display_key(std::string(key_of(r))) + "'): '" + shown(text) +
                     "' " + why + "; this column needs a number on every row");
  }

  // A draw's number: missing (empty, NA) becomes NaN for the grouper; other text that is
  // not a number too, with --drop-missing, and is an error otherwise.
  double draw_value(const Pending& r, std::size_t column, const std::string& name) const {
    const std::string_view t = csv_.field(column);
    double v = 0.0;
    const NumberStatus st = parse_number(t, v);
    if (st == NumberStatus::ok) return v;
    if (st == NumberStatus::missing || opt_.drop_missing) return std::nan("");
    refuse(r, name, t, describe_status(st) + " (pass --drop-missing to drop such rows)");
  }

  // The row's unit-level values, into its slot of unit_values_; like x, each must be a
  // number.
  void parse_unit_values(Pending& r) {
    const std::size_t k = unit_cols_.size();
    if (k == 0) return;
    double* slot = unit_values_.data() + batch_.size() * k;
    for (std::size_t c = 0; c < k; ++c) {
      const std::string_view t = csv_.field(unit_cols_[c]);
      const NumberStatus st = parse_number(t, slot[c]);
      if (st != NumberStatus::ok) refuse(r, unit_names_[c], t, describe_status(st));
    }
    r.values.unit_values = slot;
  }

  void parse_current() {
    Pending r;
    r.line = csv_.line();
    r.key_at = text_.size();
    for (std::size_t k = 0; k < id_.size(); ++k) {
      const std::string_view part = csv_.field(id_[k]);
      if (part.empty())
        throw data_error(csv_.where() + "the unit key column '" + opt_.columns.id[k] +
                         "' is empty; every row needs its unit's key");
      // Parts joined by NUL, a byte the CSV reader never passes through (grouping.h).
      if (k > 0) text_.push_back('\0');
      text_.append(part.data(), part.size());
    }
    r.key_len = text_.size() - r.key_at;
    const std::string_view xt = csv_.field(x_);
    NumberStatus st = parse_number(xt, r.values.x);
    if (st != NumberStatus::ok) refuse(r, opt_.columns.x, xt, describe_status(st));
    if (t_ >= 0) {
      const std::string_view tt = csv_.field(static_cast<std::size_t>(t_));
      st = parse_indicator(tt, r.values.treatment);
      if (st != NumberStatus::ok) refuse(r, opt_.columns.treatment, tt, describe_status(st));
      if (!(r.values.treatment >= 0.0 && r.values.treatment <= 1.0))
        throw data_error(csv_.where() + "column '" + opt_.columns.treatment + "': treatment " +
                         shown(tt) + " is outside [0, 1]; use 0/1 indicators (or shares in [0, 1])");
    }
    if (cl_ >= 0) {
      const std::string_view ct = csv_.field(static_cast<std::size_t>(cl_));
      if (ct.empty())
        throw data_error(csv_.where() + "column '" + opt_.columns.cluster +
                         "' is empty; every row needs a cluster id");
      r.cluster_at = text_.size();
      r.cluster_len = ct.size();
      text_.append(ct.data(), ct.size());
    }
    parse_unit_values(r);
    r.values.y = draw_value(r, y_, opt_.columns.y);
    if (w_ >= 0) r.values.weight = draw_value(r, static_cast<std::size_t>(w_), opt_.columns.weight);
    batch_.push_back(r);
  }

  CsvReader& csv_;
  const LongReadOptions& opt_;
  const Hooks& hooks_;
  UnitGrouper grouper_;
  std::vector<std::size_t> id_;
  std::size_t x_ = 0, y_ = 0;
  std::ptrdiff_t t_ = -1, w_ = -1, cl_ = -1;
  std::vector<std::size_t> unit_cols_;    // covariates, then the unit weight
  std::vector<std::string> unit_names_;   // their column names
  std::vector<double> unit_values_;       // kBatchRows × unit_cols_.size(), by batch row
  KeyInterner units_, clusters_;
  std::vector<Pending> batch_;
  std::string text_;
  bool eof_ = false;
  std::string pending_;  // an error waiting for the rows before it
  Stopwatch clock_;
  double seconds_read_ = 0.0, seconds_finish_ = 0.0;
};

// The grouper's unit-level columns back into covariates and the unit weight.
void set_unit_columns(UnitTable& table, const arma::mat& columns, const LongColumns& c) {
  const arma::uword d = c.covs.size();
  table.covariate_names = c.covs;
  if (d > 0) table.covariates = columns.cols(0, d - 1);
  if (!c.unit_weight.empty()) table.unit_weights = columns.col(d);
}

UnitTable read_with(CsvReader& csv, const LongReadOptions& opt, bool consecutive,
                    const Hooks& hooks) {
  LongDecoder decoder(csv, opt, consecutive, hooks);
  GroupedUnits g = decoder.read();
  UnitTable table;
  table.keys.reserve(g.keys.size());
  for (const std::string& key : g.keys) table.keys.push_back(UnitGrouper::display_key(key));
  table.x = std::move(g.x);
  table.treatment = std::move(g.treatment);
  table.cluster = std::move(g.cluster);
  table.n_clusters = decoder.clusters();
  table.quantiles = std::move(g.quantiles);
  table.q_grid = opt.q_grid;
  set_unit_columns(table, g.unit_columns, opt.columns);
  ReadSummary& s = table.summary;
  s.file = csv.file();
  s.format = "long";
  s.compressed = csv.compressed();
  s.read_mode = consecutive ? "grouped" : "any-order";
  s.rows = g.rows;
  s.rows_dropped = g.rows_dropped;
  s.units_with_drops = g.units_with_drops;
  s.draws_min = g.draws.is_empty() ? 0 : g.draws.min();
  s.draws_max = g.draws.is_empty() ? 0 : g.draws.max();
  s.seconds_read = decoder.seconds_read();
  s.seconds_quantiles = decoder.seconds_finish();  // grouping the kept draws and their quantiles
  return table;
}

}  // namespace

UnitTable read_long_data(const LongReadOptions& opt, const Hooks& hooks) {
  if (opt.order == RowOrder::grouped) {
    CsvReader csv(opt.path, opt.delimiter);
    try {
      return read_with(csv, opt, true, hooks);
    } catch (const rows_not_consecutive& e) {
      throw data_error(e.text() + " (--sorted; drop it to read rows in any order)");
    }
  }
  if (opt.order == RowOrder::automatic) {
    CsvReader csv(opt.path, opt.delimiter);
    if (!csv.rereadable()) return read_with(csv, opt, false, hooks);
    try {
      return read_with(csv, opt, true, hooks);
    } catch (const rows_not_consecutive&) {
      // Rows of some unit are not consecutive: read again, in any order.
    }
  }
  CsvReader csv(opt.path, opt.delimiter);
  return read_with(csv, opt, false, hooks);
}

}  // namespace rddist::cli
