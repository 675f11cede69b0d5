// grouping.cpp — long rows to units: checks, grouping, quantiles (see grouping.h).
//
// add_row() checks a row against its unit's record (one cache line per unit, so that rows
// arriving in random order touch one line each) and keeps the draw. finish() checks the
// units, ranks their keys and, in any-order mode, places every kept draw at its unit's
// slice by a counting sort over the key ranks (the chunks of rows are released as they are
// placed), then computes the quantiles with quantile_matrix(). In consecutive mode the
// quantiles are computed in batches of units as their rows end.
#include "rddist/r3d/grouping.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <utility>

#include "rddist/r3d/quantiles.h"

namespace rddist {
namespace {

constexpr std::size_t kChunkRows = std::size_t{1} << 20;   // rows per storage chunk
constexpr std::size_t kBatchDraws = std::size_t{1} << 20;  // draws per quantile batch
constexpr std::size_t kBlockUnits = 8192;                  // units per block of quantile rows
constexpr std::size_t kShownKey = 60;                      // bytes of a key in messages

// The shortest text that reads back to v, so that values differing in their last digits
// are shown different.
std::string number_text(double v) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

// The key's parts as one canonical number text each, when every part is a finite number.
bool numeric_form(const std::string& key, std::string& form) {
  form.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(key.find('\0', start), key.size());
    const std::string part = key.substr(start, end - start);
    if (part.empty()) return false;
    char* stop = nullptr;
    const double v = std::strtod(part.c_str(), &stop);
    if (stop != part.c_str() + part.size() || !std::isfinite(v)) return false;
    form += detail::concat(v) + '\0';
    if (end == key.size()) return true;
    start = end + 1;
  }
}

}  // namespace

UnitGrouper::UnitGrouper(GroupingOptions options, RowLabel row_label)
    : options_(std::move(options)), row_label_(std::move(row_label)) {
  for (arma::uword j = 0; j < options_.q_grid.n_elem; ++j)
    require(options_.q_grid[j] >= 0.0 && options_.q_grid[j] <= 1.0, "q_grid", "quantile level ",
            options_.q_grid[j], " is outside [0, 1]");
  if (!row_label_) row_label_ = [](std::uint64_t row) { return "row " + std::to_string(row); };
}

std::string UnitGrouper::display_key(const std::string& key) {
  std::string k = key;
  if (key.size() > kShownKey) {
    std::size_t cut = kShownKey;  // not inside a UTF-8 character
    while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
    k = key.substr(0, cut) + "\u2026(" + std::to_string(key.size()) + " bytes)";
  }
  std::replace(k.begin(), k.end(), '\0', ',');
  return k;
}

std::uint32_t UnitGrouper::add_unit(std::string key) {
  require(info_.size() < 0xffffffffu, "x", "more than 2^32 - 1 units");
  keys_.push_back(std::move(key));
  info_.emplace_back();
  unit_values_.resize(unit_values_.size() + options_.unit_columns.size());
  return static_cast<std::uint32_t>(info_.size() - 1);
}

void UnitGrouper::fail_not_constant(std::uint32_t unit, std::uint64_t row, const std::string& column,
                                    double here, double before) const {
  throw data_error(row_label_(row) + ": " + column + " is not constant within unit '" +
                   display_key(keys_[unit]) + "': " + number_text(here) + " here but " +
                   number_text(before) + " on " + row_label_(info_[unit].first_row) +
                   "; it must take one value per unit");
}

void UnitGrouper::note_missing(std::uint32_t unit, std::uint64_t row, const std::string& column) {
  if (missing_rows_ == 0) {
    first_missing_row_ = row;
    first_missing_unit_ = unit;
    first_missing_column_ = column;
  }
  ++missing_rows_;
  if (info_[unit].missing++ == 0) ++missing_units_;
}

