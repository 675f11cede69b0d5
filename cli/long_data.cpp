// long_data.cpp — grouping long-format rows into units and their quantiles (see long_data.h).
//
// LongDecoder turns CSV records into (unit id, y, weight), a batch at a time, and performs
// every per-row check; the two readers below differ only in what they keep. Unit ids are
// dense integers in order of first appearance (KeyInterner); the final table is put in
// key order through the ranks of the keys.
#include "long_data.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "csv_reader.h"
#include "key_interner.h"
#include "numbers.h"
#include "rddist/error.h"
#include "rddist/r3d/quantiles.h"
#include "stopwatch.h"

namespace rddist::cli {
namespace {

// Rows per storage chunk in any-order mode: big enough to amortise, small enough that the
// unused tail of the last chunk does not matter.
constexpr std::size_t kChunkRows = std::size_t{1} << 20;
// Draws collected before the streamed reader computes a batch of units' quantiles.
constexpr std::size_t kBatchDraws = std::size_t{1} << 20;
// Units per block of the streamed reader's quantile store.
constexpr std::size_t kBlockUnits = 8192;
// Rows between two progress reports.
constexpr std::uint64_t kProgressRows = std::uint64_t{1} << 16;

// Field text shortened for messages (a damaged file may have megabyte-long fields).
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

// Puts one unit's weighted draws in a canonical order, ascending by (value, weight).
// The weighted quantiles place tied values by the order of their weights, so without
// this the result would depend on the order of the rows inside a unit.
void canonical_order(double* y, double* w, std::size_t n, std::vector<std::pair<double, double>>& scratch) {
  scratch.resize(n);
  for (std::size_t k = 0; k < n; ++k) scratch[k] = {y[k], w[k]};
  std::sort(scratch.begin(), scratch.end());
  for (std::size_t k = 0; k < n; ++k) {
    y[k] = scratch[k].first;
    w[k] = scratch[k].second;
  }
}

struct alignas(64) UnitInfo {  // one cache line: rows touch it in random order
  double x = 0.0;
  double t = 0.0;
  std::uint32_t cluster = 0;
  std::uint64_t first_line = 0;
  std::uint64_t last_line = 0;
  std::uint64_t draws = 0;  // usable draws
  std::uint64_t bad = 0;    // rows with a missing or non-numeric y or weight
  double weight_sum = 0.0;
};

struct DecodedRow {
  std::uint32_t unit = 0;
  std::uint64_t line = 0;           // the row's line in the file
  std::uint64_t previous_line = 0;  // the unit's previous row (0 for its first)
  bool fresh = false;   // first row of this unit
  bool usable = false;  // y (and weight) are numbers
  double y = 0.0, w = 1.0;
};

// Signals, inside this file, that a streamed read met a unit again after its block.
struct NotGrouped {};

// Decodes rows in batches: (A) parse a batch of records, keeping the key text and the
// numbers; (B) hash every key and prefetch its hash slot, then look the keys up and
// prefetch each unit's record; (C) check and count each row in file order. Looking up
// 10 million keys in random order is bound by memory latency; batching lets the loads of
// a whole batch overlap. Any error found in (A) or (C) is held back until the consumer
// reaches that row, so errors are reported in file order, as a row-by-row reader would.
class LongDecoder {
 public:
  LongDecoder(CsvReader& csv, const LongReadOptions& opt, const Hooks& hooks)
      : csv_(csv), opt_(opt), hooks_(hooks) {
    const LongColumns& c = opt.columns;
    if (c.id.empty()) throw data_error("--id: give at least one column that identifies the unit");
    for (const std::string& name : c.id) id_.push_back(csv.column(name, "--id"));
    x_ = csv.column(c.x, "--x");
    y_ = csv.column(c.y, "--y");
    if (!c.treatment.empty()) t_ = static_cast<std::ptrdiff_t>(csv.column(c.treatment, "--treatment"));
    if (!c.weight.empty()) w_ = static_cast<std::ptrdiff_t>(csv.column(c.weight, "--weight"));
    if (!c.cluster.empty()) cl_ = static_cast<std::ptrdiff_t>(csv.column(c.cluster, "--cluster"));
    batch_.reserve(kBatchRows);
    out_.reserve(kBatchRows);
  }

  bool weighted() const { return w_ >= 0; }
  const KeyInterner& units() const { return units_; }
  const KeyInterner& clusters() const { return clusters_; }
  const std::vector<UnitInfo>& info() const { return info_; }
  std::uint64_t bad_rows() const { return bad_rows_; }

