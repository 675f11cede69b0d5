// read_units.h — reads the input named on the command line into a UnitTable.
//
// Dispatches on --format: long files (long_data.h) or quantile files (quantile_data.h),
// translating the shared options into each reader's own options. Shared by estimate and
// bwselect so that both read and check the data identically.
#ifndef RDDIST_CLI_READ_UNITS_H
#define RDDIST_CLI_READ_UNITS_H

#include "options.h"
#include "rddist/hooks.h"
#include "unit_table.h"

namespace rddist::cli {

UnitTable read_units(const CliOptions& options, const Settings& settings, const Hooks& hooks);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_READ_UNITS_H
