// options.cpp — registering and checking the shared options (see options.h).
#include "options.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli_errors.h"
#include "numbers.h"
#include "rddist/error.h"

namespace rddist::cli {
namespace {

// Levels beyond this are almost surely a typo (a step of 1e-7, say).
constexpr std::size_t kMaxLevels = 100000;

double number_of(std::string_view text, const std::string& option) {
  double v = 0.0;
  const NumberStatus st = parse_number(text, v);
  if (st != NumberStatus::ok)
    throw UsageError(option + ": '" + std::string(text) + "' " + describe_status(st));
  return v;
}

// The double nearest to v written with 12 significant digits: removes the noise of
// a + k·step (0.1 + 2·0.1 = 0.30000000000000004 becomes 0.3).
double round12(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.12g", v);
  return std::strtod(text, nullptr);
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return parts;
}

}  // namespace

char parse_delimiter(const std::string& text) {
  if (text.empty() || text == "auto") return 0;
  if (text == "," || text == "comma") return ',';
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text == ";" || text == "semicolon") return ';';
  if (text == "|" || text == "pipe") return '|';
  throw UsageError("--delim: unknown separator '" + text +
                   "'; use comma, tab, semicolon, pipe or auto (detected from the header)");
}

const CLI::Validator& file_name() {
  static const CLI::Validator check(
      [](const std::string& path) {
        return path.empty() ? std::string("the file name is empty; give a file name, or '-' for "
                                          "standard input or output")
                            : std::string();
      },
      "FILE");
  return check;
}

void add_input_options(CLI::App& app, CliOptions& o) {
  const char* g = "Input";
  app.add_option("input", o.input,
                 "CSV file with a header row (.csv or .csv.gz; '-' reads standard input)")
      ->required()
      ->check(file_name())
      ->group(g);
  app.add_option("--format", o.format,
                 "'long': one row per draw (default); 'quantiles': one row per unit with one "
                 "column per quantile level")
      ->group(g);
  app.add_option("--id", o.id,
                 "Column(s) forming the unit key, e.g. --id state,year (default: unit; "
                 "optional with --format quantiles)")
      ->delimiter(',')
      ->group(g);
  app.add_option("--x", o.x, "Running-variable column (default: x)")->group(g);
  app.add_option("--y", o.y, "Outcome column, one draw per row (default: y)")->group(g);
  app.add_option("--treatment", o.treatment,
                 "Treatment column (0/1, constant within a unit); makes the design fuzzy")
      ->group(g);
  app.add_option("--weight", o.weight, "Sampling-weight column of the draws (weighted quantiles)")
      ->group(g);
  app.add_option("--cluster", o.cluster,
                 "Cluster column (constant within a unit) for the clustered bootstrap")
      ->group(g);
  app.add_option("--covs", o.covs,
                 "Covariate column(s), numeric and constant within each unit, e.g. --covs "
                 "age,income: the fits adjust for them (one coefficient vector for both sides)")
      ->delimiter(',')
      ->group(g);
  app.add_option("--unit-weight", o.unit_weight,
                 "Unit-weight column (non-negative, constant within each unit) multiplying the "
                 "kernel weights of the units")
      ->group(g);
  app.add_option("--delim", o.delim,
                 "Field separator: comma, tab, semicolon, pipe or auto (default: detected "
                 "from the header, which must then contain only one of comma, tab and "
                 "semicolon)")
      ->group(g);
  app.add_option("--qcols", o.qcols,
                 "With --format quantiles: name prefix of the quantile columns (default: every "
                 "other column holding numbers). Their levels come from names like q0.05 or "
                 "0.05, else from --quantiles")
      ->group(g);
  app.add_flag("--drop-missing", o.drop_missing,
               "Drop rows whose y (or weight) is missing or not a number instead of stopping; "
               "reported as a warning")
      ->group(g);
  auto* sorted = app.add_flag("--sorted", o.sorted,
                              "The rows of each unit are consecutive: stream the file with memory "
                              "bounded by the largest unit (error if a unit reappears)")
                     ->group(g);
  app.add_flag("--any-order", o.any_order,
               "Read rows in any order without trying to stream (the default tries streaming "
               "on files and falls back)")
      ->excludes(sorted)
      ->group(g);
}

