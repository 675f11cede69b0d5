// output.h — the result CSV, the JSON report and safe file writing.
//
// Result CSV: one row per quantile level; the first ten columns are fixed and always
// present, in this order, so downstream scripts can rely on them:
//   quantile,estimate,std.error,conf.low,conf.high,band.low,band.high,m_plus,m_minus,bandwidth
// followed by bandwidth_treatment (fuzzy designs), m_plus_raw,m_minus_raw (the side
// intercepts before monotonization) and statistic,p_value,p_value_uniform (the t-statistic
// and the pointwise and uniform p-values). Columns that need the bootstrap hold NA
// without it.
// Numbers use the shortest text that reads back to the same double.
// JSON report: everything else — version and arguments, the input (rows, units, drops),
// the design, counts per side, bandwidths, first stage, inference (critical value, tests,
// seed), timings per step and all warnings.
// Output paths are checked before any work (check_writable), so a mistyped directory
// fails in a second rather than after reading ten million rows; failures are IoError.
#ifndef RDDIST_CLI_OUTPUT_H
#define RDDIST_CLI_OUTPUT_H

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "options.h"
#include "rddist/r3d/analysis.h"
#include "unit_table.h"

namespace rddist::cli {

// Throws IoError when `path` (not "-") cannot be created or overwritten.
void check_writable(const std::string& path, const std::string& option);

// Writes content to path (through a temporary renamed onto it, see output_files.h), or
// to standard output for "-"; throws IoError on failure.
void write_text(const std::string& path, const std::string& content);

// inference may be null (no bootstrap): its columns are NA.
std::string result_csv(const Estimate& estimate, const BootstrapResult* inference);

struct StepTimes {
  double read = 0, quantiles = 0, bandwidth = 0, estimate = 0, inference = 0, write = 0, total = 0;
};

// Everything the JSON report is made of.
struct RunRecord {
  RunRecord(std::string command_name, std::vector<std::string> command_arguments,
            const CliOptions& opts, const Settings& resolved)
      : command(std::move(command_name)),
        arguments(std::move(command_arguments)),
        options(&opts),
        settings(&resolved) {}

  std::string command;
  std::vector<std::string> arguments;
  const CliOptions* options = nullptr;
  const Settings* settings = nullptr;
  const UnitTable* units = nullptr;
  const AnalysisResult* result = nullptr;
  StepTimes times;
  std::vector<std::string> warnings;
};

nlohmann::ordered_json report_json(const RunRecord& run);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_OUTPUT_H
