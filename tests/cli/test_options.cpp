// Tests of option parsing: the quantile grid syntax, the request resolve() builds, and
// the core's checks of it worded as the command line's options.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "arguments.h"
#include "cli_errors.h"
#include "options.h"
#include "rddist/error.h"

using rddist::Stage;
using rddist::cli::CliOptions;
using rddist::cli::parse_quantile_grid;
using rddist::cli::resolve;
using rddist::cli::UsageError;

namespace {

// The message the user reads for these options ("" when they are accepted).
std::string message_of(const CliOptions& o, Stage stage = Stage::inference) {
  try {
    resolve(o, stage);
  } catch (const UsageError& e) {
    return e.what();
  } catch (const rddist::error& e) {
    return rddist::cli::cli_message(e.text());
  }
  return "";
}

CliOptions with_grid(const std::string& grid) {
  CliOptions o;
  o.input = "data.csv";
  o.quantiles = grid;
  return o;
}

}  // namespace

TEST_CASE("a:b:step grids have no floating-point accumulation noise", "[options]") {
  const arma::vec q = parse_quantile_grid("0.1:0.9:0.1");
  REQUIRE(q.n_elem == 9);
  const double want[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  for (int j = 0; j < 9; ++j) CHECK(q[j] == want[j]);  // exactly the decimal literals
  const arma::vec fine = parse_quantile_grid("0.01:0.99:0.01");
  REQUIRE(fine.n_elem == 99);
  CHECK(fine[28] == 0.29);
  CHECK(fine[98] == 0.99);
  CHECK(parse_quantile_grid("0.05:0.95:0.05").n_elem == 19);
}

TEST_CASE("comma-separated grids are taken as given", "[options]") {
  const arma::vec q = parse_quantile_grid("0.25, 0.5,0.75");
  CHECK(q.n_elem == 3);
  CHECK(q[1] == 0.5);
  CHECK(parse_quantile_grid("0.5").n_elem == 1);
}

TEST_CASE("grids outside (0, 1), unordered or malformed are usage errors", "[options][errors]") {
  CHECK_THAT(message_of(with_grid("0:1:0.1")),
             Catch::Contains("level 1 of --quantiles is 0; quantile levels must lie strictly between 0 and 1"));
  CHECK_THAT(message_of(with_grid("0.5,0.4")), Catch::Contains("--quantiles must increase strictly"));
  CHECK_THROWS_WITH(parse_quantile_grid("0.1:0.9:0"), Catch::Contains("step"));
  CHECK_THROWS_WITH(parse_quantile_grid("0.9:0.1:0.1"), Catch::Contains("below the start"));
  CHECK_THROWS_WITH(parse_quantile_grid("0.1:0.5"), Catch::Contains("neither"));
  CHECK_THROWS_WITH(parse_quantile_grid("0.1,abc"), Catch::Contains("'abc' is not a number"));
  CHECK_THROWS_WITH(parse_quantile_grid("0.1:0.9:1e-9"), Catch::Contains("more than 100000"));
  CHECK_THROWS_AS(parse_quantile_grid("nan"), UsageError);
}

TEST_CASE("resolve converts names with the core's parsers and checks combinations", "[options]") {
  CliOptions o;
  o.input = "data.csv";
  o.bandwidth = "0.4";
  o.method = "simple";
  o.kernel = "epanechnikov";
  o.compat = "r3d-0.1.0";
  const auto s = resolve(o, Stage::inference).request;
  CHECK(s.estimate.method == rddist::Method::simple);
  CHECK(s.estimate.kernel == rddist::Kernel::epanechnikov);
  CHECK(s.estimate.compat == rddist::Compat::r3d_0_1_0);
  CHECK(s.data.q_grid.n_elem == 99);
  CHECK(s.bandwidth.outcome[0] == 0.4);
  CHECK_FALSE(s.estimate.fuzzy);
  CHECK(s.threads >= 1);

  CliOptions fuzzy = o;
  fuzzy.treatment = "t";
  CHECK(std::isnan(resolve(fuzzy, Stage::inference).request.bandwidth.treatment));  // selected later
  CHECK_FALSE(resolve(o, Stage::inference).request.inference.tests.has_value());  // the core decides

  // Each case changes the accepted options and names a fragment of the message.
  struct Refusal {
    std::function<void(CliOptions&)> change;
    std::vector<std::string> fragments;
  };
  const std::vector<Refusal> refusals = {
      {[](CliOptions& b) { b.kernel = "gaussian"; },
       {"unknown kernel 'gaussian'; --kernel must be triangular, epanechnikov or uniform"}},
      {[](CliOptions& b) { b.method = "frechet", b.bandwidth = "0.3,0.4"; },
       {"the frechet method fits the whole curve with one bandwidth"}},
      {[](CliOptions& b) { b.bandwidth_treatment = "0.5"; }, {"applies to fuzzy designs"}},
      {[](CliOptions& b) { b.alpha = "1.5"; }, {"--alpha must lie strictly between 0 and 1"}},
      {[](CliOptions& b) { b.tests = {"nullity", "shape"}; }, {"unknown test 'shape'"}},
      {[](CliOptions& b) { b.sampler = "bayes"; }, {"--sampler must be gaussian or multipliers"}},
      {[](CliOptions& b) { b.functionals = {"mean", "variance"}; }, {"'variance' is not a functional"}},
      {[](CliOptions& b) { b.seed = "-3"; }, {"--seed"}},
      {[](CliOptions& b) { b.test_range = "0.9,0.1"; },
       {"--test-range", "must run from a lower to a higher level"}},
      {[](CliOptions& b) { b.format = "wide"; }, {"unknown format 'wide'"}},
      {[](CliOptions& b) { b.format = "quantiles", b.weight = "w"; }, {"--weight"}},
      {[](CliOptions& b) { b.p = "11"; },
       {"the polynomial order --p = 11 must be a whole number between 0 and 10"}},
      {[](CliOptions& b) { b.boot = "5"; }, {"--boot must be at least 19"}},
      {[](CliOptions& b) { b.compat = "r3d-0.1.0", b.vce = "hc2"; },
       {"--compat r3d-0.1.0 reproduces R3D's bootstrap"}},
  };
  for (const Refusal& r : refusals) {
    CliOptions bad = o;
    r.change(bad);
    const std::string message = message_of(bad);
    for (const std::string& text : r.fragments) {
      INFO(text);
      CHECK_THAT(message, Catch::Contains(text));
    }
  }
  CHECK(message_of(o, Stage::bandwidths).empty());  // bwselect ignores the bootstrap
}

TEST_CASE("RD-toolkit options fill the core's request", "[options]") {
  CliOptions o;
  o.input = "data.csv";
  o.covs = {"z1", "z2"};
  o.unit_weight = "size";
  o.donut = "0.05";
  o.bwselect = "two";
  o.bandwidth_plus = "0.4";
  o.bandwidth_minus = "0.3";
  const auto r = resolve(o, Stage::inference).request;
  CHECK(r.units.donut == 0.05);
  CHECK(r.bandwidth.selection.rule == rddist::BandwidthRule::two);
  REQUIRE(r.bandwidth.outcome.n_elem == 1);
  CHECK(r.bandwidth.outcome[0] == 0.4);
  REQUIRE(r.bandwidth.outcome_below.n_elem == 1);
  CHECK(r.bandwidth.outcome_below[0] == 0.3);

  // --bandwidth for the side above, --bandwidth-minus below; the treatment likewise.
  CliOptions both = o;
  both.bandwidth_plus.clear();
  both.bandwidth = "0.5";
  both.treatment = "t";
  both.bandwidth_treatment_plus = "0.6";
  both.bandwidth_treatment_minus = "0.7";
  const auto b = resolve(both, Stage::inference).request.bandwidth;
  CHECK(b.outcome[0] == 0.5);
  CHECK(b.outcome_below[0] == 0.3);
  CHECK(b.treatment == 0.6);
  CHECK(b.treatment_below == 0.7);
  CliOptions treatment = both;
  treatment.bandwidth_treatment_plus.clear();
  treatment.bandwidth_treatment = "0.8";
  CHECK(resolve(treatment, Stage::inference).request.bandwidth.treatment == 0.8);

  // Not given: no donut, no placebo, the common rule, nothing below the cutoff.
  CliOptions plain;
  plain.input = "data.csv";
  const auto p = resolve(plain, Stage::inference).request;
  CHECK(p.units.donut == 0.0);
  CHECK(std::isnan(p.units.true_cutoff));
  CHECK(p.bandwidth.selection.rule == rddist::BandwidthRule::common);
  CHECK(p.bandwidth.outcome_below.is_empty());
  CHECK(std::isnan(p.bandwidth.treatment_below));
  CliOptions bw = plain;
  bw.bwselect = "two";
  CHECK(resolve(bw, Stage::bandwidths).request.bandwidth.selection.rule == rddist::BandwidthRule::two);
}

TEST_CASE("RD-toolkit options: mistakes name the option", "[options][errors]") {
  CliOptions o;
  o.input = "data.csv";
  struct Refusal {
    std::function<void(CliOptions&)> change;
    std::vector<std::string> fragments;
  };
  const std::vector<Refusal> refusals = {
      {[](CliOptions& b) { b.bandwidth = "0.4", b.bandwidth_plus = "0.3"; },
       {"--bandwidth and --bandwidth-plus both set the bandwidth above the cutoff"}},
      {[](CliOptions& b) {
         b.treatment = "t", b.bandwidth_treatment = "0.4", b.bandwidth_treatment_plus = "0.3";
       },
       {"--bandwidth-treatment and --bandwidth-treatment-plus both set"}},
      // The core's rule: a side below needs the side above.
      {[](CliOptions& b) { b.bandwidth_minus = "0.3"; },
       {"--bandwidth-minus was given without the one above"}},
      {[](CliOptions& b) { b.treatment = "t", b.bandwidth_treatment_minus = "0.3"; },
       {"--bandwidth-treatment-minus was given without the one above"}},
      {[](CliOptions& b) { b.bandwidth_plus = "wide"; }, {"--bandwidth-plus: 'wide' is not a number"}},
      {[](CliOptions& b) { b.bandwidth = "0.4", b.bandwidth_minus = "-1"; }, {"--bandwidth-minus"}},
      {[](CliOptions& b) { b.treatment = "t", b.bandwidth_treatment_plus = "0.4",
                           b.bandwidth_treatment_minus = "0"; },
       {"--bandwidth-treatment-minus must be a positive number"}},
      {[](CliOptions& b) { b.bandwidth_treatment_plus = "0.4"; }, {"applies to fuzzy designs"}},
      {[](CliOptions& b) { b.bwselect = "three"; }, {"--bwselect"}},
      {[](CliOptions& b) { b.donut = "near"; }, {"--donut: 'near' is not a number"}},
      {[](CliOptions& b) { b.donut = "-0.1"; }, {"--donut"}},
      {[](CliOptions& b) { b.covs = {"z1", ""}; }, {"--covs: empty column name"}},
  };
  for (const Refusal& r : refusals) {
    CliOptions bad = o;
    r.change(bad);
    const std::string message = message_of(bad);
    REQUIRE_FALSE(message.empty());
    for (const std::string& text : r.fragments) {
      INFO(message);
      CHECK_THAT(message, Catch::Contains(text));
    }
  }
}

TEST_CASE("--delim names a separator or asks for detection", "[options][delim]") {
  using rddist::cli::parse_delimiter;
  CHECK(parse_delimiter("") == 0);
  CHECK(parse_delimiter("auto") == 0);
  CHECK(parse_delimiter("tab") == '\t');
  CHECK(parse_delimiter("\\t") == '\t');
  CHECK(parse_delimiter(";") == ';');
  CHECK(parse_delimiter("semicolon") == ';');
  CHECK(parse_delimiter("comma") == ',');
  CHECK(parse_delimiter("pipe") == '|');
  CHECK_THROWS_WITH(parse_delimiter("colon"), Catch::Contains("--delim"));
}

TEST_CASE("--placebo moves the analysis to the false cutoff; --cutoff is the true one",
          "[options]") {
  CliOptions o;
  o.input = "data.csv";
  o.cutoff = "0.5";
  o.placebo = "0.4";
  const auto r = resolve(o, Stage::inference).request;
  CHECK(r.estimate.cutoff == 0.4);
  CHECK(r.units.true_cutoff == 0.5);
  CliOptions at_zero = o;  // the default true cutoff
  at_zero.cutoff.clear();
  CHECK(resolve(at_zero, Stage::estimate).request.units.true_cutoff == 0.0);
  CliOptions fuzzy = o;
  fuzzy.treatment = "t";
  CHECK_THAT(message_of(fuzzy), Catch::StartsWith("--placebo: the treatment does not jump") &&
                                    Catch::Contains("reduced form") &&
                                    Catch::Contains("drop the treatment (--treatment)"));
  CliOptions bad = o;
  bad.placebo = "abc";
  CHECK_THAT(message_of(bad), Catch::StartsWith("--placebo"));
}
