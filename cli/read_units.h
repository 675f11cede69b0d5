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
#include "rddist/r3d/estimate.h"
#include "rddist/hooks.h"
#include "unit_table.h"

namespace rddist::cli {

UnitTable read_units(const CliOptions& options, const Settings& settings, const Hooks& hooks);

// The design needs units on both sides of the cutoff: a data_error naming the file, the
// range of the running variable and the empty side otherwise.
void check_both_sides(const UnitTable& units, double cutoff, const std::string& x_name);

// Hooks of a command: progress on the bar, warnings recorded in the report and (unless
// quiet) printed on standard error.
Hooks command_hooks(ProgressBar& bar, RunRecord& run, bool quiet);

// What estimate and bwselect share: reads and checks the units (timings and warnings go
// to `run`) and returns the core's data with the units in canonical order — sorted in
// place, so that the core does not sort a copy; units.cluster follows that order.
RdData read_input(const CliOptions& options, const Settings& settings, const Hooks& hooks,
                  ProgressBar& bar, RunRecord& run, UnitTable& units);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_READ_UNITS_H