namespace {

// The bandwidths of each side of the cutoff, given one by one.
void add_side_bandwidth_options(CLI::App& app, CliOptions& o, const char* g) {
  app.add_option("--bandwidth-plus", o.bandwidth_plus,
                 "Outcome bandwidth above the cutoff (instead of --bandwidth; the side below "
                 "then uses --bandwidth-minus, or this one)")
      ->group(g);
  app.add_option("--bandwidth-minus", o.bandwidth_minus,
                 "Outcome bandwidth below the cutoff (with --bandwidth or --bandwidth-plus for "
                 "the side above)")
      ->group(g);
  app.add_option("--bandwidth-treatment-plus", o.bandwidth_treatment_plus,
                 "Treatment bandwidth above the cutoff (instead of --bandwidth-treatment)")
      ->group(g);
  app.add_option("--bandwidth-treatment-minus", o.bandwidth_treatment_minus,
                 "Treatment bandwidth below the cutoff (with --bandwidth-treatment or "
                 "--bandwidth-treatment-plus for the side above)")
      ->group(g);
}

}  // namespace

void add_model_options(CLI::App& app, CliOptions& o, bool with_bandwidths) {
  const char* g = "Model";
  app.add_option("--cutoff", o.cutoff, "Cutoff of the running variable (default: 0)")->group(g);
  app.add_option("--method", o.method,
                 "'frechet' (local Fréchet regression, default) or 'simple' (quantile by "
                 "quantile)")
      ->group(g);
  app.add_option("--p", o.p, "Order of the local polynomial (default: 2)")->group(g);
  app.add_option("--s", o.s,
                 "Order for which the bandwidth is (I)MSE-optimal (default: 1; bias "
                 "correction uses p = s + 1)")
      ->group(g);
  app.add_option("--kernel", o.kernel, "'triangular' (default), 'epanechnikov' or 'uniform'")
      ->group(g);
  app.add_option("--quantiles", o.quantiles,
                 "Quantile levels: 'a:b:step' or a list 'q1,q2,...' (default: 0.01:0.99:0.01; "
                 "with --format quantiles, the levels the column names carry, q0.05 or 0.05)")
      ->each([&o](const std::string&) { o.quantiles_given = true; })
      ->group(g);
  app.add_option("--quantile-type", o.quantile_type,
                 "Empirical quantile of each unit's draws: 7 (R's default) or 1")
      ->group(g);
  if (with_bandwidths) {
    app.add_option("--bandwidth", o.bandwidth,
                   "Outcome bandwidth: a number ('simple' also accepts one per level, "
                   "comma-separated); default: the (I)MSE-optimal bandwidth, as 'rddist "
                   "bwselect' selects it")
        ->group(g);
    app.add_option("--bandwidth-treatment", o.bandwidth_treatment,
                   "Treatment bandwidth (fuzzy designs); default: selected")
        ->group(g);
    add_side_bandwidth_options(app, o, g);
  } else {  // hidden, so that resolve() can say why they do not apply
    for (auto [name, field] : {std::pair<const char*, std::string*>{"--bandwidth", &o.bandwidth},
                               {"--bandwidth-treatment", &o.bandwidth_treatment},
                               {"--bandwidth-plus", &o.bandwidth_plus},
                               {"--bandwidth-minus", &o.bandwidth_minus},
                               {"--bandwidth-treatment-plus", &o.bandwidth_treatment_plus},
                               {"--bandwidth-treatment-minus", &o.bandwidth_treatment_minus}})
      app.add_option(name, *field)->each([&o, name](const std::string&) {
        o.refused_option = name;
      })->group("");
  }
  app.add_option("--bwselect", o.bwselect,
                 "Bandwidth selection rule: 'common' (default; one bandwidth for both sides) or "
                 "'two' (one per side)")
      ->group(g);
  app.add_option("--donut", o.donut,
                 "Drop the units with |x - cutoff| below this distance (default: 0, none)")
      ->group(g);
  app.add_option("--placebo", o.placebo,
                 "Placebo analysis at this false cutoff, from the units on its side of the true "
                 "cutoff --cutoff only (the effect should be zero); sharp designs only, e.g. "
                 "--cutoff 0.5 --placebo 0.4")
      ->group(g);
  app.add_flag("--coverage", o.coverage,
               "Shrink selected bandwidths for coverage-error optimality")
      ->group(g);
  app.add_option("--compat", o.compat,
                 "'paper' (default) or 'r3d-0.1.0' to reproduce the reference R package")
      ->group(g);
}

