// read_units.cpp — from command-line options to the reader of the chosen format.
#include "read_units.h"

#include <cstdio>
#include <cstdlib>
#include <new>

#include "arguments.h"
#include "cli_errors.h"
#include "rddist/r3d/grouping.h"
#include "rddist/r3d/unit_order.h"

#include "long_data.h"
#include "numbers.h"
#include "rddist/error.h"
#include "quantile_data.h"
#include "stopwatch.h"

namespace rddist::cli {

UnitTable read_units(const CliOptions& o, const Settings& s, const Hooks& hooks) {
  if (o.format == "quantiles") {
    QuantileReadOptions q;
    q.path = o.input;
    q.x = o.x;
    q.treatment = o.treatment;
    q.id = o.id.empty() ? std::string() : o.id.front();
    q.cluster = o.cluster;
    q.covs = o.covs;
    q.unit_weight = o.unit_weight;
    q.qcols = o.qcols;
    q.drop_missing = o.drop_missing;
    q.delimiter = s.delimiter;
    q.q_grid = s.request.data.q_grid;
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
  l.columns.covs = o.covs;
  l.columns.unit_weight = o.unit_weight;
  l.drop_missing = o.drop_missing;
  l.delimiter = s.delimiter;
  l.order = o.sorted ? RowOrder::grouped : o.any_order ? RowOrder::any : RowOrder::automatic;
  l.q_grid = s.request.data.q_grid;
  l.quantile_type = s.quantile_type;
  l.threads = s.request.threads;
  return read_long_data(l, hooks);
}

Hooks command_hooks(ProgressBar& bar, RunRecord& run, bool quiet) {
  return bar.hooks([&run, quiet](const std::string& text) {
    const std::string message = cli_message(text);
    run.warnings.push_back(message);
    if (!quiet) std::fprintf(stderr, "rddist: warning: %s\n", message.c_str());
  });
}

void read_input(const CliOptions& o, Settings& s, const Hooks& hooks, ProgressBar& bar,
                RunRecord& run, UnitTable& units) {
  units = read_units(o, s, hooks);
  bar.clear();
  run.units = &units;
  run.times.read = units.summary.seconds_read;
  run.times.quantiles = units.summary.seconds_quantiles;
  for (const std::string& w : units.summary.warnings) hooks.warn(w);
  RdData& data = s.request.data;
  data.x = units.x;
  data.treatment = units.treatment;
  data.q_grid = units.q_grid;
  data.quantiles = std::move(units.quantiles);
  data.unit_weights = units.unit_weights;
  data.covariates = units.covariates;
  data.covariate_names = units.covariate_names;
  units.core_order = make_canonical(data);  // covariates and weights move with the units
  if (!units.cluster.is_empty()) s.request.inference.cluster = units.cluster.elem(units.core_order);
  if (!s.grid_given) check_request(s.request);
}

}  // namespace rddist::cli

namespace rddist::cli {

namespace {

// What would need less memory: fewer levels always; --sorted only for a long file read in
// any order (it streams unit by unit when the rows are grouped).
std::string memory_hint(const CliOptions& o) {
  std::string hint = "out of memory (fewer quantile levels need less";
  if (o.format == "long" && !o.sorted)
    hint += "; a long file whose rows are grouped by unit streams with --sorted";
  return hint + ")";
}

AnalysisResult analyse_units(const CliOptions& o, Settings& s, RunRecord& run, UnitTable& units) {
  ProgressBar bar(!o.quiet);
  const Hooks hooks = command_hooks(bar, run, o.quiet);
  read_input(o, s, hooks, bar, run, units);
  Stopwatch step;
  AnalysisResult result = run_analysis(s.request, hooks);
  bar.clear();
  (s.request.last_stage == Stage::bandwidths ? run.times.bandwidth : run.times.estimate) =
      step.seconds();
  return result;
}

// The core names a unit {unit=K} by its position in the data it was given; the user knows
// it by its key. Rethrows e, of the same type, with every such token made "unit 'key'".
[[noreturn]] void rethrow_naming_units(const rddist::error& e, const UnitTable& units) {
  const std::string text = render(e.text(), [&](const std::string& id, const std::string& v) {
    if (id != "unit" || units.keys.empty()) return std::string();
    const arma::uword k = std::strtoull(v.c_str(), nullptr, 10);
    if (k == 0 || k > units.core_order.n_elem) return std::string();
    const std::string& key = units.keys[units.core_order[k - 1]];
    return units.keys_are_lines ? "the unit on " + key
                                : "unit '" + UnitGrouper::display_key(key) + "'";
  });
  if (text == e.text()) throw;
  if (const auto* a = dynamic_cast<const rddist::argument_error*>(&e))
    throw rddist::argument_error(a->argument(), text);
  if (dynamic_cast<const rddist::numerical_error*>(&e)) throw rddist::numerical_error(text, e.where());
  if (dynamic_cast<const rddist::data_error*>(&e)) throw rddist::data_error(text, e.where());
  if (dynamic_cast<const rddist::invalid_argument*>(&e))
    throw rddist::invalid_argument(text, e.where());
  throw;
}

}  // namespace

AnalysisResult analyse(const CliOptions& o, Settings& s, RunRecord& run, UnitTable& units) {
  try {
    return analyse_units(o, s, run, units);
  } catch (const std::bad_alloc&) {
    throw OutOfMemoryError(memory_hint(o));
  } catch (const rddist::error& e) {
    rethrow_naming_units(e, units);
  }
}

}  // namespace rddist::cli
