// Mutation tests: damaged inputs may be refused, never crash the readers or escape as an
// exception outside the documented kinds (data, argument, usage, input/output).
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "cli_errors.h"
#include "long_data.h"
#include "quantile_data.h"
#include "rddist/error.h"
#include "temp_file.h"

using namespace rddist::cli;

namespace {

const char* const kLong =
    "unit,x,y,t,w,c\n"
    "\"a\",-0.5,1.5,0,1,g1\n\"a\",-0.5,2.5,0,2,g1\nb,0.25,3,1,1,g2\nb,0.25,\"4\",1,1,g2\n"
    "c,-0.25,0.5,0,1,g1\nc,-0.25,1,0,0.5,g1\nd,0.75,2,1,1,g3\nd,0.75,6,1,1,g3\n";
const char* const kQuantiles = "id,X,T,q0.25,q0.5,q0.75\na,-0.5,0,1,2,3\nb,0.5,1,2,3,4\nc,-0.2,0,0,1,2\n";

std::string mutate(std::string s, std::mt19937_64& gen) {
  const char specials[] = {',', '"', '\n', '\r', '\0', 'e', '-', '.', ' ', '\xEF', '\xBB', '\xBF', '\x1f'};
  std::uniform_int_distribution<int> kind(0, 5);
  const int edits = 1 + static_cast<int>(gen() % 4);
  for (int k = 0; k < edits && !s.empty(); ++k) {
    const std::size_t at = gen() % s.size();
    switch (kind(gen)) {
      case 0: s[at] = specials[gen() % sizeof specials]; break;
      case 1: s.insert(at, 1, specials[gen() % sizeof specials]); break;
      case 2: s.erase(at, 1 + gen() % 5); break;
      case 3: s[at] = static_cast<char>(gen() & 0xFF); break;
      case 4: s.insert(at, s.substr(gen() % s.size(), gen() % 40)); break;
      default: s.insert(at, "1e400"); break;
    }
  }
  return s;
}

// Runs one reader on content; true when it succeeded, false when refused as documented.
template <typename Read>
bool survives(const std::string& content, Read read) {
  TempFile f(content);
  try {
    read(f.path());
    return true;
  } catch (const rddist::error&) {
  } catch (const UsageError&) {
  } catch (const IoError&) {
  }
  return false;
}

}  // namespace

TEST_CASE("thousands of damaged long files are read or refused, never crash", "[fuzz]") {
  std::mt19937_64 gen(2025);
  int accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::string content = mutate(kLong, gen);
    accepted += survives(content, [&](const std::string& path) {
      LongReadOptions o;
      o.path = path;
      o.q_grid = arma::vec{0.1, 0.5, 0.9};
      o.columns.treatment = "t";
      o.columns.weight = "w";
      o.columns.cluster = "c";
      o.drop_missing = trial % 2 == 0;
      o.order = trial % 3 == 0 ? RowOrder::grouped : RowOrder::automatic;
      const UnitTable t = read_long_data(o);
      REQUIRE(t.quantiles.n_rows == t.x.n_elem);
      REQUIRE(t.quantiles.is_finite());
    });
  }
  CHECK(accepted > 0);  // some mutations leave a valid file
  CHECK(accepted < 3000);
}

TEST_CASE("damaged quantile files are read or refused, never crash", "[fuzz]") {
  std::mt19937_64 gen(7);
  for (int trial = 0; trial < 2000; ++trial) {
    survives(mutate(kQuantiles, gen), [&](const std::string& path) {
      QuantileReadOptions o;
      o.path = path;
      o.x = "X";
      o.treatment = "T";
      o.id = trial % 2 ? "id" : "";
      o.drop_missing = trial % 3 == 0;
      const UnitTable t = read_quantile_data(o);
      REQUIRE(t.quantiles.n_rows == t.x.n_elem);
    });
  }
}