void add_inference_options(CLI::App& app, CliOptions& o) {
  const char* g = "Inference";
  app.add_option("--boot", o.boot, "Bootstrap draws B (default: 2000; 0: no bootstrap)")->group(g);
  app.add_option("--alpha", o.alpha, "1 - level of intervals and bands (default: 0.05)")->group(g);
  app.add_option("--seed", o.seed, "Seed of the bootstrap multipliers (non-negative integer)")
      ->group(g);
  app.add_option("--test", o.tests,
                 "Tests to run: nullity, homogeneity, nonnegative (H0: tau >= 0 everywhere), "
                 "nonpositive, gini or none (comma-separated; default: nullity,homogeneity, or "
                 "nullity alone on a one-level grid)")
      ->delimiter(',')
      ->group(g);
  app.add_option("--sampler", o.sampler,
                 "Bootstrap sampler: gaussian (default; exact Gaussian process of the "
                 "multiplier sums) or multipliers (literal per-unit multipliers)")
      ->group(g);
  app.add_option("--vce", o.vce,
                 "Bootstrap residuals: hc0 (raw, the paper's process), hc2 or hc3 (leverage-"
                 "adjusted; CR2/CR3 with --cluster). Default: hc3, or hc0 with --compat r3d-0.1.0")
      ->group(g);
  app.add_option("--band-type", o.band_type,
                 "Uniform band: studentized (default; tau +/- c * se) or constant (the paper's, "
                 "tau +/- c; the only one with --compat r3d-0.1.0)")
      ->group(g);
  app.add_option("--test-statistic", o.test_statistic,
                 "Statistic of the nullity, homogeneity and one-sided tests over the tested "
                 "levels: sup (largest deviation, dual to the band), cvm (Cramer-von Mises "
                 "mean square) or minp (the smaller of their p-values, calibrated by the same "
                 "draws). Default: minp with the studentized band, sup with the constant band "
                 "and with --compat r3d-0.1.0 (which allows only sup)")
      ->group(g);
  app.add_option("--functional", o.functionals,
                 "Functionals of the side distributions with bootstrap intervals: mean, gini, "
                 "q90-q10 (any spread), lower_mean:0.1, upper_mean:0.9, cdf:1 (P(Y <= 1)) "
                 "(comma-separated)")
      ->delimiter(',')
      ->group(g);
  app.add_option("--test-range", o.test_range,
                 "Quantile range of the tests, 'low,high' (default: the whole grid)")
      ->group(g);
}