  // The unit key for messages: id values joined by commas.
  std::string display_key(std::uint32_t unit) const { return display(units_.key(unit)); }

  // The next checked row; false at the end of the file.
  bool next(DecodedRow& row) {
    while (next_ == out_.size()) {
      if (!pending_.empty()) throw data_error(pending_);
      if (eof_) return false;
      refill();
    }
    row = out_[next_++];
    return true;
  }

  // Checks made once the whole file has been read (rows present, bad values, empty units).
  void finish(ReadSummary& summary) const {
    summary.rows = csv_.records();
    if (summary.rows == 0)
      throw data_error(csv_.file() + ": the file has a header but no data rows");
    if (bad_rows_ > 0 && !opt_.drop_missing) {
      throw data_error(csv_.file() + ": " + std::to_string(bad_rows_) + " row" +
                       (bad_rows_ == 1 ? "" : "s") + " in " + std::to_string(bad_units_) +
                       " unit" + (bad_units_ == 1 ? "" : "s") +
                       (bad_rows_ == 1 ? " has" : " have") +
                       " a missing or non-numeric value (first on line " +
                       std::to_string(first_bad_line_) + ": column '" + first_bad_column_ +
                       "', '" + first_bad_text_ + "' " + describe_status(first_bad_status_) +
                       "); fix the data, or pass --drop-missing to drop those rows");
    }
    for (std::uint32_t id = 0; id < info_.size(); ++id) check_unit(id);
    summary.rows_dropped = bad_rows_;
    summary.units_with_drops = bad_units_;
    if (bad_rows_ > 0)
      summary.warnings.push_back(
          "dropped " + std::to_string(bad_rows_) + " row" + (bad_rows_ == 1 ? "" : "s") +
          " with a missing or non-numeric value in " + std::to_string(bad_units_) + " unit" +
          (bad_units_ == 1 ? "" : "s") + " (--drop-missing; first on line " +
          std::to_string(first_bad_line_) + ": column '" + first_bad_column_ + "', '" +
          first_bad_text_ + "')");
    std::uint64_t lo = ~std::uint64_t{0}, hi = 0;
    for (const UnitInfo& u : info_) {
      lo = std::min(lo, u.draws);
      hi = std::max(hi, u.draws);
    }
    summary.draws_min = info_.empty() ? 0 : lo;
    summary.draws_max = hi;
  }

  // A unit must keep at least one draw, and some positive weight.
  void check_unit(std::uint32_t id) const {
    const UnitInfo& u = info_[id];
    if (u.draws == 0)
      throw data_error(csv_.file() + ": unit '" + display_key(id) + "' (first row on line " +
                       std::to_string(u.first_line) + ") has no draws left after dropping its " +
                       std::to_string(u.bad) +
                       " row(s) with a missing or non-numeric value; fix or remove the unit");
    if (w_ >= 0 && !(u.weight_sum > 0.0))
      throw data_error(csv_.file() + ": unit '" + display_key(id) + "' (first row on line " +
                       std::to_string(u.first_line) + ") has draw weights (column '" +
                       opt_.columns.weight + "') that are all zero; give it a positive weight "
                       "or remove it");
  }

  // Called by the streamed reader when a row's unit already had a block of rows.
  [[noreturn]] void fail_reappears(const DecodedRow& row, bool strict) const {
    if (!strict) throw NotGrouped{};
    throw data_error(where(row.line) + "unit '" + display_key(row.unit) +
                     "' appears again after its rows ended on line " +
                     std::to_string(row.previous_line) +
                     "; --sorted needs the rows of each unit to be consecutive (drop --sorted "
                     "to read rows in any order)");
  }

 private:
  static constexpr std::size_t kBatchRows = 256;

  // One parsed record of the current batch; texts live in text_.
  struct Pending {
    std::uint64_t line = 0;
    std::size_t key_at = 0, key_len = 0, cluster_at = 0, cluster_len = 0;
    std::uint64_t hash = 0;
    double x = 0.0, t = 0.0, y = 0.0, w = 1.0;
    bool usable = true;
    std::uint32_t unit = 0;
    bool fresh = false;
  };

