// Mutation tests of `rddist dp` (issue 17): damaged transition tables, run through the real
// binary, must end with a documented exit code (0–5, never a signal), and a success must
// come with complete, finite output: a policy CSV whose every row has a state, an integer
// time, a finite stock and an action, and a JSON summary that parses and holds only finite
// numbers. Half the trials damage bytes (as test_fuzz.cpp does for the readers), half edit
// fields so that many tables stay valid and the success path is exercised. Seeded
// (std::mt19937_64) with a fixed number of runs, so deterministic; 700 runs of a few
// milliseconds each.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "csv_reader.h"
#include "numbers.h"
#include "rddist/error.h"
#include "run_binary.h"
#include "temp_file.h"

#ifndef RDDIST_CLI_BINARY
#error "RDDIST_CLI_BINARY must name the rddist executable"
#endif

namespace {

// Small valid tables: acyclic (exact stocks), cyclic (a stock grid), and with a horizon.
const char* const kTables[] = {
    "state,action,prob,reward,next_state\n"
    "s0,go,0.5,0,s1\ns0,go,0.5,10,s1\ns1,safe,1,0,\ns1,gamble,0.5,10,NA\ns1,gamble,0.5,-10,\n",
    "state,action,prob,reward,next_state\n"
    "s,safe,1,0,s\ns,gamble,0.5,1,s\ns,gamble,0.5,-1,s\n",
    "state,action,prob,reward,next_state\n"
    "a,x,0.3,1.5,b\na,x,0.7,-0.5,a\na,y,1,0.25,\nb,x,0.6,2,a\nb,x,0.4,-1,\n\"b\",\"y\",1,0,b\n",
};

// Goals and options, rotated through; small grids keep each run short.
const char* const kRuns[][6] = {
    {"--goal", "mean", "--gamma", "0.9", "", ""},
    {"--goal", "success:8", "--gamma", "1", "", ""},
    {"--goal", "cvar:0.5", "--gamma", "0.9", "--horizon", "3"},
    {"--goal", "quantile:0.5", "--gamma", "1", "", ""},
    {"--goal", "homeostatic:1,2", "--gamma", "0.8", "", ""},
    {"--goal", "mean_cvar:0.5,0.25", "--gamma", "0.95", "--representation", "quantile"},
};

std::string mutate(std::string s, std::mt19937_64& gen) {
  static const char* const pieces[] = {",", "\"", "\n", "\r", "NA", "-", "e", ".", " ", "1e400",
                                       "1e300", "-1e300", "nan", "inf", "0", "0.5", "s0",
                                       "s1", "\xEF\xBB\xBF", "\x1f", ",,", "\n\n"};
  const int edits = 1 + static_cast<int>(gen() % 4);
  for (int k = 0; k < edits && !s.empty(); ++k) {
    const std::size_t at = gen() % s.size();
    switch (gen() % 6) {
      case 0: s.replace(at, 1, pieces[gen() % (sizeof pieces / sizeof *pieces)]); break;
      case 1: s.insert(at, pieces[gen() % (sizeof pieces / sizeof *pieces)]); break;
      case 2: s.erase(at, 1 + gen() % 5); break;
      case 3: s[at] = static_cast<char>(gen() & 0xFF); break;
      case 4: s.insert(at, s.substr(gen() % s.size(), gen() % 40)); break;  // repeat a piece
      default: {  // drop a whole line
        const std::size_t begin = s.rfind('\n', at), end = s.find('\n', at);
        if (begin != std::string::npos && end != std::string::npos) s.erase(begin, end - begin);
        break;
      }
    }
  }
  return s;
}

// Edits that keep the table's shape: a reward or next state replaced, a row repeated.
std::string mutate_fields(const std::string& s, std::mt19937_64& gen) {
  static const char* const rewards[] = {"0", "1", "-1", "2.5", "-7.25", "1e6", "-1e6", "1e300",
                                        "3e-300", "0.1"};
  static const char* const nexts[] = {"", "NA", "s0", "s1", "s", "a", "b", "nowhere"};
  std::vector<std::string> lines;
  std::stringstream in(s);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const int edits = 1 + static_cast<int>(gen() % 3);
  for (int k = 0; k < edits && lines.size() > 1; ++k) {
    std::string& line = lines[1 + gen() % (lines.size() - 1)];
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    if (line.back() == ',') f.push_back("");
    if (f.size() != 5) continue;
    switch (gen() % 3) {
      case 0: f[3] = rewards[gen() % (sizeof rewards / sizeof *rewards)]; break;
      case 1: f[4] = nexts[gen() % (sizeof nexts / sizeof *nexts)]; break;
      default: f[2] = "0"; break;  // a zero-probability outcome (the others then sum below 1)
    }
    line = f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[4];
  }
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every row of the policy has four fields: a state, an integer time, a finite stock and
// an action.
void check_policy(const std::string& path) {
  rddist::cli::CsvReader csv(path);
  REQUIRE(csv.header() == std::vector<std::string>{"state", "time", "stock", "action"});
  std::size_t rows = 0;
  while (csv.next()) {
    ++rows;
    REQUIRE(csv.size() == 4);
    CHECK_FALSE(csv.field(0).empty());
    CHECK_FALSE(csv.field(3).empty());
    double v = 0.0;
    REQUIRE(rddist::cli::parse_number(csv.field(1), v) == rddist::cli::NumberStatus::ok);
    CHECK(v == std::floor(v));
    REQUIRE(rddist::cli::parse_number(csv.field(2), v) == rddist::cli::NumberStatus::ok);
    CHECK(std::isfinite(v));
  }
  CHECK(rows > 0);
}

void check_finite(const nlohmann::json& j, const std::string& where) {
  INFO("JSON at " << where);
  if (j.is_object() || j.is_array()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      check_finite(*it, where + "/" + (j.is_object() ? it.key() : std::string("[]")));
    return;
  }
  CHECK_FALSE(j.is_null());
  if (j.is_number_float()) CHECK(std::isfinite(j.get<double>()));
}

}  // namespace

TEST_CASE("damaged transition tables through rddist dp end with a documented exit code and "
          "complete, finite output on success", "[fuzz][dp]") {
  std::mt19937_64 gen(1617);
  int ok = 0, refused = 0;
  for (int trial = 0; trial < 700; ++trial) {
    const std::string base = kTables[(trial / 6) % 3];
    const std::string table = trial % 2 ? mutate(base, gen) : mutate_fields(base, gen);
    const auto& opts = kRuns[trial % 6];
    TempFile input(table), policy(""), json("");
    std::vector<std::string> args{RDDIST_CLI_BINARY, "dp", "--transitions", input.path(),
                                  "--json", json.path(), "--quiet", "--atoms", "11",
                                  "--stock-points", "11", "--episodes", "200"};
    for (const char* o : opts)
      if (*o) args.push_back(o);
    const int status = run_binary(args, policy.path());
    INFO("trial " << trial << ", input:\n" << table);
    if (documented_exit_code(status) != 0) {
      ++refused;
      continue;
    }
    ++ok;
    check_policy(policy.path());
    const nlohmann::json j = nlohmann::json::parse(slurp(json.path()));  // throws if invalid
    check_finite(j, "");
    CHECK(j.at("summary").at("iterations").is_number_integer());
  }
  CHECK(ok > 50);  // some mutations leave a valid table
  CHECK(refused > 50);
}
