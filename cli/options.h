// options.h — the command-line options shared by estimate and bwselect, mirroring r3d().
//
// Options are registered on a CLI11 subcommand in groups (input, model, inference,
// output) and collected as text or plain numbers in CliOptions; resolve() then checks
// them all before any data is read and converts names to the core's enumerations with
// the core's own parsers, so every front end accepts the same spellings. Every problem
// is a UsageError (exit code 1) that names the option.
//   R argument          CLI option
//   cutoff, method, p   --cutoff, --method, --p          (s: --s, the bandwidth order)
//   kernel, q_grid      --kernel, --quantiles ("a:b:step" or "q1,q2,...")
//   bandwidths          --bandwidth (number; "simple" also one per level), --bandwidth-treatment
//   compat              --compat paper|r3d-0.1.0
//   quantile_type       --quantile-type 7|1
//   threads             --threads (0: all cores)
// plus the bootstrap (--boot --alpha --seed --test --test-range --sampler --vce --functional),
// --coverage, --quiet.
#ifndef RDDIST_CLI_OPTIONS_H
#define RDDIST_CLI_OPTIONS_H

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "rddist/arma.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/options.h"

namespace CLI {
class App;
}

namespace rddist::cli {

// Option values as given on the command line.
struct CliOptions {
  // input
  std::string input;
  std::string format = "long";
  std::vector<std::string> id;  // empty: "unit" for long files, none for quantile files
  std::string x = "x", y = "y", treatment, weight, cluster, qcols;
  bool drop_missing = false, sorted = false, any_order = false;
  // model
  double cutoff = 0.0;
  std::string method = "frechet", kernel = "triangular", compat = "paper";
  int p = 2, s = 1, quantile_type = 7;
  std::string quantiles;  // empty: 0.01:0.99:0.01 (long) or j/(K+1) (quantile files)
  std::string bandwidth;  // empty: automatic selection
  std::string bandwidth_treatment;  // empty: none given
  bool coverage = false;
  // inference
  int boot = 2000;
  double alpha = 0.05;
  std::string seed;  // empty: none given
  std::vector<std::string> tests;  // empty: nullity and homogeneity
  std::string test_range;
  std::string sampler = "gaussian";
  std::string vce;  // empty: hc2 in paper mode, hc0 in compatibility mode
  std::vector<std::string> functionals;
  // run and output
  unsigned threads = 0;
  bool quiet = false;
  std::string out = "-", json, plot;
};

// Checked and converted options.
struct Settings {
  EstimateOptions estimate;              // cutoff, method, p, kernel, compat, fuzzy
  QuantileType quantile_type = QuantileType::type7;
  arma::vec q_grid;                      // empty only for a quantile file without --quantiles
  arma::vec bandwidth;                   // empty: select automatically
  double bandwidth_treatment = std::numeric_limits<double>::quiet_NaN();
  int s = 1;
  bool coverage = false;
  int boot = 2000;                       // 0: no bootstrap
  double alpha = 0.05;
  std::optional<std::uint64_t> seed;
  std::vector<TestType> tests;            // default: nullity and homogeneity
  Sampler sampler = Sampler::gaussian;
  std::optional<Vce> vce;                // unset: the core's default for the mode
  std::vector<FunctionalSpec> functionals;
  double test_low = 0.0, test_high = 1.0;  // test range of quantile levels (default: all)
  bool test_range_given = false;
  unsigned threads = 1;
};

void add_input_options(CLI::App& app, CliOptions& o);
// with_bandwidths: the given bandwidths (--bandwidth, --bandwidth-treatment), which only
// `estimate` takes.
void add_model_options(CLI::App& app, CliOptions& o, bool with_bandwidths);
void add_inference_options(CLI::App& app, CliOptions& o);
void add_output_options(CLI::App& app, CliOptions& o, bool with_plot);

// Checks every option; throws UsageError naming the first bad one.
Settings resolve(const CliOptions& o);

// "a:b:step" (levels a, a + step, ..., up to b) or a comma-separated list; each level is
// rounded to 12 significant digits so that 0.1:0.9:0.1 gives exactly 0.3, not
// 0.30000000000000004. Levels must increase strictly and lie in (0, 1).
arma::vec parse_quantile_grid(const std::string& text, const std::string& option = "--quantiles");

// One positive number, or a comma-separated list of them.
arma::vec parse_number_list(const std::string& text, const std::string& option);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_OPTIONS_H