void UnitGrouper::add_row(std::uint32_t unit, std::uint64_t row, const RowValues& v) {
  if (unit >= info_.size())
    throw argument_error("x", detail::concat("row unit code ", unit, " was not registered"));
  ++rows_;
  UnitInfo& u = info_[unit];
  // Messages are built only when a check fails: this runs once per row.
  auto fail = [&](const std::string& what) {
    throw data_error(row_label_(row) + " (unit '" + display_key(keys_[unit]) + "'): " + what);
  };
  if (!std::isfinite(v.x)) fail(options_.x_name + " is missing or not a finite number; every row needs it");
  if (options_.treatment && !std::isfinite(v.treatment))
    fail(options_.treatment_name + " is missing or not a finite number; every row needs it");
  const std::size_t k = options_.unit_columns.size();
  for (std::size_t c = 0; c < k; ++c)
    if (!std::isfinite(v.unit_values[c]))
      fail(options_.unit_columns[c] + " is missing or not a finite number; every row needs it");
  const bool fresh = !u.seen;
  double* unit_values = unit_values_.data() + static_cast<std::size_t>(unit) * k;
  if (fresh) {
    std::copy(v.unit_values, v.unit_values + k, unit_values);
    u.seen = true;
    u.x = v.x;
    u.treatment = v.treatment;
    u.cluster = v.cluster;
    u.first_row = row;
  } else {
    if (v.x != u.x) fail_not_constant(unit, row, options_.x_name, v.x, u.x);
    if (options_.treatment && v.treatment != u.treatment)
      fail_not_constant(unit, row, options_.treatment_name, v.treatment, u.treatment);
    for (std::size_t c = 0; c < k; ++c)
      if (v.unit_values[c] != unit_values[c])
        fail_not_constant(unit, row, options_.unit_columns[c], v.unit_values[c], unit_values[c]);
    if (options_.cluster && v.cluster != u.cluster)
      throw data_error(row_label_(row) + ": " + options_.cluster_name +
                       " is not constant within unit '" + display_key(keys_[unit]) +
                       "': this row and " + row_label_(u.first_row) +
                       " belong to different clusters; a unit must lie in one cluster");
  }
  if (options_.consecutive && (!have_current_ || unit != current_)) {
    if (!fresh)
      throw rows_not_consecutive(row_label_(row) + ": unit '" + display_key(keys_[unit]) +
                                 "' appears again after its rows ended on " +
                                 row_label_(u.last_row) +
                                 "; the rows of each unit must be consecutive");
    if (have_current_) end_current_unit();
    current_ = unit;
    have_current_ = true;
    batch_begin_.push_back(batch_y_.size());
    batch_units_.push_back(unit);
  }
  u.last_row = row;

  const bool missing_y = std::isnan(v.y), missing_w = options_.weights && std::isnan(v.weight);
  if (!missing_y && !std::isfinite(v.y))
    fail(options_.y_name + " is infinite; remove the row or fix the value");
  if (options_.weights && !missing_w && !(std::isfinite(v.weight) && v.weight >= 0.0))
    fail(options_.weight_name + " " + number_text(v.weight) +
         " is not a finite non-negative number: sampling weights must be finite and at "
         "least 0; fix the value or remove the row");
  if (missing_y || missing_w) {
    note_missing(unit, row, missing_y ? options_.y_name : options_.weight_name);
    return;
  }
  ++u.draws;
  u.weight_sum += v.weight;
  if (!keeping()) return;  // the read will fail; the rows are only counted
  if (options_.consecutive) {
    batch_y_.push_back(v.y);
    if (options_.weights) batch_w_.push_back(v.weight);
    return;
  }
  if (chunk_fill_ == kChunkRows) new_chunk();
  chunk_unit_[chunk_fill_] = unit;
  chunk_y_[chunk_fill_] = v.y;
  if (options_.weights) chunk_w_[chunk_fill_] = v.weight;
  ++chunk_fill_;
}

