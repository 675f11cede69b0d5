// golden.cpp — minimal CSV reading for the golden files (quoted strings, numbers, NA).
#include "golden.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#ifndef RDDIST_FIXTURES_DIR
#error "RDDIST_FIXTURES_DIR must point to tests/testthat/fixtures"
#endif

namespace golden {
namespace {

std::vector<std::string> split_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') quoted = !quoted;
    else if (ch == ',' && !quoted) {
      out.push_back(cell);
      cell.clear();
    } else if (ch != '\r') cell.push_back(ch);
  }
  out.push_back(cell);
  return out;
}

double to_number(const std::string& s) {
  if (s == "NA" || s.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::stod(s);
}

}  // namespace

std::string path(const std::string& file) { return std::string(RDDIST_FIXTURES_DIR) + "/" + file; }

Table read(const std::string& file) {
  std::ifstream in(path(file));
  if (!in) throw std::runtime_error("cannot open golden file " + path(file));
  Table t;
  std::string line;
  std::getline(in, line);
  t.names = split_line(line);
  while (std::getline(in, line))
    if (!line.empty() && line != "\r") t.cells.push_back(split_line(line));
  return t;
}

arma::vec Table::col(const std::string& name) const {
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == name) {
      arma::vec v(rows());
      for (std::size_t i = 0; i < rows(); ++i) v[i] = to_number(cells[i][j]);
      return v;
    }
  throw std::runtime_error("golden table has no column " + name);
}

std::vector<std::string> Table::text(const std::string& name) const {
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == name) {
      std::vector<std::string> v;
      for (const auto& row : cells) v.push_back(row[j]);
      return v;
    }
  throw std::runtime_error("golden table has no column " + name);
}

arma::mat Table::matrix() const {
  arma::mat m(rows(), names.size());
  for (std::size_t i = 0; i < rows(); ++i)
    for (std::size_t j = 0; j < names.size(); ++j) m(i, j) = to_number(cells[i][j]);
  return m;
}

double max_rel_error(const arma::vec& actual, const arma::vec& expected) {
  if (actual.n_elem != expected.n_elem) return std::numeric_limits<double>::infinity();
  double worst = 0.0;
  for (arma::uword i = 0; i < actual.n_elem; ++i) {
    const double a = actual[i], b = expected[i];
    double e;
    if (b == 0.0) e = (a == 0.0) ? 0.0 : std::numeric_limits<double>::infinity();
    else e = std::fabs(a - b) / std::fabs(b);
    if (!(e <= worst)) worst = e;  // NaN propagates as a failure
  }
  return worst;
}

double max_rel_error(const arma::mat& actual, const arma::mat& expected) {
  if (actual.n_rows != expected.n_rows || actual.n_cols != expected.n_cols)
    return std::numeric_limits<double>::infinity();
  return max_rel_error(arma::vec(arma::vectorise(actual)), arma::vec(arma::vectorise(expected)));
}

LongData read_long(const std::string& file) {
  const Table t = read(file);
  const auto units = t.text("unit");
  const arma::vec x = t.col("x"), y = t.col("y");
  bool has_t = false;
  for (const auto& n : t.names) has_t = has_t || n == "t";
  const arma::vec tt = has_t ? t.col("t") : arma::vec();
  LongData d;
  std::map<std::string, std::size_t> index;
  std::vector<double> xs, ts;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    auto it = index.find(units[r]);
    if (it == index.end()) {
      it = index.emplace(units[r], d.unit.size()).first;
      d.unit.push_back(units[r]);
      xs.push_back(x[r]);
      ts.push_back(has_t ? tt[r] : 0.0);
      d.draws.emplace_back();
    }
    d.draws[it->second].push_back(y[r]);
  }
  d.x = arma::vec(xs);
  if (has_t) d.t = arma::vec(ts);
  return d;
}

}  // namespace golden
