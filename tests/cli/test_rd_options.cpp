// Tests of the RD-toolkit options end to end: the command line's reading path and analysis
// (--covs, --unit-weight, --donut, per-side bandwidths, --bwselect) against the core's
// run_analysis() on the same arrays, long against quantile files, and the per-side output.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "options.h"
#include "output.h"
#include "rddist/r3d/analysis.h"
#include "rddist/r3d/quantiles.h"
#include "read_units.h"
#include "temp_file.h"

using namespace rddist;
using rddist::cli::CliOptions;

namespace {

const char* const kGrid = "0.1:0.9:0.1";

// Units with unit-level covariates and weights; draws per unit.
struct Sample {
  std::vector<std::string> keys;
  arma::vec x, t, m;
  arma::mat z;  // units × 2
  std::vector<arma::vec> draws;
};

Sample make_sample(std::size_t n) {
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::normal_distribution<double> e(0.0, 0.5);
  Sample s;
  s.x.set_size(n);
  s.t.set_size(n);
  s.m.set_size(n);
  s.z.set_size(n, 2);
  for (std::size_t i = 0; i < n; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "u%04zu", i);  // key order is the order of i
    s.keys.push_back(key);
    s.x[i] = u(gen);
    s.z(i, 0) = u(gen);
    s.z(i, 1) = e(gen);
    s.m[i] = 1.5 + 0.5 * u(gen);
    s.t[i] = (s.x[i] >= 0.0) != (i % 7 == 0) ? 1.0 : 0.0;  // some non-compliance
    const double shift = 1.0 + s.x[i] + 0.8 * s.z(i, 0) - 0.5 * s.z(i, 1) + (s.t[i] > 0 ? 1.0 : 0.0);
    arma::vec y(5 + i % 4);
    for (double& v : y) v = shift + e(gen);
    s.draws.push_back(y);
  }
  return s;
}

std::string number(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);  // reads back to the same double
  return text;
}

// One row per draw: unit,x,t,z1,z2,m,y.
std::string long_csv(const Sample& s) {
  std::string out = "unit,x,t,z1,z2,m,y\n";
  for (std::size_t i = 0; i < s.keys.size(); ++i)
    for (double y : s.draws[i])
      out += s.keys[i] + "," + number(s.x[i]) + "," + number(s.t[i]) + "," + number(s.z(i, 0)) +
             "," + number(s.z(i, 1)) + "," + number(s.m[i]) + "," + number(y) + "\n";
  return out;
}

// One row per unit with its quantiles: id,x,t,z1,z2,m,Q1..QM.
std::string quantile_csv(const Sample& s, const arma::vec& q) {
  std::string out = "id,x,t,z1,z2,m";
  for (arma::uword j = 0; j < q.n_elem; ++j) out += ",Q" + std::to_string(j + 1);
  out += "\n";
  for (std::size_t i = 0; i < s.keys.size(); ++i) {
    out += s.keys[i] + "," + number(s.x[i]) + "," + number(s.t[i]) + "," + number(s.z(i, 0)) +
           "," + number(s.z(i, 1)) + "," + number(s.m[i]);
    for (double v : empirical_quantiles(s.draws[i], q)) out += "," + number(v);
    out += "\n";
  }
  return out;
}

CliOptions cli_options(const std::string& path, bool fuzzy) {
  CliOptions o;
  o.input = path;
  o.covs = {"z1", "z2"};
  o.unit_weight = "m";
  o.donut = "0.05";
  o.bandwidth_plus = "0.6";
  o.bandwidth_minus = "0.45";
  if (fuzzy) {
    o.treatment = "t";
    o.bandwidth_treatment_plus = "0.7";
    o.bandwidth_treatment_minus = "0.55";
  }
  o.quantiles = kGrid;
  o.boot = "0";
  o.quiet = true;
  return o;
}

// The command line's run: options → reading → analysis.
AnalysisResult run_cli(const CliOptions& o, Stage stage = Stage::inference) {
  cli::Settings s = cli::resolve(o, stage);
  cli::RunRecord run("estimate", {}, o, s);
  cli::UnitTable units;
  return cli::analyse(o, s, run, units);
}

