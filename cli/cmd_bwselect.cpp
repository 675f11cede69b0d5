// cmd_bwselect.cpp — `rddist bwselect`: the (I)MSE-optimal bandwidths (paper §4,
// App. A-4.2). Reads the units like `estimate`, runs the selector and writes a CSV with
// one row per quantile level — quantile, bandwidth, pilot (and bandwidth_treatment,
// pilot_treatment for fuzzy designs; with --bwselect two, bandwidth_minus and
// bandwidth_treatment_minus, the sides below the cutoff) — plus, with --json, the
// selector's plug-ins.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <sstream>

#include "cli_errors.h"
#include "commands.h"
#include "numbers.h"
#include "options.h"
#include "output.h"
#include "output_files.h"
#include "progress.h"
#include "rddist/r3d/analysis.h"
#include "read_units.h"
#include "stopwatch.h"

namespace rddist::cli {
namespace {

const char* const kBwselectExamples = R"(Examples:
  # IMSE-optimal bandwidth of the frechet estimator (s = 1, p = 2)
  rddist bwselect draws.csv --x x --y y --quantiles 0.1:0.9:0.1

  # per-level MSE-optimal bandwidths of the simple method, as R3D 0.1.0 selects them
  rddist bwselect draws.csv --method simple --compat r3d-0.1.0 --json bw.json

  # fuzzy design with coverage-error shrinkage
  rddist bwselect draws.csv --treatment t --coverage

  # one bandwidth per side, adjusting for unit-level covariates, units near the cutoff left out
  rddist bwselect draws.csv --bwselect two --covs age,income --donut 0.02

Exit codes: 0 ok, 1 usage error, 2 data error, 3 numerical error, 4 file error,
5 out of memory or internal error.)";

// With rule two, the bandwidths below the cutoff follow as the last columns.
std::string bandwidth_csv(const arma::vec& q, const AnalysisResult& r, bool fuzzy, bool two) {
  const BandwidthSelection& sel = *r.selection;
  std::ostringstream out;
  out << "quantile,bandwidth,pilot" << (fuzzy ? ",bandwidth_treatment,pilot_treatment" : "");
  if (two) out << (fuzzy ? ",bandwidth_minus,bandwidth_treatment_minus" : ",bandwidth_minus");
  out << "\n";
  auto level = [](const arma::vec& v, arma::uword j) { return v.n_elem == 1 ? v[0] : v[j]; };
  for (arma::uword j = 0; j < q.n_elem; ++j) {
    out << format_number(q[j]) << ',' << format_number(level(sel.h_num, j)) << ','
        << format_number(level(sel.pilot_num, j));
    if (fuzzy) out << ',' << format_number(sel.h_den) << ',' << format_number(sel.pilot_den);
    if (two) out << ',' << format_number(level(sel.h_num_below, j));
    if (two && fuzzy) out << ',' << format_number(sel.h_den_below);
    out << "\n";
  }
  return out.str();
}

int run_bwselect(const CliOptions& o, const std::vector<std::string>& arguments) {
  Stopwatch total;
  Settings s = resolve(o, Stage::bandwidths);  // option mistakes are reported first
  check_outputs(o.input, "input", {{o.out, "--out"}, {o.json, "--json"}});
  check_writable(o.out, "--out");
  check_writable(o.json, "--json");
  RunRecord run("bwselect", arguments, o, s);
  UnitTable units;
  const AnalysisResult result = analyse(o, s, run, units);
  run.result = &result;
  const bool two = s.request.bandwidth.selection.rule == BandwidthRule::two;
  OutputBatch outputs;
  outputs.add(o.out, bandwidth_csv(s.request.data.q_grid, result, s.request.estimate.fuzzy, two));
  run.times.total = total.seconds();
  if (!o.json.empty()) outputs.add(o.json, report_json(run).dump(2) + "\n");
  outputs.commit();
  return kExitOk;
}

}  // namespace

Command add_bwselect_command(CLI::App& parent, const std::vector<std::string>& arguments) {
  auto options = std::make_shared<CliOptions>();
  CLI::App* app = parent.add_subcommand(
      "bwselect", "Select the (I)MSE-optimal bandwidths of the estimate");
  add_input_options(*app, *options);
  add_model_options(*app, *options, false);
  add_output_options(*app, *options, false);
  app->footer(kBwselectExamples);
  return Command{app, [options, arguments] { return run_bwselect(*options, arguments); }};
}

}  // namespace rddist::cli
