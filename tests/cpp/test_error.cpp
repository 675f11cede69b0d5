// Tests of error.h: message templates, the C++ spelling, units named by position and the
// location kept apart from the message front ends show.
#include <catch2/catch.hpp>

#include "rddist/error.h"

using namespace rddist;

TEST_CASE("argument tokens are spelled; other braces are left as written", "[error]") {
  CHECK(render("use {vce=hc0} or a larger {bandwidth}", spell_cpp) ==
        "use inference.vce = hc0 or a larger bandwidth.outcome");
  CHECK(render("a set {1, 2} and {not_an_argument}", spell_cpp) ==
        "a set {1, 2} and {not_an_argument}");
}

TEST_CASE("a unit is named by its position, which a front end may spell otherwise", "[error]") {
  CHECK(render("{unit=7} has no draws", spell_cpp) == "unit 7 has no draws");
  const auto by_key = [](const std::string& id, const std::string& value) {
    return id == "unit" ? "unit 'key" + value + "'" : std::string();
  };
  CHECK(render("{unit=7} has no draws; widen {bandwidth}", by_key) ==
        "unit 'key7' has no draws; widen {bandwidth}");
}

TEST_CASE("the refusing function is in what() for C++ callers, not in text()", "[error]") {
  const data_error located("the stock must be finite", "Solution::action");
  CHECK(std::string(located.what()) == "Solution::action: the stock must be finite");
  CHECK(located.text() == "the stock must be finite");
  CHECK(located.where() == "Solution::action");
  const data_error plain("no units lie below the cutoff");
  CHECK(std::string(plain.what()) == "no units lie below the cutoff");
  CHECK_THROWS_AS(fail_if<numerical_error>(true, "solve", "x"), numerical_error);
  try {
    fail_if(true, "parse_goal", "unknown goal '", "foo", "'");
  } catch (const invalid_argument& e) {
    CHECK(e.text() == "unknown goal 'foo'");
    CHECK(std::string(e.what()) == "parse_goal: unknown goal 'foo'");
  }
}