// Starts a chunk of kChunkRows rows (the last one is trimmed in finish()).
void UnitGrouper::new_chunk() {
  row_unit_.emplace_back(kChunkRows);
  row_y_.emplace_back(kChunkRows);
  chunk_unit_ = row_unit_.back().data();
  chunk_y_ = row_y_.back().data();
  if (options_.weights) {
    row_w_.emplace_back(kChunkRows);
    chunk_w_ = row_w_.back().data();
  }
  chunk_fill_ = 0;
}

void UnitGrouper::end_current_unit() {
  if (!keeping()) {
    batch_y_.clear();
    batch_w_.clear();
    batch_begin_.clear();
    batch_units_.clear();
    return;
  }
  if (batch_y_.size() >= kBatchDraws) flush_consecutive();
}

void UnitGrouper::flush_consecutive() {
  if (batch_units_.empty()) return;
  const arma::uword m = options_.q_grid.n_elem;
  std::vector<UnitSample> samples(batch_units_.size());
  for (std::size_t i = 0; i < batch_units_.size(); ++i) {
    const std::size_t b = batch_begin_[i];
    const std::size_t e = i + 1 < batch_units_.size() ? batch_begin_[i + 1] : batch_y_.size();
    samples[i] = UnitSample{batch_y_.data() + b, options_.weights ? batch_w_.data() + b : nullptr,
                            e - b};
  }
  // A unit left without draws, or with draw weights that are all zero, is reported by
  // finish() under its key; give it a placeholder here.
  const double placeholder = 0.0;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (samples[i].size == 0 || (options_.weights && !(info_[batch_units_[i]].weight_sum > 0.0)))
      samples[i] = UnitSample{&placeholder, nullptr, 1};
  const arma::mat q = quantile_matrix(samples, options_.q_grid, options_.quantile_type, options_.threads);
  for (std::size_t i = 0; i < batch_units_.size(); ++i) {
    const std::size_t id = batch_units_[i];
    const std::size_t b = id / kBlockUnits;
    if (b >= blocks_.size()) blocks_.resize(b + 1);
    if (blocks_[b].empty()) blocks_[b].resize(kBlockUnits * m);
    double* dest = blocks_[b].data() + (id % kBlockUnits) * m;
    for (arma::uword j = 0; j < m; ++j) dest[j] = q(i, j);
  }
  batch_y_.clear();
  batch_w_.clear();
  batch_begin_.clear();
  batch_units_.clear();
}

void UnitGrouper::check_units() const {
  require_data(!info_.empty(), "there are no units; give at least one row per unit");
  if (missing_rows_ > 0 && !options_.drop_missing)
    throw data_error(detail::concat(
        missing_rows_, " draw", missing_rows_ == 1 ? "" : "s", " in ", missing_units_, " unit",
        missing_units_ == 1 ? "" : "s", missing_rows_ == 1 ? " has" : " have", " a missing ",
        first_missing_column_ == options_.y_name ? "outcome" : "value", " (first: ",
        row_label_(first_missing_row_), ", ", first_missing_column_, ", unit '",
        display_key(keys_[first_missing_unit_]), "'); fix the data, or drop those draws with "
        "{drop_missing}"));
  for (std::uint32_t id = 0; id < info_.size(); ++id) {
    const UnitInfo& u = info_[id];
    if (u.seen && u.draws > 0 && (!options_.weights || u.weight_sum > 0.0)) continue;
    const std::string unit = "unit '" + display_key(keys_[id]) + "'";
    if (!u.seen) throw data_error(unit + " has no rows (no draws)");
    if (u.draws == 0)
      throw data_error(detail::concat(unit, " (first row: ", row_label_(u.first_row),
                                      ") has no draws left after dropping its ", u.missing,
                                      " missing draw(s); fix or remove the unit"));
    throw data_error(unit + " (first row: " + row_label_(u.first_row) + ") has draw weights (" +
                     options_.weight_name + ") that are all zero; give it a positive weight or "
                     "remove it");
  }
}

