// cmd_estimate.cpp — `rddist estimate`: read, estimate τ(q), infer, write CSV/JSON/SVG.
//
// Steps: the options become the core's request, checked before any data is read (and the
// output paths too: never the input, never each other) → read the units and their quantiles → rddist::run_analysis (selects
// the bandwidths not given, estimates, bootstraps) → write (every output staged, then all
// renamed onto their targets, so a failure leaves no partial result). Timings go to the JSON report.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli_errors.h"
#include "commands.h"
#include "numbers.h"
#include "output.h"
#include "output_files.h"
#include "plot_svg.h"
#include "progress.h"
#include "rddist/r3d/analysis.h"
#include "read_units.h"
#include "stopwatch.h"
#include "summary.h"

namespace rddist::cli {
namespace {

const char* const kEstimateExamples = R"(Examples:
  # sharp design, units identified by column 'unit', fixed bandwidth 0.4
  rddist estimate draws.csv --x x --y y --bandwidth 0.4 --quantiles 0.1:0.9:0.1

  # state-year units, weighted draws, cutoff 0.5; CSV, JSON report and plot
  rddist estimate governors.csv.gz --id state,year --x dem_share --y income_pov \
      --weight famwgt --cutoff 0.5 --bandwidth 0.2 --quantiles 0.05:0.95:0.05 \
      --out effect.csv --json effect.json --plot effect.svg

  # fuzzy design: treatment column and both bandwidths
  rddist estimate draws.csv --treatment t --bandwidth 0.5 --bandwidth-treatment 0.5

  # covariates and a unit weight (columns constant within each unit), a donut of 0.02 and
  # a bandwidth per side of the cutoff
  rddist estimate draws.csv --covs age,income --unit-weight size --donut 0.02 \
      --bandwidth-plus 0.4 --bandwidth-minus 0.3

  # placebo test at the false cutoff 0.4 (true cutoff 0.5), from the units below 0.5 only
  rddist estimate governors.csv.gz --id state,year --x dem_share --y income_pov \
      --weight famwgt --cutoff 0.5 --placebo 0.4 --boot 999 --test nullity

  # one row per unit with precomputed quantiles in columns named by their levels (X,
  # q0.05, ..., q0.95); columns Q1..Q20 would need --quantiles; R3D 0.1.0 numerics
  rddist estimate quantiles.csv --format quantiles --x X --qcols q --method simple \
      --kernel epanechnikov --bandwidth 0.5 --compat r3d-0.1.0

  # from standard input, result on standard output
  zcat draws.csv.gz | rddist estimate - --bandwidth 0.3 > effect.csv

Exit codes: 0 ok, 1 usage error, 2 data error, 3 numerical error, 4 file error,
5 out of memory or internal error.)";

std::string subtitle_of(const Estimate& est, const UnitTable& units) {
  std::string s = to_string(est.options.method) + ", " + to_string(est.options.kernel) +
                  " kernel, p = " + std::to_string(est.options.p) + ", h = ";
  s += bandwidth_text(est.h_num, est.h_num_below);
  if (est.options.fuzzy)
    s += ", h(T) = " + bandwidth_text(arma::vec{est.h_den}, arma::vec{est.h_den_below}) + ", fuzzy";
  s += ", " + std::to_string(units.x.n_elem) + " units, cutoff " + format_number(est.options.cutoff);
  return s;
}

int run_estimate(const CliOptions& o, const std::vector<std::string>& arguments) {
  Stopwatch total;
  Settings s = resolve(o, Stage::inference);
  check_outputs(o.input, "input", {{o.out, "--out"}, {o.json, "--json"}, {o.plot, "--plot"}});
  check_writable(o.out, "--out");
  check_writable(o.json, "--json");
  check_writable(o.plot, "--plot");

  RunRecord run("estimate", arguments, o, s);
  UnitTable units;
  const AnalysisResult result = analyse(o, s, run, units);
  run.result = &result;

  Stopwatch step;
  const Estimate& est = *result.estimate;
  const BootstrapResult* inf = result.inference ? &*result.inference : nullptr;
  OutputBatch outputs;  // renamed onto their targets only once all are written
  if (!o.summary || o.out != "-") outputs.add(o.out, result_csv(est, inf));
  if (!o.plot.empty()) {
    EffectPlot plot;
    plot.q = est.q_grid;
    plot.tau = est.tau;
    if (inf) {
      plot.conf_low = inf->conf_low;
      plot.conf_high = inf->conf_high;
      plot.band_low = inf->band_low;
      plot.band_high = inf->band_high;
      plot.level = 1.0 - inf->alpha;
    }
    plot.title = est.options.fuzzy ? "Effect on the outcome distribution (compliers)"
                                   : "Effect on the outcome distribution";
    plot.subtitle = subtitle_of(est, units);
    outputs.add(o.plot, render_effect_svg(plot));
  }
  run.times.write = step.seconds();
  run.times.total = total.seconds();
  if (!o.json.empty()) outputs.add(o.json, report_json(run).dump(2) + "\n");
  outputs.commit();
  if (o.summary) write_text("-", summary_text(result, s.request));
  return kExitOk;
}

}  // namespace

Command add_estimate_command(CLI::App& parent, const std::vector<std::string>& arguments) {
  auto options = std::make_shared<CliOptions>();
  CLI::App* app = parent.add_subcommand(
      "estimate", "Estimate the effect τ(q) on the outcome distribution at the cutoff");
  add_input_options(*app, *options);
  add_model_options(*app, *options, true);
  add_inference_options(*app, *options);
  add_output_options(*app, *options, true);
  app->footer(kEstimateExamples);
  return Command{app, [options, arguments] { return run_estimate(*options, arguments); }};
}

}  // namespace rddist::cli