void add_output_options(CLI::App& app, CliOptions& o, bool with_plot) {
  const char* g = "Output";
  app.add_option("--out", o.out, "Result CSV, one row per quantile (default: standard output). "
                 "Outputs may not name the input or each other; they replace their targets "
                 "only once all were written")
      ->check(file_name())
      ->group(g);
  app.add_option("--json", o.json,
                 "JSON report: counts (and the units a --donut dropped), bandwidths (both sides "
                 "when they differ), covariate coefficients, tests, seed, version, timings, "
                 "warnings")
      ->check(file_name())
      ->group(g);
  if (with_plot) {
    app.add_option("--plot", o.plot, "SVG plot of the effect with its intervals")
        ->check(file_name())
        ->group(g);
    app.add_flag("--summary", o.summary,
                 "Print a human-readable summary (as R's print() of a fit) on standard output; "
                 "the result CSV then goes to --out only when it names a file")
        ->group(g);
  }
  app.add_option("--threads", o.threads, "Worker threads (default: 0 = all cores)")->group(g);
  app.add_flag("--quiet", o.quiet, "No progress bar and no warnings on standard error")->group(g);
}

arma::vec parse_number_list(const std::string& text, const std::string& option) {
  std::vector<double> v;
  for (const std::string& part : split(text, ',')) v.push_back(number_of(part, option));
  return arma::vec(v);
}

arma::vec parse_quantile_grid(const std::string& text, const std::string& option) {
  if (text.find_first_not_of(" \t") == std::string::npos)
    throw UsageError(option + ": no levels given; give levels such as 0.1:0.9:0.1 or "
                     "0.25,0.5,0.75, or leave the option out for the default");
  std::vector<double> q;
  const std::vector<std::string> range = split(text, ':');
  if (range.size() == 3) {
    const double a = number_of(range[0], option), b = number_of(range[1], option),
                 step = number_of(range[2], option);
    if (!(step > 0.0)) throw UsageError(option + ": the step of '" + text + "' must be positive");
    if (b < a) throw UsageError(option + ": in '" + text + "' the end is below the start");
    // Tolerance so that 0.1:0.9:0.1 includes 0.9 despite rounding in (b - a)/step.
    const double count = std::floor((b - a) / step + 1e-9) + 1.0;
    if (count > static_cast<double>(kMaxLevels))
      throw UsageError(option + ": '" + text + "' gives more than 100000 levels");
    for (double k = 0; k < count; ++k) q.push_back(round12(a + k * step));
  } else if (range.size() == 1) {
    for (const std::string& part : split(text, ',')) q.push_back(number_of(part, option));
  } else {
    throw UsageError(option + ": '" + text +
                     "' is neither 'a:b:step' nor a comma-separated list of levels");
  }
  if (q.size() > kMaxLevels) throw UsageError(option + ": more than 100000 levels");
  return arma::vec(q);
}