// rank[code] = the unit's position in ascending byte order of the keys (std::string
// compares its characters as unsigned char).
std::vector<std::uint32_t> UnitGrouper::key_ranks() const {
  std::vector<std::uint32_t> order(keys_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return keys_[a] < keys_[b]; });
  for (std::size_t k = 1; k < order.size(); ++k)
    if (keys_[order[k]] == keys_[order[k - 1]])
      throw data_error("unit '" + display_key(keys_[order[k]]) + "' was registered twice");
  std::vector<std::uint32_t> rank(keys_.size());
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<std::uint32_t>(k);
  return rank;
}

void UnitGrouper::warn_numeric_twins(const Hooks& hooks) const {
  std::map<std::string, std::uint32_t> first;
  std::string form;
  std::uint64_t twins = 0;
  std::string example;
  for (std::uint32_t id = 0; id < keys_.size(); ++id) {
    if (!numeric_form(keys_[id], form)) continue;
    const auto [it, inserted] = first.emplace(form, id);
    if (inserted) continue;
    if (twins++ == 0)
      example = "'" + display_key(keys_[it->second]) + "' and '" + display_key(keys_[id]) + "'";
  }
  if (twins > 0)
    hooks.warn(detail::concat(twins, " unit key", twins == 1 ? "" : "s",
                              " equal another as numbers but differ as text (for example ",
                              example, "); keys are compared as text, so these are different "
                              "units; write the keys alike if they are the same unit"));
}

GroupedUnits UnitGrouper::finish(const Hooks& hooks) {
  if (options_.consecutive && have_current_) {
    end_current_unit();
    if (keeping()) flush_consecutive();
    have_current_ = false;
  }
  check_units();
  if (missing_rows_ > 0)
    hooks.warn(detail::concat("dropped ", missing_rows_, " draw", missing_rows_ == 1 ? "" : "s",
                              " with a missing value in ", missing_units_, " unit",
                              missing_units_ == 1 ? "" : "s", " ({drop_missing}; first: ",
                              row_label_(first_missing_row_), ", ", first_missing_column_, ")"));
  hooks.poll();
  const std::vector<std::uint32_t> rank = key_ranks();
  warn_numeric_twins(hooks);
  const std::size_t n = info_.size();
  const arma::uword m = options_.q_grid.n_elem;

  GroupedUnits out;
  out.rows = rows_;
  out.rows_dropped = missing_rows_;
  out.units_with_drops = missing_units_;
  out.keys.resize(n);
  out.code.set_size(n);
  out.x.set_size(n);
  out.draws.set_size(n);
  if (options_.treatment) out.treatment.set_size(n);
  if (options_.cluster) out.cluster.set_size(n);
  const std::size_t k = options_.unit_columns.size();
  out.unit_columns.set_size(n, k);
  for (std::uint32_t id = 0; id < n; ++id) {
    for (std::size_t c = 0; c < k; ++c) out.unit_columns(rank[id], c) = unit_values_[id * k + c];
    const std::uint32_t r = rank[id];
    const UnitInfo& u = info_[id];
    out.keys[r] = std::move(keys_[id]);
    out.code[r] = id;
    out.x[r] = u.x;
    out.draws[r] = u.draws;
    if (options_.treatment) out.treatment[r] = u.treatment;
    if (options_.cluster) out.cluster[r] = u.cluster;
  }

  if (options_.consecutive) {
    out.quantiles.set_size(n, m);
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const std::size_t first = b * kBlockUnits;
      const std::size_t count = std::min(kBlockUnits, n - first);
      for (std::size_t i = 0; i < count; ++i)
        for (arma::uword j = 0; j < m; ++j)
          out.quantiles(rank[first + i], j) = blocks_[b][i * m + j];
      std::vector<double>().swap(blocks_[b]);
    }
    hooks.report("grouping", 1.0);
    return out;
  }

  // Counting sort of the kept draws by key rank; chunks are released as they are placed.
  if (!row_y_.empty()) {  // the last chunk holds chunk_fill_ rows
    row_unit_.back().resize(chunk_fill_);
    row_y_.back().resize(chunk_fill_);
    if (options_.weights) row_w_.back().resize(chunk_fill_);
  }
  std::vector<std::uint64_t> start(n + 1, 0);
  for (std::uint32_t id = 0; id < n; ++id) start[rank[id] + 1] = info_[id].draws;
  for (std::size_t r = 0; r < n; ++r) start[r + 1] += start[r];
  std::vector<std::uint64_t> cursor(n);
  for (std::uint32_t id = 0; id < n; ++id) cursor[id] = start[rank[id]];
  std::vector<double> y(start[n]), w(options_.weights ? start[n] : 0);
  for (std::size_t c = 0; c < row_y_.size(); ++c) {
    const std::vector<std::uint32_t>& units = row_unit_[c];
    for (std::size_t i = 0; i < units.size(); ++i) {
      const std::uint64_t k = cursor[units[i]]++;
      y[k] = row_y_[c][i];
      if (options_.weights) w[k] = row_w_[c][i];
    }
    std::vector<std::uint32_t>().swap(row_unit_[c]);
    std::vector<double>().swap(row_y_[c]);
    if (options_.weights) std::vector<double>().swap(row_w_[c]);
    hooks.poll();
  }
  hooks.report("grouping", 1.0);
  std::vector<UnitSample> samples(n);
  for (std::size_t r = 0; r < n; ++r)
    samples[r] = UnitSample{y.data() + start[r], options_.weights ? w.data() + start[r] : nullptr,
                            static_cast<std::size_t>(start[r + 1] - start[r])};
  out.quantiles = quantile_matrix(samples, options_.q_grid, options_.quantile_type,
                                  options_.threads, hooks);
  return out;
}

