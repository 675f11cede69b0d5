// Mutation tests of `rddist estimate` on long and quantile files, through the real binary:
// damaged inputs (bytes flipped, the file cut short, separators inserted, huge numbers,
// NaN/Inf text, lines repeated, a column deleted) must end with a documented exit code
// (0–5, never a signal), and a success must come with complete, finite output: one row
// per level, every number finite except the columns documented as NA without the
// bootstrap. Seeded (std::mt19937_64) with a fixed number of runs, so a failure
// reproduces; 2 × 300 runs of a few milliseconds each.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "csv_reader.h"
#include "numbers.h"
#include "rddist/error.h"
#include "run_binary.h"
#include "temp_file.h"

#ifndef RDDIST_CLI_BINARY
#error "RDDIST_CLI_BINARY must name the rddist executable"
#endif

namespace {

// A valid long file: 40 units, 6 draws each, x in (-1, 1), an effect above 0.
std::string long_file() {
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::string s = "unit,x,y\n";
  for (int i = 0; i < 40; ++i) {
    const double x = u(gen);
    for (int k = 0; k < 6; ++k)
      s += "u" + std::to_string(i) + "," + rddist::cli::format_number(x) + "," +
           rddist::cli::format_number(u(gen) + (x >= 0 ? 1.0 : 0.0) + x) + "\n";
  }
  return s;
}

// A valid quantile file: the same design, columns named by their levels.
std::string quantile_file() {
  std::mt19937_64 gen(12);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::string s = "unit,x,q0.25,q0.5,q0.75\n";
  for (int i = 0; i < 40; ++i) {
    const double x = u(gen), a = u(gen) + (x >= 0 ? 1.0 : 0.0), d = 0.5 + 0.5 * u(gen) + 0.5;
    s += "u" + std::to_string(i) + "," + rddist::cli::format_number(x);
    for (int k = 0; k < 3; ++k) s += "," + rddist::cli::format_number(a + k * d);
    s += "\n";
  }
  return s;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> lines;
  std::stringstream in(s);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Deletes field `col` from every line (a naive split on commas: quotes are not used here).
std::string delete_column(const std::string& s, std::size_t col) {
  std::string out;
  for (const std::string& line : lines_of(s)) {
    std::vector<std::string> f;
    std::stringstream in(line);
    for (std::string x; std::getline(in, x, ',');) f.push_back(x);
    std::string kept;
    for (std::size_t k = 0; k < f.size(); ++k)
      if (k != col) kept += (kept.empty() ? "" : ",") + f[k];
    out += kept + "\n";
  }
  return out;
}

std::string mutate(std::string s, std::mt19937_64& gen) {
  static const char* const pieces[] = {",", "\"", "\n", "\r", ";", "\t", "1e400", "-1e400",
                                       "1e-400", "1e300", "NaN", "nan", "Inf", "-inf", "NA",
                                       "", "0", "-", "e", ".", "\xEF\xBB\xBF", "\x1f\x8b"};
  const std::size_t n_pieces = sizeof pieces / sizeof *pieces;
  const int edits = 1 + static_cast<int>(gen() % 3);
  for (int k = 0; k < edits && !s.empty(); ++k) {
    const std::size_t at = gen() % s.size();
    switch (gen() % 7) {
      case 0: s[at] = static_cast<char>(s[at] ^ (1 << (gen() % 8))); break;  // a bit flipped
      case 1: s.resize(at); break;                                            // cut short
      case 2: s.insert(at, pieces[gen() % n_pieces]); break;
      case 3: {  // a field replaced by a piece
        const std::size_t end = s.find_first_of(",\n", at);
        s.replace(at, (end == std::string::npos ? s.size() : end) - at, pieces[gen() % n_pieces]);
        break;
      }
      case 4: {  // a line repeated
        const std::vector<std::string> lines = lines_of(s);
        const std::string& line = lines[gen() % lines.size()];
        const std::size_t start = s.rfind('\n', at);
        s.insert(start == std::string::npos ? 0 : start + 1, line + "\n");
        break;
      }
      case 5: s = delete_column(s, gen() % 5); break;
      default: {  // a whole line dropped
        const std::size_t begin = s.rfind('\n', at), end = s.find('\n', at);
        if (begin != std::string::npos && end != std::string::npos) s.erase(begin, end - begin);
        break;
      }
    }
  }
  return s;
}

// The result CSV: `levels` rows (0: any number), increasing levels in (0, 1), and every
// number finite but in the columns that are NA without the bootstrap.
void check_result(const std::string& path, std::size_t levels) {
  static const std::set<std::string> na_allowed = {"std.error", "conf.low", "conf.high",
                                                   "band.low", "band.high", "statistic",
                                                   "p_value", "p_value_uniform"};
  rddist::cli::CsvReader csv(path);
  const std::vector<std::string> header = csv.header();
  REQUIRE(header.size() >= 15);
  CHECK(header[0] == "quantile");
  std::size_t rows = 0;
  double last = 0.0;
  while (csv.next()) {
    ++rows;
    REQUIRE(csv.size() == header.size());
    for (std::size_t k = 0; k < header.size(); ++k) {
      double v = 0.0;
      const auto st = rddist::cli::parse_number(csv.field(k), v);
      INFO("row " << rows << ", column " << header[k] << ": '" << csv.field(k) << "'");
      if (na_allowed.count(header[k]) && st == rddist::cli::NumberStatus::missing) continue;
      REQUIRE(st == rddist::cli::NumberStatus::ok);
      CHECK(std::isfinite(v));
      if (k == 0) {
        CHECK((v > last && v < 1.0));
        last = v;
      }
    }
  }
  if (levels > 0) CHECK(rows == levels);
  CHECK(rows > 0);
}

// Runs `trials` mutations of `base` through estimate with `options`; counts outcomes.
void fuzz(const std::string& base, const std::vector<std::string>& options, std::size_t levels,
          std::uint64_t seed, int trials) {
  std::mt19937_64 gen(seed);
  int ok = 0, refused = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const std::string content = trial % 10 == 0 ? base : mutate(base, gen);
    TempFile input(content), out("");
    std::vector<std::string> args{RDDIST_CLI_BINARY, "estimate", input.path(), "--out",
                                  out.path(), "--quiet", "--threads", "1"};
    args.insert(args.end(), options.begin(), options.end());
    if (trial % 3 == 1) args.insert(args.end(), {"--boot", "49", "--seed", "1"});
    else args.insert(args.end(), {"--boot", "0"});
    const int status = run_binary(args);
    INFO("seed " << seed << ", trial " << trial << ", input:\n" << content);
    if (documented_exit_code(status) != 0) {
      ++refused;
      continue;
    }
    ++ok;
    check_result(out.path(), levels);
  }
  CHECK(ok > trials / 10);  // the unmutated file and many mutations are valid
  CHECK(refused > trials / 10);
}

}  // namespace

TEST_CASE("damaged long files through rddist estimate end with a documented exit code and "
          "complete, finite output on success", "[fuzz][estimate]") {
  fuzz(long_file(), {"--bandwidth", "0.8", "--quantiles", "0.25,0.5,0.75"}, 3, 2026, 300);
}

TEST_CASE("damaged quantile files through rddist estimate end with a documented exit code "
          "and complete, finite output on success", "[fuzz][estimate]") {
  fuzz(quantile_file(), {"--format", "quantiles", "--id", "unit", "--bandwidth", "0.8"}, 0, 2027,
       300);
}
