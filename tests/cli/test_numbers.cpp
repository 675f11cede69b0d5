// Tests of strict number parsing and round-trip formatting.
#include <catch2/catch.hpp>

#include <cmath>

#include "numbers.h"

using rddist::cli::NumberStatus;
using rddist::cli::parse_number;

namespace {
NumberStatus status_of(const char* text) {
  double v = 0.0;
  return parse_number(text, v);
}
double value_of(const char* text) {
  double v = -999.0;
  REQUIRE(parse_number(text, v) == NumberStatus::ok);
  return v;
}
}  // namespace

TEST_CASE("whole decimal numbers are accepted, with spaces and a plus sign", "[numbers]") {
  CHECK(value_of("1.5") == 1.5);
  CHECK(value_of(" -2e3 ") == -2000.0);
  CHECK(value_of("+0.25") == 0.25);
  CHECK(value_of(".5") == 0.5);
  CHECK(value_of("4.9e-324") > 0.0);  // the smallest subnormal still reads
}

TEST_CASE("numbers below the smallest double underflow to 0, as in R's read.csv", "[numbers]") {
  CHECK(status_of("1e-400") == NumberStatus::ok);
  CHECK(value_of("1e-400") == 0.0);
  CHECK(value_of("-1e-400") == 0.0);
  CHECK(std::signbit(value_of("-1e-400")));
  CHECK(value_of("2.5e-320") > 0.0);  // a subnormal keeps its value
  CHECK(status_of("1e-400x") == NumberStatus::not_a_number);
}

TEST_CASE("partial numbers, words, infinities and out-of-range values are refused", "[numbers]") {
  CHECK(status_of("") == NumberStatus::missing);
  CHECK(status_of("NA") == NumberStatus::missing);
  CHECK(status_of("12abc") == NumberStatus::not_a_number);
  CHECK(status_of("0x10") == NumberStatus::not_a_number);
  CHECK(status_of("1,5") == NumberStatus::not_a_number);
  CHECK(status_of("abc") == NumberStatus::not_a_number);
  CHECK(status_of("--1") == NumberStatus::not_a_number);
  CHECK(status_of("NaN") == NumberStatus::not_finite);
  CHECK(status_of("-Inf") == NumberStatus::not_finite);
  CHECK(status_of("infinity") == NumberStatus::not_finite);
  CHECK(status_of("1e400") == NumberStatus::out_of_range);
  CHECK(status_of("-1e400") == NumberStatus::out_of_range);
}

TEST_CASE("TRUE/FALSE read as 1/0 for indicators only", "[numbers]") {
  double v = -1.0;
  CHECK(rddist::cli::parse_indicator("TRUE", v) == NumberStatus::ok);
  CHECK(v == 1.0);
  CHECK(rddist::cli::parse_indicator("FALSE", v) == NumberStatus::ok);
  CHECK(v == 0.0);
  CHECK(parse_number("TRUE", v) == NumberStatus::not_a_number);
}

TEST_CASE("formatting is the shortest text that reads back exactly", "[numbers]") {
  for (double x : {0.1, 1.0 / 3.0, -2.5e-300, 6.02214076e23, 0.30000000000000004}) {
    double back = 0.0;
    REQUIRE(parse_number(rddist::cli::format_number(x), back) == NumberStatus::ok);
    CHECK(back == x);
  }
  CHECK(rddist::cli::format_number(0.1) == "0.1");
  CHECK(rddist::cli::format_number(std::nan("")) == "NA");
  CHECK(rddist::cli::csv_quote("a,b") == "\"a,b\"");
  CHECK(rddist::cli::csv_quote("say \"x\"") == "\"say \"\"x\"\"\"");
}