GroupedUnits group_units(const LongData& d, const std::vector<std::string>& keys,
                         const GroupingOptions& options, const Hooks& hooks) {
  require(d.rows == 0 || (d.unit != nullptr && d.x != nullptr && d.y != nullptr), "x",
          "the unit codes, the running variable and the outcome are required");
  require(options.treatment == (d.treatment != nullptr) && options.weights == (d.weight != nullptr) &&
              options.cluster == (d.cluster != nullptr),
          "x", "the grouping options and the columns given disagree");
  require(d.unit_columns.size() == options.unit_columns.size(), "x",
          "the unit-level columns given and their names disagree");
  UnitGrouper grouper(options);
  std::vector<double> unit_values(d.unit_columns.size());
  for (const std::string& key : keys) grouper.add_unit(key);
  for (std::size_t r = 0; r < d.rows; ++r) {
    if ((r & 0xfffff) == 0xfffff) hooks.poll();
    require(d.unit[r] >= 0 && static_cast<std::size_t>(d.unit[r]) < keys.size(), "x", "row ",
            r + 1, " has unit code ", d.unit[r], "; codes must lie in [0, ", keys.size(), ")");
    RowValues v;
    v.x = d.x[r];
    v.y = d.y[r];
    if (d.treatment) v.treatment = d.treatment[r];
    if (d.weight) v.weight = d.weight[r];
    for (std::size_t c = 0; c < unit_values.size(); ++c) unit_values[c] = d.unit_columns[c][r];
    v.unit_values = unit_values.data();
    if (d.cluster) {
      require(d.cluster[r] >= 0, "cluster", "row ", r + 1, " has cluster code ", d.cluster[r],
              "; codes must be non-negative");
      v.cluster = static_cast<std::uint32_t>(d.cluster[r]);
    }
    grouper.add_row(static_cast<std::uint32_t>(d.unit[r]), r + 1, v);
  }
  return grouper.finish(hooks);
}

}  // namespace rddist