  std::string_view key_of(const Pending& r) const {
    return std::string_view(text_.data() + r.key_at, r.key_len);
  }
  std::string_view cluster_of(const Pending& r) const {
    return std::string_view(text_.data() + r.cluster_at, r.cluster_len);
  }
  static std::string display(std::string_view key) {
    std::string k(key);
    std::replace(k.begin(), k.end(), '\0', ',');
    return k;
  }
  std::string where(std::uint64_t line) const {
    return csv_.file() + ":" + std::to_string(line) + ": ";
  }

  void refill() {
    batch_.clear();
    out_.clear();
    text_.clear();
    next_ = 0;
    // (A) parse; stop at the first error, which waits until its row is reached.
    try {
      while (batch_.size() < kBatchRows) {
        if (!csv_.next()) {
          eof_ = true;
          break;
        }
        if (!parse_current()) break;
      }
    } catch (const data_error& e) {
      pending_ = e.what();
    }
    if (csv_.records() % kProgressRows < kBatchRows) hooks_.report("reading", csv_.fraction_done());
    // (B) hash and prefetch the slots, then look up and prefetch the units.
    for (Pending& r : batch_) {
      r.hash = KeyInterner::hash(key_of(r));
      units_.prefetch(r.hash);
    }
    for (Pending& r : batch_) {
      bool fresh = false;
      r.unit = units_.intern(key_of(r), r.hash, &fresh);
      r.fresh = fresh;
      if (fresh) {
        info_.emplace_back();
        info_.back().first_line = r.line;
      }
      __builtin_prefetch(&info_[r.unit]);
    }
    // (C) check each row in file order.
    try {
      for (const Pending& r : batch_) out_.push_back(check(r));
    } catch (const data_error& e) {
      pending_ = e.what();
    }
  }

  // Parses the current record into the batch; false (with pending_ set) on a bad row.
  bool parse_current() {
    Pending r;
    r.line = csv_.line();
    r.key_at = text_.size();
    for (std::size_t k = 0; k < id_.size(); ++k) {
      const std::string_view part = csv_.field(id_[k]);
      if (part.empty()) {
        pending_ = csv_.where() + "the unit key column '" + opt_.columns.id[k] +
                   "' is empty; every row needs its unit's key";
        return false;
      }
      // Parts joined by NUL, a byte the CSV reader never passes through: the joined keys
      // then sort exactly like the tuples of parts.
      if (k > 0) text_.push_back('\0');
      text_.append(part.data(), part.size());
    }
    r.key_len = text_.size() - r.key_at;

    const std::string_view xt = csv_.field(x_);
    NumberStatus st = parse_number(xt, r.x);
    if (st != NumberStatus::ok) return refuse(r, opt_.columns.x, xt, describe_status(st));
    if (t_ >= 0) {
      const std::string_view tt = csv_.field(static_cast<std::size_t>(t_));
      st = parse_indicator(tt, r.t);
      if (st != NumberStatus::ok) return refuse(r, opt_.columns.treatment, tt, describe_status(st));
      if (!(r.t >= 0.0 && r.t <= 1.0)) {
        pending_ = csv_.where() + "column '" + opt_.columns.treatment + "' (unit '" +
                   display(key_of(r)) + "'): treatment " + shown(tt) +
                   " is outside [0, 1]; use 0/1 indicators (or shares in [0, 1])";
        return false;
      }
    }
    if (cl_ >= 0) {
      const std::string_view ct = csv_.field(static_cast<std::size_t>(cl_));
      if (ct.empty()) {
        pending_ = csv_.where() + "column '" + opt_.columns.cluster + "' (unit '" +
                   display(key_of(r)) + "') is empty; every row needs a cluster id";
        return false;
      }
      r.cluster_at = text_.size();
      r.cluster_len = ct.size();
      text_.append(ct.data(), ct.size());
    }
    const std::string_view yt = csv_.field(y_);
    st = parse_number(yt, r.y);
    if (st != NumberStatus::ok) {
      note_bad(opt_.columns.y, yt, st);
      r.usable = false;
    }
    if (w_ >= 0 && r.usable) {
      const std::string_view wt = csv_.field(static_cast<std::size_t>(w_));
      st = parse_number(wt, r.w);
      if (st != NumberStatus::ok) {
        note_bad(opt_.columns.weight, wt, st);
        r.usable = false;
      } else if (r.w < 0.0) {
        pending_ = csv_.where() + "column '" + opt_.columns.weight + "' (unit '" +
                   display(key_of(r)) + "'): weight " + shown(wt) +
                   " is negative; sampling weights must be non-negative";
        return false;
      }
    }
    batch_.push_back(r);
    return true;
  }