// The same analysis asked of the core directly.
AnalysisResult run_core(const Sample& s, bool fuzzy) {
  AnalysisRequest r;
  r.data.q_grid = cli::parse_quantile_grid(kGrid);
  r.data.x = s.x;
  r.data.quantiles.set_size(s.x.n_elem, r.data.q_grid.n_elem);
  for (std::size_t i = 0; i < s.draws.size(); ++i)
    r.data.quantiles.row(i) = empirical_quantiles(s.draws[i], r.data.q_grid).t();
  r.data.covariates = s.z;
  r.data.covariate_names = {"z1", "z2"};
  r.data.unit_weights = s.m;
  r.units.donut = 0.05;
  r.bandwidth.outcome = arma::vec{0.6};
  r.bandwidth.outcome_below = arma::vec{0.45};
  if (fuzzy) {
    r.data.treatment = s.t;
    r.estimate.fuzzy = true;
    r.bandwidth.treatment = 0.7;
    r.bandwidth.treatment_below = 0.55;
  }
  r.last_stage = Stage::estimate;
  return run_analysis(r);
}

void same_values(const arma::mat& a, const arma::mat& b) {
  REQUIRE(a.n_rows == b.n_rows);
  REQUIRE(a.n_cols == b.n_cols);
  CHECK(arma::approx_equal(a, b, "reldiff", 1e-12));
}

}  // namespace

TEST_CASE("estimate with covariates, unit weights, donut and per-side bandwidths is the core's",
          "[rd_options]") {
  const Sample sample = make_sample(300);
  TempFile f(long_csv(sample));
  for (const bool fuzzy : {false, true}) {
    INFO("fuzzy " << fuzzy);
    const AnalysisResult cli = run_cli(cli_options(f.path(), fuzzy));
    const AnalysisResult core = run_core(sample, fuzzy);
    REQUIRE(cli.estimate);
    REQUIRE(core.estimate);
    const Estimate& a = *cli.estimate;
    const Estimate& b = *core.estimate;
    same_values(a.tau, b.tau);
    same_values(a.gamma, b.gamma);
    CHECK(a.gamma.n_rows == 2);
    CHECK(a.two_sided);
    CHECK(a.h_num[0] == 0.6);
    CHECK(a.h_num_below[0] == 0.45);
    CHECK(cli.units.donut == core.units.donut);
    CHECK(cli.units.donut > 0);
    CHECK(cli.units.kept.n_elem + cli.units.donut == 300);
    if (fuzzy) {
      CHECK(a.h_den == 0.7);
      CHECK(a.h_den_below == 0.55);
      same_values(a.gamma_treatment, b.gamma_treatment);
      CHECK(a.first_stage.jump == Approx(b.first_stage.jump).epsilon(1e-12));
    }
  }
}

TEST_CASE("quantile and long files with covariates give the same effect", "[rd_options]") {
  const Sample sample = make_sample(300);
  TempFile long_file(long_csv(sample));
  TempFile quantile_file(quantile_csv(sample, cli::parse_quantile_grid(kGrid)));
  for (const bool fuzzy : {false, true}) {
    INFO("fuzzy " << fuzzy);
    CliOptions q = cli_options(quantile_file.path(), fuzzy);
    q.format = "quantiles";
    q.id = {"id"};
    q.qcols = "Q";
    const AnalysisResult from_quantiles = run_cli(q);
    const AnalysisResult from_long = run_cli(cli_options(long_file.path(), fuzzy));
    same_values(from_quantiles.estimate->tau, from_long.estimate->tau);
    same_values(from_quantiles.estimate->gamma, from_long.estimate->gamma);
  }
}

TEST_CASE("--bwselect two selects a bandwidth per side and the CSV shows both", "[rd_options]") {
  const Sample sample = make_sample(400);
  TempFile f(long_csv(sample));
  CliOptions o;
  o.input = f.path();
  o.covs = {"z1", "z2"};
  o.quantiles = kGrid;
  o.boot = "0";
  o.quiet = true;
  o.bwselect = "two";
  const AnalysisResult two = run_cli(o);
  const Estimate& e = *two.estimate;
  CHECK(e.two_sided);
  CHECK(e.h_num[0] != e.h_num_below[0]);
  const std::string csv = cli::result_csv(e, nullptr);
  CHECK_THAT(csv.substr(0, csv.find('\n')), Catch::EndsWith(",p_value_uniform,bandwidth_minus"));
  // The bandwidths alone (bwselect) are the estimate's.
  const AnalysisResult selected = run_cli(o, Stage::bandwidths);
  REQUIRE(selected.selection);
  CHECK(selected.selection->h_num[0] == e.h_num[0]);
  CHECK(selected.selection->h_num_below[0] == e.h_num_below[0]);
  // The common rule: one bandwidth, and the CSV keeps its usual columns.
  o.bwselect = "common";
  const Estimate& c = *run_cli(o).estimate;
  CHECK_FALSE(c.two_sided);
  const std::string common = cli::result_csv(c, nullptr);
  CHECK_THAT(common.substr(0, common.find('\n')), Catch::EndsWith(",p_value_uniform"));
}
