// cli_check.cpp — checks on the files the end-to-end CLI tests produce.
//
//   cli_check csv ACTUAL EXPECTED RTOL col=golden_col ...
//       same number of rows; every listed column agrees to relative error RTOL
//       (|a - e| <= RTOL·|e|, or |a - e| <= RTOL when e = 0; NA must meet NA).
//   cli_check between FILE COLUMN LOW HIGH
//       every value of COLUMN lies in [LOW, HIGH].
//   cli_check json FILE key[.key...] ...
//       FILE is valid JSON and has every listed (nested) key.
// Prints what differs and exits 1 on failure, 0 on success.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "csv_reader.h"
#include "numbers.h"

using rddist::cli::CsvReader;

namespace {

using Columns = std::map<std::string, std::vector<std::string>>;

Columns read_columns(const std::string& path) {
  CsvReader csv(path);
  Columns c;
  for (const std::string& name : csv.header()) c[name];
  while (csv.next())
    for (std::size_t i = 0; i < csv.size(); ++i) c[csv.header()[i]].emplace_back(csv.field(i));
  return c;
}

bool number(const std::string& text, double& v) {
  return rddist::cli::parse_number(text, v) == rddist::cli::NumberStatus::ok;
}

int compare_csv(int argc, char** argv) {
  if (argc < 6) return std::fprintf(stderr, "usage: cli_check csv ACTUAL EXPECTED RTOL a=b ...\n"), 2;
  const Columns actual = read_columns(argv[2]), expected = read_columns(argv[3]);
  const double rtol = std::stod(argv[4]);
  int failures = 0;
  for (int k = 5; k < argc; ++k) {
    const std::string pair = argv[k];
    const std::size_t eq = pair.find('=');
    const std::string a = pair.substr(0, eq), e = eq == std::string::npos ? a : pair.substr(eq + 1);
    if (!actual.count(a) || !expected.count(e)) {
      std::fprintf(stderr, "missing column %s or %s\n", a.c_str(), e.c_str());
      ++failures;
      continue;
    }
    const auto& av = actual.at(a);
    const auto& ev = expected.at(e);
    if (av.size() != ev.size()) {
      std::fprintf(stderr, "column %s: %zu rows, expected %zu\n", a.c_str(), av.size(), ev.size());
      ++failures;
      continue;
    }
    double worst = 0.0;
    for (std::size_t i = 0; i < av.size(); ++i) {
      double x = 0, y = 0;
      const bool nx = !number(av[i], x), ny = !number(ev[i], y);
      if (nx || ny) {
        if (!(nx && ny && av[i] == ev[i])) {
          std::fprintf(stderr, "column %s row %zu: '%s' vs expected '%s'\n", a.c_str(), i + 1,
                       av[i].c_str(), ev[i].c_str());
          ++failures;
        }
        continue;
      }
      const double err = y == 0.0 ? std::fabs(x - y) : std::fabs(x - y) / std::fabs(y);
      worst = std::max(worst, err);
      if (!(err <= rtol)) {
        std::fprintf(stderr, "column %s row %zu: %.17g vs expected %.17g (relative error %.3g)\n",
                     a.c_str(), i + 1, x, y, err);
        ++failures;
      }
    }
    std::printf("%s vs %s: max relative error %.3g over %zu rows\n", a.c_str(), e.c_str(), worst,
                av.size());
  }
  return failures == 0 ? 0 : 1;
}

int between(int argc, char** argv) {
  if (argc != 6) return std::fprintf(stderr, "usage: cli_check between FILE COLUMN LOW HIGH\n"), 2;
  const Columns c = read_columns(argv[2]);
  if (!c.count(argv[3])) return std::fprintf(stderr, "no column %s\n", argv[3]), 1;
  const double lo = std::stod(argv[4]), hi = std::stod(argv[5]);
  int failures = 0;
  for (const std::string& text : c.at(argv[3])) {
    double v = 0;
    if (!number(text, v) || v < lo || v > hi) {
      std::fprintf(stderr, "%s: '%s' is not in [%g, %g]\n", argv[3], text.c_str(), lo, hi);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

int json_keys(int argc, char** argv) {
  std::ifstream in(argv[2]);
  if (!in) return std::fprintf(stderr, "cannot open %s\n", argv[2]), 1;
  nlohmann::json doc;
  try {
    in >> doc;
  } catch (const std::exception& e) {
    return std::fprintf(stderr, "%s is not valid JSON: %s\n", argv[2], e.what()), 1;
  }
  int failures = 0;
  for (int k = 3; k < argc; ++k) {
    const nlohmann::json* node = &doc;
    std::string path = argv[k];
    std::size_t start = 0;
    while (node != nullptr) {
      const std::size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      node = (node->is_object() && node->contains(key)) ? &(*node)[key] : nullptr;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (node == nullptr) {
      std::fprintf(stderr, "%s: no key %s\n", argv[2], argv[k]);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "csv") return compare_csv(argc, argv);
    if (mode == "between") return between(argc, argv);
    if (mode == "json" && argc >= 3) return json_keys(argc, argv);
    std::fprintf(stderr, "usage: cli_check csv|between|json ...\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cli_check: %s\n", e.what());
    return 1;
  }
}