  bool refuse(const Pending& r, const std::string& column, std::string_view text,
              const std::string& why) {
    pending_ = csv_.where() + "column '" + column + "' (unit '" + display(key_of(r)) + "'): '" +
               shown(text) + "' " + why + "; this column needs a number on every row";
    return false;
  }

  DecodedRow check(const Pending& r) {
    UnitInfo& u = info_[r.unit];
    std::uint32_t cluster = 0;
    if (cl_ >= 0) cluster = clusters_.intern(cluster_of(r));
    if (r.fresh) {
      u.x = r.x;
      u.t = r.t;
      u.cluster = cluster;
    } else {
      if (r.x != u.x) fail_not_constant(r, opt_.columns.x, format_number(r.x), format_number(u.x));
      if (t_ >= 0 && r.t != u.t)
        fail_not_constant(r, opt_.columns.treatment, format_number(r.t), format_number(u.t));
      if (cl_ >= 0 && cluster != u.cluster)
        fail_not_constant(r, opt_.columns.cluster, std::string(cluster_of(r)),
                          std::string(clusters_.key(u.cluster)));
    }
    DecodedRow row;
    row.unit = r.unit;
    row.line = r.line;
    row.fresh = r.fresh;
    row.usable = r.usable;
    row.y = r.y;
    row.w = r.w;
    if (r.usable) {
      ++u.draws;
      u.weight_sum += r.w;
    } else {
      if (u.bad == 0) ++bad_units_;
      ++u.bad;
      ++bad_rows_;
    }
    row.previous_line = u.last_line;
    u.last_line = r.line;
    return row;
  }

  [[noreturn]] void fail_not_constant(const Pending& r, const std::string& column,
                                      const std::string& here, const std::string& before) const {
    throw data_error(where(r.line) + "column '" + column + "' is not constant within unit '" +
                     display(key_of(r)) + "': '" + shown(here) + "' on this line but '" +
                     shown(before) + "' on line " + std::to_string(info_[r.unit].first_line) +
                     "; it must take one value per unit");
  }

  void note_bad(const std::string& column, std::string_view text, NumberStatus st) {
    if (first_bad_line_ != 0) return;
    first_bad_line_ = csv_.line();
    first_bad_column_ = column;
    first_bad_text_ = shown(text);
    first_bad_status_ = st;
  }

