// grouping.cpp — long data to units: checks, counting sort, quantiles (see grouping.h).
//
// Pass 1 walks the rows once: it validates each row, counts the rows of each unit,
// remembers each unit's first row and compares every later row's unit-level columns
// (x, treatment, cluster) with it, and adds up the unit's weights. Pass 2 is the counting
// sort: prefix sums of the counts give each unit's slice, and the draws (and weights) are
// scattered into contiguous buffers in row order. The units' samples are then views into
// those buffers, handed to quantile_matrix(). Cost: O(rows) plus the per-unit sorts of the
// quantile computation; memory: one extra copy of y (and of the weights).
#include "rddist/r3d/grouping.h"

#include <cmath>
#include <limits>
#include <vector>

#include "rddist/error.h"
#include "rddist/r3d/quantiles.h"

namespace rddist {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
constexpr std::size_t kPollRows = std::size_t(1) << 20;  // interrupt check every ~1M rows

std::string unit_name(const UnitLabel& label, std::size_t code) {
  if (label) return detail::concat("unit \"", label(code), "\"");
  return detail::concat("unit ", code + 1);
}

}  // namespace

GroupedUnits group_units(const LongData& d, std::size_t n_units, const arma::vec& q,
                         QuantileType type, unsigned threads, const Hooks& hooks,
                         const UnitLabel& label, const char* where) {
  fail_if(d.rows > 0 && (d.unit == nullptr || d.x == nullptr || d.y == nullptr), where,
          "the unit codes, the running variable and the outcome are required");
  fail_if(n_units == 0, where, "there are no units; give at least one row per unit");
  for (arma::uword j = 0; j < q.n_elem; ++j)
    fail_if(!(q[j] >= 0.0 && q[j] <= 1.0), where, "quantile level ", j + 1, " is ", q[j],
            "; levels must lie in [0, 1]");

  std::vector<std::size_t> first(n_units, kNone), count(n_units, 0);
  std::vector<double> weight_sum(d.weight ? n_units : 0, 0.0);

  // Pass 1: validate rows, count, and check the unit-level columns against the first row.
  for (std::size_t r = 0; r < d.rows; ++r) {
    if (r % kPollRows == kPollRows - 1) hooks.poll();
    const int code = d.unit[r];
    fail_if(code < 0 || static_cast<std::size_t>(code) >= n_units, where, "row ", r + 1,
            " has unit code ", code, "; codes must lie in [0, ", n_units, ")");
    const auto u = static_cast<std::size_t>(code);
    fail_if<data_error>(!std::isfinite(d.x[r]), where, "row ", r + 1, " (", unit_name(label, u),
                        ") has a missing or non-finite running variable");
    fail_if<data_error>(!std::isfinite(d.y[r]), where, "row ", r + 1, " (", unit_name(label, u),
                        ") has a missing or non-finite outcome; remove such rows");
    if (d.treatment)
      fail_if<data_error>(!std::isfinite(d.treatment[r]), where, "row ", r + 1, " (",
                          unit_name(label, u), ") has a missing or non-finite treatment");
    if (d.weight) {
      const double w = d.weight[r];
      fail_if<data_error>(!std::isfinite(w) || w < 0.0, where, "row ", r + 1, " (",
                          unit_name(label, u), ") has the invalid draw weight ", w,
                          "; weights must be finite and non-negative");
      weight_sum[u] += w;
    }
    if (d.cluster)
      fail_if(d.cluster[r] < 0, where, "row ", r + 1, " has cluster code ", d.cluster[r],
              "; codes must be non-negative");
    ++count[u];
    if (first[u] == kNone) {
      first[u] = r;
      continue;
    }
    const std::size_t f = first[u];
    auto differs = [&](const char* what, double a, double b) {
      fail_if<data_error>(a != b, where, "the ", what, " is not constant within ",
                          unit_name(label, u), ": row ", f + 1, " has ", a, " but row ", r + 1,
                          " has ", b, "; each unit needs a single value");
    };
    differs("running variable", d.x[f], d.x[r]);
    if (d.treatment) differs("treatment", d.treatment[f], d.treatment[r]);
    if (d.cluster)
      fail_if<data_error>(d.cluster[f] != d.cluster[r], where, "the cluster is not constant "
                          "within ", unit_name(label, u), ": rows ", f + 1, " and ", r + 1,
                          " belong to different clusters; a unit must lie in one cluster");
  }
  for (std::size_t u = 0; u < n_units; ++u) {
    fail_if<data_error>(count[u] == 0, where, unit_name(label, u), " has no rows (no draws)");
    if (d.weight)
      fail_if<data_error>(!(weight_sum[u] > 0.0), where, unit_name(label, u),
                          " has draw weights that are all zero");
  }
  hooks.poll();

  // Pass 2: counting sort of the draws by unit (stable: row order within a unit).
  std::vector<std::size_t> next(n_units);
  std::size_t offset = 0;
  for (std::size_t u = 0; u < n_units; ++u) {
    next[u] = offset;
    offset += count[u];
  }
  std::vector<double> y_sorted(d.rows), w_sorted(d.weight ? d.rows : 0);
  for (std::size_t r = 0; r < d.rows; ++r) {
    const std::size_t pos = next[static_cast<std::size_t>(d.unit[r])]++;
    y_sorted[pos] = d.y[r];
    if (d.weight) w_sorted[pos] = d.weight[r];
  }

  GroupedUnits out;
  out.x.set_size(n_units);
  out.draws.set_size(n_units);
  if (d.treatment) out.treatment.set_size(n_units);
  if (d.cluster) out.cluster.set_size(n_units);
  std::vector<UnitSample> samples(n_units);
  offset = 0;
  for (std::size_t u = 0; u < n_units; ++u) {
    const std::size_t f = first[u];
    out.x[u] = d.x[f];
    out.draws[u] = count[u];
    if (d.treatment) out.treatment[u] = d.treatment[f];
    if (d.cluster) out.cluster[u] = d.cluster[f];
    samples[u].values = y_sorted.data() + offset;
    samples[u].weights = d.weight ? w_sorted.data() + offset : nullptr;
    samples[u].size = count[u];
    offset += count[u];
  }
  hooks.report("grouping", 1.0);
  out.quantiles = quantile_matrix(samples, q, type, threads, hooks);
  return out;
}

}  // namespace rddist
