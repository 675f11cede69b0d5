// golden.h — reading the reference package's golden files in the C++ tests.
//
// The files live in tests/testthat/fixtures (RDDIST_FIXTURES_DIR at build time; see the
// README there):
// CSV with a header row, numbers or quoted strings. Comparisons use relative error;
// see max_rel_error for how exact zeros are treated.
#ifndef RDDIST_TESTS_GOLDEN_H
#define RDDIST_TESTS_GOLDEN_H

#include <map>
#include <string>
#include <vector>

#include "rddist/arma.h"

namespace golden {

struct Table {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cells;  // row-major, as read

  std::size_t rows() const { return cells.size(); }
  arma::vec col(const std::string& name) const;
  std::vector<std::string> text(const std::string& name) const;
  arma::mat matrix() const;  // every column, as numbers
};

std::string path(const std::string& file);
Table read(const std::string& file);

// max_i |a_i - b_i| / |b_i|, where a reference value b_i = 0 requires a_i = 0 exactly
// (counted as error 0 when equal and as infinity otherwise).
double max_rel_error(const arma::vec& actual, const arma::vec& expected);
double max_rel_error(const arma::mat& actual, const arma::mat& expected);

// Units of a long-format file grouped by the column `unit`, in order of first appearance:
// per unit its x, optional t and its draws.
struct LongData {
  std::vector<std::string> unit;
  arma::vec x, t;
  std::vector<std::vector<double>> draws;
};
LongData read_long(const std::string& file);

}  // namespace golden

#endif  // RDDIST_TESTS_GOLDEN_H