  CsvReader& csv_;
  const LongReadOptions& opt_;
  const Hooks& hooks_;
  std::vector<std::size_t> id_;
  std::size_t x_ = 0, y_ = 0;
  std::ptrdiff_t t_ = -1, w_ = -1, cl_ = -1;
  KeyInterner units_, clusters_;
  std::vector<UnitInfo> info_;
  // The current batch: parsed records, their texts, and the checked rows handed out.
  std::vector<Pending> batch_;
  std::string text_;
  std::vector<DecodedRow> out_;
  std::size_t next_ = 0;
  bool eof_ = false;
  std::string pending_;  // an error waiting for its row
  std::uint64_t bad_rows_ = 0, bad_units_ = 0;
  std::uint64_t first_bad_line_ = 0;
  std::string first_bad_column_, first_bad_text_;
  NumberStatus first_bad_status_ = NumberStatus::ok;
};


// Fills keys, x, treatment and clusters of the table in key order (rank[id] = position).
void fill_units(const LongDecoder& dec, const LongReadOptions& opt,
                const std::vector<std::uint32_t>& rank, UnitTable& table) {
  const std::size_t n = dec.info().size();
  table.keys.resize(n);
  table.x.set_size(n);
  if (!opt.columns.treatment.empty()) table.treatment.set_size(n);
  std::vector<std::uint32_t> cluster_rank;
  if (!opt.columns.cluster.empty()) {
    cluster_rank = dec.clusters().ranks();
    table.cluster.set_size(n);
    table.n_clusters = dec.clusters().size();
  }
  for (std::uint32_t id = 0; id < n; ++id) {
    const std::uint32_t r = rank[id];
    const UnitInfo& u = dec.info()[id];
    table.keys[r] = dec.display_key(id);
    table.x[r] = u.x;
    if (!table.treatment.is_empty()) table.treatment[r] = u.t;
    if (!cluster_rank.empty()) table.cluster[r] = cluster_rank[u.cluster];
  }
}

// Any-order mode: keep (unit, y[, w]) per row, then a counting sort by unit rank.
UnitTable read_any_order(CsvReader& csv, const LongReadOptions& opt, const Hooks& hooks) {
  Stopwatch clock;
  LongDecoder dec(csv, opt, hooks);
  const bool weighted = dec.weighted();
  struct Chunk {
    std::vector<std::uint32_t> unit;
    std::vector<double> y, w;
  };
  std::vector<Chunk> chunks;
  DecodedRow row;
  while (dec.next(row)) {
    // Rows are kept only while every row so far is usable or dropping is allowed.
    if (!row.usable || (dec.bad_rows() > 0 && !opt.drop_missing)) continue;
    if (chunks.empty() || chunks.back().y.size() == kChunkRows) {
      chunks.emplace_back();
      chunks.back().unit.reserve(kChunkRows);
      chunks.back().y.reserve(kChunkRows);
      if (weighted) chunks.back().w.reserve(kChunkRows);
    }
    Chunk& c = chunks.back();
    c.unit.push_back(row.unit);
    c.y.push_back(row.y);
    if (weighted) c.w.push_back(row.w);
  }
  hooks.report("reading", 1.0);
  UnitTable table;
  dec.finish(table.summary);

  // Counting sort: offsets of each unit's draws, units in key order.
  const std::vector<std::uint32_t> rank = dec.units().ranks();
  const std::size_t n = rank.size();
  std::vector<std::uint64_t> start(n + 1, 0);
  for (std::uint32_t id = 0; id < n; ++id) start[rank[id] + 1] = dec.info()[id].draws;
  for (std::size_t r = 0; r < n; ++r) start[r + 1] += start[r];
  std::vector<std::uint64_t> cursor(n);
  for (std::uint32_t id = 0; id < n; ++id) cursor[id] = start[rank[id]];
  std::vector<double> y(start[n]), w(weighted ? start[n] : 0);
  for (Chunk& c : chunks) {
    for (std::size_t i = 0; i < c.y.size(); ++i) {
      const std::uint64_t k = cursor[c.unit[i]]++;
      y[k] = c.y[i];
      if (weighted) w[k] = c.w[i];
    }
    Chunk().unit.swap(c.unit);  // release each chunk as soon as it is placed
    std::vector<double>().swap(c.y);
    std::vector<double>().swap(c.w);
  }
  chunks.clear();
  std::vector<std::uint64_t>().swap(cursor);
  fill_units(dec, opt, rank, table);
  table.summary.seconds_read = clock.seconds();

  if (weighted) {
    std::vector<std::pair<double, double>> scratch;
    for (std::size_t r = 0; r < n; ++r)
      canonical_order(y.data() + start[r], w.data() + start[r], start[r + 1] - start[r], scratch);
  }
  Stopwatch qclock;
  std::vector<UnitSample> samples(n);
  for (std::size_t r = 0; r < n; ++r)
    samples[r] = UnitSample{y.data() + start[r], weighted ? w.data() + start[r] : nullptr,
                            static_cast<std::size_t>(start[r + 1] - start[r])};
  table.quantiles = quantile_matrix(samples, opt.q_grid, opt.quantile_type, opt.threads, hooks);
  table.summary.seconds_quantiles = qclock.seconds();
  table.summary.read_mode = "any-order";
  return table;
}

// Streamed mode: quantiles of each unit as soon as its block of rows ends.
class GroupedReader {
 public:
  GroupedReader(CsvReader& csv, const LongReadOptions& opt, bool strict, const Hooks& hooks)
      : csv_(csv), opt_(opt), dec_(csv, opt, hooks), strict_(strict), m_(opt.q_grid.n_elem) {}

  UnitTable read(const Hooks& hooks) {
    Stopwatch clock;
    DecodedRow row;
    bool have_current = false;
    std::uint32_t current = 0;
    while (dec_.next(row)) {
      if (!have_current || row.unit != current) {
        if (!row.fresh) dec_.fail_reappears(row, strict_);
        if (have_current) end_unit(current);
        current = row.unit;
        have_current = true;
        begin_unit();
      }
      if (row.usable && keeping()) {
        y_.push_back(row.y);
        if (dec_.weighted()) w_.push_back(row.w);
      }
    }
    if (have_current) end_unit(current);
    hooks.report("reading", 1.0);
    UnitTable table;
    dec_.finish(table.summary);
    flush();

    // Move the quantile rows into key order, releasing each block once it is copied.
    const std::vector<std::uint32_t> rank = dec_.units().ranks();
    const std::size_t n = rank.size();
    table.quantiles.set_size(n, m_);
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const std::size_t first = b * kBlockUnits;
      const std::size_t count = std::min(kBlockUnits, n - first);
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t r = rank[first + i];
        for (arma::uword j = 0; j < m_; ++j) table.quantiles(r, j) = blocks_[b][i * m_ + j];
      }
      std::vector<double>().swap(blocks_[b]);
    }
    fill_units(dec_, opt_, rank, table);
    table.summary.seconds_quantiles = seconds_quantiles_;
    table.summary.seconds_read = clock.seconds() - seconds_quantiles_;
    table.summary.read_mode = "grouped";
    return table;
  }

