// cmd_bwselect.cpp — `rddist bwselect`: the (I)MSE-optimal bandwidths (paper §4).
//
// Registered with the full input and model option set, so its interface is settled now.
// Selection itself is not available in this build: after checking the options the command
// stops with exit code 1. To wire it: replace the body of run_bwselect — read the units
// (read_units), call select_bandwidths (bandwidth_step.h) and write the result, e.g. a CSV
// with one row per level (quantile,bandwidth[,bandwidth_treatment]) and the JSON report.
#include <CLI/CLI.hpp>

#include <memory>

#include "cli_errors.h"
#include "commands.h"
#include "options.h"

namespace rddist::cli {
namespace {

const char* const kBwselectExamples = R"(Examples:
  # IMSE-optimal bandwidth of the frechet estimator (s = 1, p = 2)
  rddist bwselect draws.csv --x x --y y --quantiles 0.1:0.9:0.1

  # per-level MSE-optimal bandwidths of the simple method, as R3D 0.1.0 selects them
  rddist bwselect draws.csv --method simple --compat r3d-0.1.0 --json bw.json

  # fuzzy design with coverage-error shrinkage
  rddist bwselect draws.csv --treatment t --coverage

Exit codes: 0 ok, 1 usage error, 2 data error, 3 numerical error, 4 file error,
5 out of memory or internal error.)";

int run_bwselect(const CliOptions& o, const std::vector<std::string>&) {
  resolve(o);  // option mistakes are reported first
  // TODO(bandwidth): check_writable(--out, --json); read_units; check_both_sides;
  // select_bandwidths (bandwidth_step.h); write the CSV and the JSON report (output.h).
  throw UsageError("bwselect: automatic bandwidth selection is not available in this build yet");
}

}  // namespace

Command add_bwselect_command(CLI::App& parent, const std::vector<std::string>& arguments) {
  auto options = std::make_shared<CliOptions>();
  CLI::App* app = parent.add_subcommand(
      "bwselect", "Select the (I)MSE-optimal bandwidths (not available in this build yet)");
  add_input_options(*app, *options);
  add_model_options(*app, *options);
  add_output_options(*app, *options, false);
  app->footer(kBwselectExamples);
  return Command{app, [options, arguments] { return run_bwselect(*options, arguments); }};
}

}  // namespace rddist::cli