namespace {

// A whole number from option text (checked further by the core).
int whole_of(const std::string& text, const std::string& option) {
  const double v = number_of(text, option);
  if (!(v == std::floor(v) && std::fabs(v) < 2147483647.0))
    throw UsageError(option + ": '" + text + "' is not a whole number");
  return static_cast<int>(v);
}

// The text of the option that sets the bandwidth above the cutoff: `both` (the name of
// the option for both sides) or `plus`, which cannot be given together.
const std::string& above_text(const std::string& both, const std::string& both_name,
                              const std::string& plus, const std::string& plus_name) {
  if (!both.empty() && !plus.empty())
    throw UsageError(both_name + " and " + plus_name + " both set the bandwidth above the "
                     "cutoff; give " + both_name + " for both sides, or " + plus_name +
                     " with " + both_name + "-minus for the side below");
  return both.empty() ? plus : both;
}

// The given bandwidths: above the cutoff (--bandwidth or --bandwidth-plus) and below it.
// Which combinations are complete is the core's rule (check_request).
void read_bandwidths(const CliOptions& o, BandwidthRequest& b) {
  const std::string& above =
      above_text(o.bandwidth, "--bandwidth", o.bandwidth_plus, "--bandwidth-plus");
  if (!above.empty())
    b.outcome = parse_number_list(above, o.bandwidth.empty() ? "--bandwidth-plus" : "--bandwidth");
  if (!o.bandwidth_minus.empty())
    b.outcome_below = parse_number_list(o.bandwidth_minus, "--bandwidth-minus");
  const std::string& t_above = above_text(o.bandwidth_treatment, "--bandwidth-treatment",
                                          o.bandwidth_treatment_plus, "--bandwidth-treatment-plus");
  if (!t_above.empty())
    b.treatment = number_of(t_above, o.bandwidth_treatment.empty() ? "--bandwidth-treatment-plus"
                                                                   : "--bandwidth-treatment");
  if (!o.bandwidth_treatment_minus.empty())
    b.treatment_below = number_of(o.bandwidth_treatment_minus, "--bandwidth-treatment-minus");
}

// --placebo: the analysis moves to the false cutoff and --cutoff becomes the true one.
void read_placebo(const CliOptions& o, AnalysisRequest& r) {
  r.units.true_cutoff = r.estimate.cutoff;
  r.estimate.cutoff = number_of(o.placebo, "--placebo");
}

// The parsed value, with the core's argument errors for a spelling it does not know.
void read_model(const CliOptions& o, Settings& s) {
  AnalysisRequest& r = s.request;
  EstimateOptions& e = r.estimate;
  if (!o.cutoff.empty()) e.cutoff = number_of(o.cutoff, "--cutoff");
  if (!o.method.empty()) e.method = parse_method(o.method);
  if (!o.kernel.empty()) e.kernel = parse_kernel(o.kernel);
  if (!o.compat.empty()) e.compat = parse_compat(o.compat);
  if (!o.p.empty()) e.p = whole_of(o.p, "--p");
  if (!o.quantile_type.empty()) s.quantile_type = parse_quantile_type(whole_of(o.quantile_type, "--quantile-type"));
  e.fuzzy = !o.treatment.empty();
  BandwidthRequest& b = r.bandwidth;
  if (!o.s.empty()) b.selection.s = whole_of(o.s, "--s");
  b.selection.coverage = o.coverage;
  if (!o.bwselect.empty()) b.selection.rule = parse_bandwidth_rule(o.bwselect);
  if (!o.donut.empty()) r.units.donut = number_of(o.donut, "--donut");
  if (!o.placebo.empty()) read_placebo(o, r);
  read_bandwidths(o, b);
}

void read_inference(const CliOptions& o, Settings& s) {
  BootstrapOptions& i = s.request.inference;
  if (!o.boot.empty()) {
    const int draws = whole_of(o.boot, "--boot");
    if (draws < 0) throw UsageError("--boot: the number of bootstrap draws cannot be negative");
    if (draws == 0 && s.request.last_stage == Stage::inference) s.request.last_stage = Stage::estimate;
    i.draws = static_cast<arma::uword>(draws);
  }
  if (!o.alpha.empty()) i.alpha = number_of(o.alpha, "--alpha");
  if (!o.seed.empty()) {
    const char* first = o.seed.data();
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(first, &end, 10);
    if (o.seed[0] == '-' || end != first + o.seed.size() || errno == ERANGE)
      throw UsageError("--seed: '" + o.seed + "' is not an integer between 0 and 2^64 - 1");
    i.seed = static_cast<std::uint64_t>(v);
  }
  if (!o.tests.empty()) {
    i.tests.emplace();
    for (const std::string& t : o.tests)
      if (t != "none") i.tests->push_back(parse_test(t));
  }
  if (!o.sampler.empty()) i.sampler = parse_sampler(o.sampler);
  if (!o.vce.empty()) i.vce = parse_vce(o.vce);
  if (!o.band_type.empty()) i.band = parse_band_type(o.band_type);
  if (!o.test_statistic.empty()) i.test_statistic = parse_test_statistic(o.test_statistic);
  for (const std::string& f : o.functionals) i.functionals.push_back(parse_functional(f));
  if (!o.test_range.empty()) {
    std::vector<std::string> parts = split(o.test_range, ',');
    if (parts.size() != 2) parts = split(o.test_range, ':');
    if (parts.size() != 2)
      throw UsageError("--test-range: give two levels 'low,high', e.g. 0.1,0.9");
    i.test_ranges.push_back(TestRange{number_of(parts[0], "--test-range"),
                                      number_of(parts[1], "--test-range")});
  }
}

// Rules of the input formats, which only the command line has.
void check_format(const CliOptions& o) {
  if (o.format != "long" && o.format != "quantiles")
    throw UsageError("--format: unknown format '" + o.format + "'; use 'long' or 'quantiles'");
  if (o.format == "quantiles") {
    if (!o.weight.empty())
      throw UsageError("--weight: draw weights need draws; with --format quantiles the "
                       "quantiles are already computed");
    if (o.sorted || o.any_order) throw UsageError("--sorted/--any-order apply to --format long only");
    if (o.id.size() > 1) throw UsageError("--id: with --format quantiles give at most one key column");
  } else {
    if (!o.qcols.empty()) throw UsageError("--qcols applies to --format quantiles only");
    for (const std::string& name : o.id)
      if (name.empty()) throw UsageError("--id: empty column name");
  }
  if (o.x.empty() || o.y.empty()) throw UsageError("--x and --y need a column name");
  for (const std::string& name : o.covs)
    if (name.empty()) throw UsageError("--covs: empty column name; give names like --covs z1,z2");
}

// Every column has one role, except that a unit-level column (x, treatment, cluster,
// unit weight, covariates) may also be part of the unit key (clusters of states when units
// are state-years), as in 'rddist sql'. The same column as outcome and running variable,
// say, is a typing slip whose estimate would be degenerate.
void check_roles(const CliOptions& o) {
  struct Role {
    std::string column, option;
    bool key, unit_level;
  };
  std::vector<Role> roles;
  const std::vector<std::string> ids =
      o.id.empty() && o.format == "long" ? std::vector<std::string>{"unit"} : o.id;
  for (const std::string& id : ids) roles.push_back({id, "--id", true, false});
  roles.push_back({o.x, "--x", false, true});
  if (o.format == "long") roles.push_back({o.y, "--y", false, false});
  if (!o.treatment.empty()) roles.push_back({o.treatment, "--treatment", false, true});
  if (!o.weight.empty()) roles.push_back({o.weight, "--weight", false, false});
  if (!o.cluster.empty()) roles.push_back({o.cluster, "--cluster", false, true});
  if (!o.unit_weight.empty()) roles.push_back({o.unit_weight, "--unit-weight", false, true});
  for (const std::string& z : o.covs) roles.push_back({z, "--covs", false, true});
  for (std::size_t a = 0; a < roles.size(); ++a)
    for (std::size_t b = a + 1; b < roles.size(); ++b) {
      const Role &r = roles[a], &t = roles[b];
      if (r.column != t.column || (r.key && t.key) || (r.key && t.unit_level)) continue;
      throw UsageError(t.option + ": column '" + t.column + "' is also the " + r.option +
                       " column; give each role its own column");
    }
}

}  // namespace

Settings resolve(const CliOptions& o, Stage last_stage) {
  check_format(o);
  check_roles(o);
  Settings s;
  s.delimiter = parse_delimiter(o.delim);
  s.request.last_stage = last_stage;
  if (!o.refused_option.empty())
    throw UsageError(o.refused_option + ": 'rddist bwselect' selects the bandwidths and takes "
                     "none; give bandwidths to 'rddist estimate' (which then skips the selection)");
  if (o.quantiles_given || !o.quantiles.empty()) {
    s.request.data.q_grid = parse_quantile_grid(o.quantiles);
    s.grid_given = true;
  } else if (o.format == "long") {
    s.request.data.q_grid = default_q_grid();
    s.grid_given = true;
  }
  read_model(o, s);
  if (last_stage != Stage::bandwidths) read_inference(o, s);
  if (o.threads > 1024) throw UsageError("--threads: at most 1024");
  s.request.threads = o.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o.threads;
  if (s.grid_given) check_request(s.request);
  return s;
}

}  // namespace rddist::cli