 private:
  // Draws are kept only while the result can still be computed.
  bool keeping() const { return opt_.drop_missing || dec_.bad_rows() == 0; }

  void begin_unit() { begin_.push_back(y_.size()); }

  void end_unit(std::uint32_t unit) {
    units_.push_back(unit);
    if (!keeping()) {  // the read will fail; keep scanning only to count bad rows
      y_.clear();
      w_.clear();
      begin_.clear();
      units_.clear();
      return;
    }
    dec_.check_unit(unit);
    if (y_.size() >= kBatchDraws) flush();
  }

  // Quantiles of the collected units, stored by unit id (ids are in order of appearance).
  void flush() {
    if (units_.empty()) return;
    Stopwatch clock;
    const bool weighted = dec_.weighted();
    std::vector<UnitSample> samples(units_.size());
    for (std::size_t i = 0; i < units_.size(); ++i) {
      const std::size_t b = begin_[i];
      const std::size_t e = i + 1 < units_.size() ? begin_[i + 1] : y_.size();
      if (weighted) canonical_order(y_.data() + b, w_.data() + b, e - b, scratch_);
      samples[i] = UnitSample{y_.data() + b, weighted ? w_.data() + b : nullptr, e - b};
    }
    const arma::mat q = quantile_matrix(samples, opt_.q_grid, opt_.quantile_type, opt_.threads);
    for (std::size_t i = 0; i < units_.size(); ++i) {
      const std::size_t id = units_[i];
      const std::size_t b = id / kBlockUnits;
      if (b >= blocks_.size()) blocks_.resize(b + 1);
      if (blocks_[b].empty()) blocks_[b].resize(kBlockUnits * m_);
      double* dest = blocks_[b].data() + (id % kBlockUnits) * m_;
      for (arma::uword j = 0; j < m_; ++j) dest[j] = q(i, j);
    }
    y_.clear();
    w_.clear();
    begin_.clear();
    units_.clear();
    seconds_quantiles_ += clock.seconds();
  }

  CsvReader& csv_;
  const LongReadOptions& opt_;
  LongDecoder dec_;
  bool strict_;
  arma::uword m_;
  std::vector<double> y_, w_;              // draws of the collected units, back to back
  std::vector<std::size_t> begin_;         // where each collected unit starts in y_
  std::vector<std::uint32_t> units_;       // ids of the collected units
  std::vector<std::vector<double>> blocks_;  // quantile rows, kBlockUnits units per block
  std::vector<std::pair<double, double>> scratch_;
  double seconds_quantiles_ = 0.0;
};

void describe_source(const CsvReader& csv, const LongReadOptions& opt, UnitTable& table) {
  table.q_grid = opt.q_grid;
  table.summary.file = csv.file();
  table.summary.format = "long";
  table.summary.compressed = csv.compressed();
}

}  // namespace

UnitTable read_long_data(const LongReadOptions& opt, const Hooks& hooks) {
  if (opt.order == RowOrder::grouped) {
    CsvReader csv(opt.path);
    UnitTable table = GroupedReader(csv, opt, true, hooks).read(hooks);
    describe_source(csv, opt, table);
    return table;
  }
  if (opt.order == RowOrder::automatic) {
    CsvReader csv(opt.path);
    if (csv.rereadable()) {
      try {
        UnitTable table = GroupedReader(csv, opt, false, hooks).read(hooks);
        describe_source(csv, opt, table);
        return table;
      } catch (const NotGrouped&) {
        // Rows of some unit are not consecutive: read again, in any order.
      }
    } else {
      UnitTable table = read_any_order(csv, opt, hooks);
      describe_source(csv, opt, table);
      return table;
    }
  }
  CsvReader csv(opt.path);
  UnitTable table = read_any_order(csv, opt, hooks);
  describe_source(csv, opt, table);
  return table;
}

}  // namespace rddist::cli
