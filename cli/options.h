// options.h — the command-line options shared by estimate and bwselect, mirroring r3d().
//
// Options are registered on a CLI11 subcommand in groups (input, model, inference,
// output) and collected as text or plain numbers in CliOptions; resolve() turns them into
// the core's request (request.h) with the core's own parsers, and check_request() checks
// every value before any data is read — the defaults and the rules are the core's, and
// its messages name the options as the command line spells them (arguments.h). Only what
// is the command line's own — the input format and how text becomes numbers — is checked
// here. Every problem is a usage error (exit code 1) that names the option.
//   R argument          CLI option
//   cutoff, method, p   --cutoff, --method, --p          (s: --s, the bandwidth order)
//   kernel, q_grid      --kernel, --quantiles ("a:b:step" or "q1,q2,...")
//   bandwidths          --bandwidth (number; "simple" also one per level), --bandwidth-treatment
//   bandwidths per side --bandwidth-plus (above the cutoff; instead of --bandwidth),
//     (plus, minus)     --bandwidth-minus (below), --bandwidth-treatment-plus/-minus
//   bwselect            --bwselect common|two (one bandwidth for both sides, or one each)
//   covs                --covs z1,z2 (unit-level columns, constant within each unit)
//   unit_weights        --unit-weight (a unit-level column, constant within each unit)
//   donut               --donut (drop units with |x - cutoff| < donut)
//   compat              --compat paper|r3d-0.1.0
//   quantile_type       --quantile-type 7|1
//   threads             --threads (0: all cores)
// plus the bootstrap (--boot --alpha --seed --test --test-range --sampler --vce --band-type
// --test-statistic --functional),
// --coverage, --quiet.
#ifndef RDDIST_CLI_OPTIONS_H
#define RDDIST_CLI_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/r3d/request.h"

namespace CLI {
class App;
class Validator;
}

namespace rddist::cli {

// Option values as given on the command line; empty text means "not given".
struct CliOptions {
  // input
  std::string input;
  std::string format = "long";
  std::vector<std::string> id;  // empty: "unit" for long files, none for quantile files
  std::string x = "x", y = "y", treatment, weight, cluster, qcols;
  std::string delim;  // "auto" or empty: detected from the header
  std::vector<std::string> covs;  // unit-level covariate columns
  std::string unit_weight;        // unit-level weight column
  bool drop_missing = false, sorted = false, any_order = false;
  // model
  std::string cutoff, method, kernel, compat, p, s, quantile_type;
  std::string quantiles;
  bool quantiles_given = false;  // --quantiles was on the command line (even as '')
  std::string refused_option;    // a bandwidth option given to bwselect
  std::string bandwidth, bandwidth_treatment;
  std::string bandwidth_plus, bandwidth_minus;  // per side (estimate only)
  std::string bandwidth_treatment_plus, bandwidth_treatment_minus;
  std::string bwselect, donut;
  std::string placebo;  // a false cutoff: --cutoff is then the true one
  bool coverage = false;
  // inference
  std::string boot, alpha, seed, test_range, sampler, vce, band_type, test_statistic;
  std::vector<std::string> tests, functionals;
  // run and output
  unsigned threads = 0;
  bool quiet = false;
  bool summary = false;  // estimate: the human-readable summary on standard output
  std::string out = "-", json, plot;
};

// The request for the core (its data still empty, its grid when --quantiles or the
// default applies) and what only the command line needs.
struct Settings {
  AnalysisRequest request;
  QuantileType quantile_type = QuantileType::type7;
  bool grid_given = false;  // --quantiles was given (or the default grid of long files)
  char delimiter = 0;       // --delim; 0: detected from the header
};

// Checks an option that names a file: an empty name is refused (it would otherwise read
// or write nothing without a word). Every command's file options use it.
const CLI::Validator& file_name();

void add_input_options(CLI::App& app, CliOptions& o);
// with_bandwidths: the given bandwidths (--bandwidth, --bandwidth-treatment and their
// per-side forms), which only `estimate` takes; without, they are hidden options that
// resolve() refuses with a message saying so.
void add_model_options(CLI::App& app, CliOptions& o, bool with_bandwidths);
void add_inference_options(CLI::App& app, CliOptions& o);
void add_output_options(CLI::App& app, CliOptions& o, bool with_plot);

// The request the options ask for; throws UsageError (or the core's argument_error)
// naming the first option that cannot be read, then check_request() when the grid is known.
Settings resolve(const CliOptions& o, Stage last_stage);

// "a:b:step" (levels a, a + step, ..., up to b) or a comma-separated list (empty text is an
// error, not the default grid); each level is
// rounded to 12 significant digits so that 0.1:0.9:0.1 gives exactly 0.3, not
// 0.30000000000000004. (The core checks that levels increase and lie in (0, 1).)
arma::vec parse_quantile_grid(const std::string& text, const std::string& option = "--quantiles");

// The --delim text as a byte: ',', '\t', ';' or '|', or 0 for "auto" (and empty).
char parse_delimiter(const std::string& text);

// One number, or a comma-separated list of them.
arma::vec parse_number_list(const std::string& text, const std::string& option);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_OPTIONS_H
