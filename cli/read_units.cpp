// read_units.cpp — from command-line options to the reader of the chosen format.
#include "read_units.h"

#include <cstdio>

#include "rddist/r3d/unit_order.h"

#include "long_data.h"
#include "numbers.h"
#include "rddist/error.h"
#include "quantile_data.h"

namespace rddist::cli {

UnitTable read_units(const CliOptions& o, const Settings& s, const Hooks& hooks) {
  if (o.format == "quantiles") {
    QuantileReadOptions q;
    q.path = o.input;
    q.x = o.x;
    q.treatment = o.treatment;
    q.id = o.id.empty() ? std::string() : o.id.front();
    q.cluster = o.cluster;
    q.qcols = o.qcols;
    q.drop_missing = o.drop_missing;
    q.q_grid = s.q_grid;
    return read_quantile_data(q, hooks);
  }
  LongReadOptions l;
  l.path = o.input;
  if (!o.id.empty()) l.columns.id = o.id;  // default: "unit"
  l.columns.x = o.x;
  l.columns.y = o.y;
  l.columns.treatment = o.treatment;
  l.columns.weight = o.weight;
  l.columns.cluster = o.cluster;
  l.drop_missing = o.drop_missing;
  l.order = o.sorted ? RowOrder::grouped : o.any_order ? RowOrder::any : RowOrder::automatic;
  l.q_grid = s.q_grid;
  l.quantile_type = s.quantile_type;
  l.threads = s.threads;
  return read_long_data(l, hooks);
}

void check_both_sides(const UnitTable& units, double cutoff, const std::string& x_name) {
  const arma::vec& x = units.x;
  if (x.is_empty()) return;
  const double lo = x.min(), hi = x.max();
  const auto above = static_cast<std::uint64_t>(arma::accu(x >= cutoff));
  const std::uint64_t n = x.n_elem;
  if (above > 0 && above < n) return;
  const std::string range = "'" + x_name + "' ranges from " + format_number(lo) + " to " +
                            format_number(hi) + " over " + std::to_string(n) + " units";
  const std::string& file = units.summary.file;
  if (cutoff < lo || cutoff > hi)
    throw data_error(file + ": the cutoff " + format_number(cutoff) +
                     " lies outside the data (" + range + "), so no units lie " +
                     (above == 0 ? "at or above" : "below") + " it; check --cutoff and --x");
  throw data_error(file + ": units on one side only: no units lie " +
                   (above == 0 ? "at or above" : "below") + " the cutoff " +
                   format_number(cutoff) + " (" + range +
                   "); the design needs units on both sides");
}

Hooks command_hooks(ProgressBar& bar, RunRecord& run, bool quiet) {
  return bar.hooks([&run, quiet](const std::string& message) {
    run.warnings.push_back(message);
    if (!quiet) std::fprintf(stderr, "rddist: warning: %s\n", message.c_str());
  });
}

RdData read_input(const CliOptions& o, const Settings& s, const Hooks& hooks, ProgressBar& bar,
                  RunRecord& run, UnitTable& units) {
  units = read_units(o, s, hooks);
  bar.clear();
  run.units = &units;
  run.times.read = units.summary.seconds_read;
  run.times.quantiles = units.summary.seconds_quantiles;
  for (const std::string& w : units.summary.warnings) hooks.warn(w);
  check_both_sides(units, s.estimate.cutoff, o.x);
  RdData data;
  data.x = units.x;
  data.treatment = units.treatment;
  data.q_grid = units.q_grid;
  data.quantiles = std::move(units.quantiles);
  const arma::uvec order = make_canonical(data);
  if (!units.cluster.is_empty()) units.cluster = units.cluster.elem(order);
  return data;
}

}  // namespace rddist::cli
