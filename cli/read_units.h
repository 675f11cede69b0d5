// read_units.h — reads the input named on the command line into a UnitTable.
//
// Dispatches on --format: long files (long_data.h) or quantile files (quantile_data.h),
// translating the shared options into each reader's own options. Shared by estimate and
// bwselect so that both read and check the data identically.
#ifndef RDDIST_CLI_READ_UNITS_H
#define RDDIST_CLI_READ_UNITS_H

#include <string>

#include "options.h"
#include "output.h"
#include "progress.h"
#include "rddist/hooks.h"
#include "rddist/r3d/analysis.h"
#include "unit_table.h"

namespace rddist::cli {

UnitTable read_units(const CliOptions& options, const Settings& settings, const Hooks& hooks);

// Hooks of a command: progress on the bar, warnings recorded in the report and (unless
// quiet) printed on standard error.
Hooks command_hooks(ProgressBar& bar, RunRecord& run, bool quiet);

// What estimate and bwselect share: reads the units (timings and warnings go to `run`)
// into settings.request — data in canonical order, sorted in place so that the core does
// not sort a copy, clusters in the same order — and checks the request when the grid
// came from the file.
void read_input(const CliOptions& options, Settings& settings, const Hooks& hooks,
                ProgressBar& bar, RunRecord& run, UnitTable& units);

// The whole run of estimate and bwselect after the options: progress bar and hooks, the
// input read into settings.request (read_input), and rddist::run_analysis(); timings and
// warnings go to `run`, which then points to `units` and the result.
AnalysisResult analyse(const CliOptions& options, Settings& settings, RunRecord& run,
                       UnitTable& units);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_READ_UNITS_H
