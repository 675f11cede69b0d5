// summary.cpp — the text of `rddist estimate --summary` (see summary.h).
#include "summary.h"

#include <cmath>
#include <string>
#include <vector>

#include "numbers.h"

namespace rddist::cli {
namespace {

// A bootstrap p-value: as computed, or "<1/B" when no draw reached the statistic (the
// share of draws of compatibility mode).
std::string p_text(double p, arma::uword draws) {
  if (std::isnan(p)) return "NA";
  if (p == 0.0) return "<" + significant(1.0 / static_cast<double>(draws), 3);
  return significant(p, 3);
}

// Columns right-aligned to their widest cell.
std::string table_text(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      out += std::string(width[c] - row[c].size() + 1, ' ') + row[c];
    out += "\n";
  }
  return out;
}

std::string header_text(const AnalysisResult& res, const AnalysisRequest& req) {
  const Estimate& e = *res.estimate;
  std::string s = "Regression discontinuity with distribution-valued outcomes\n";
  s += "  " + std::string(e.options.fuzzy ? "fuzzy" : "sharp") + " design, method " +
       to_string(e.options.method) + ", p = " + std::to_string(e.options.p) + ", " +
       to_string(e.options.kernel) + " kernel, cutoff " + significant(e.options.cutoff, 6) + "\n";
  s += "  units: " + std::to_string(e.n) + " (" + std::to_string(e.plus.n_units) + " above and " +
       std::to_string(e.minus.n_units) + " below the cutoff within the bandwidth)\n";
  if (!std::isnan(req.units.true_cutoff))
    s += "  placebo: a false cutoff; the true one is " + significant(req.units.true_cutoff, 6) +
         " (the " + std::to_string(res.units.other_side) + " units beyond it left out)\n";
  if (res.units.donut > 0)
    s += "  donut: " + significant(req.units.donut) + " (" + std::to_string(res.units.donut) +
         " units dropped)\n";
  s += "  bandwidth: " + bandwidth_text(e.h_num, e.h_num_below);
  if (e.options.fuzzy)
    s += ";  treatment bandwidth: " +
         bandwidth_text(arma::vec{e.h_den}, arma::vec{e.h_den_below});
  if (res.outcome_selected)
    s += e.options.method == Method::frechet ? "  (IMSE-optimal)" : "  (MSE-optimal)";
  s += "\n";
  if (e.options.fuzzy) {
    s += "  first stage: jump in treatment probability " + significant(e.first_stage.jump);
    if (res.inference)
      s += " (se " + significant(res.inference->first_stage_se) + ", F = " +
           significant(res.inference->first_stage_f) + ")";
    s += "\n";
  }
  if (e.gamma.n_rows > 0)
    s += "  covariates: " + std::to_string(e.gamma.n_rows) + ", one coefficient vector for "
         "both sides (see the JSON report)\n";
  return s;
}

std::string levels_text(const Estimate& e, const BootstrapResult* inf) {
  const arma::uvec rows = summary_levels(e.q_grid);
  std::vector<std::vector<std::string>> t;
  if (inf) {
    const std::string lev = significant(100.0 * (1.0 - inf->alpha), 3);
    t.push_back({"q", "tau", "se", "ci_" + lev + "_low", "ci_" + lev + "_high", "band_low",
                 "band_high", "p_value", "p_uniform"});
  } else {
    t.push_back({"q", "tau", "m_plus", "m_minus"});
  }
  for (arma::uword j : rows) {
    if (inf)
      t.push_back({significant(e.q_grid[j]), significant(e.tau[j]), significant(inf->se[j]), significant(inf->conf_low[j]),
                   significant(inf->conf_high[j]), significant(inf->band_low[j]), significant(inf->band_high[j]),
                   significant(inf->p_value[j], 3), p_text(inf->p_value_uniform[j], inf->draws)});
    else
      t.push_back({significant(e.q_grid[j]), significant(e.tau[j]), significant(e.plus.curve[j]), significant(e.minus.curve[j])});
  }
  std::string s = "\n" + table_text(t);
  if (rows.n_elem < e.q_grid.n_elem)
    s += "(" + std::to_string(rows.n_elem) + " of " + std::to_string(e.q_grid.n_elem) +
         " levels shown; the result CSV has all of them)\n";
  return s;
}

// The tests' statistic in words.
std::string statistic_name(TestStatistic statistic) {
  switch (statistic) {
    case TestStatistic::cvm: return "Cramer-von Mises statistic";
    case TestStatistic::minp: return "min-p of the sup and Cramer-von Mises statistics";
    case TestStatistic::sup: break;
  }
  return "sup statistic";
}

std::string inference_text(const BootstrapResult& inf) {
  const std::string lev = significant(100.0 * (1.0 - inf.alpha), 3);
  std::string s = "\nUniform " + lev + "% band: tau +/- " + significant(inf.crit_val) +
                  (inf.band == BandType::studentized ? " x se (studentized)" : "") +
                  "  (multiplier bootstrap, B = " + std::to_string(inf.draws) + ")\n";
  if (inf.tests.empty()) return s;
  s += "Tests (" + statistic_name(inf.test_statistic) + "):\n";
  for (const TestResult& t : inf.tests) {
    std::string name = to_string(t.type);
    name.resize(std::max<std::size_t>(name.size(), 12), ' ');
    const bool min_p = inf.test_statistic == TestStatistic::minp && t.type != TestType::gini;
    s += "  " + name + " q in [" + significant(t.low) + ", " + significant(t.high) + "]: " +
         (min_p ? "min-p " : "statistic ") + significant(t.statistic) + ", p-value " +
         p_text(t.p_value, inf.draws) + "\n";
  }
  return s;
}

}  // namespace

std::string bandwidth_text(const arma::vec& above, const arma::vec& below) {
  auto one = [](const arma::vec& h) {
    if (arma::all(h == h[0])) return significant(h[0]);
    return significant(h.min()) + " to " + significant(h.max()) + " (one per level)";
  };
  if (arma::all(above == below)) return one(above);
  return one(above) + " above, " + one(below) + " below the cutoff";
}

arma::uvec summary_levels(const arma::vec& q) {
  std::vector<arma::uword> deciles;
  for (int k = 1; k <= 9; ++k)
    for (arma::uword j = 0; j < q.n_elem; ++j)
      if (std::fabs(q[j] - 0.1 * k) < 1e-10) deciles.push_back(j);
  if (deciles.size() == 9) return arma::uvec(deciles);
  if (q.n_elem <= 9) return arma::regspace<arma::uvec>(0, q.n_elem - 1);
  std::vector<arma::uword> spread;
  // 1-based positions 1 + k (M − 1)/8 rounded half to even, as R's print() picks them.
  const double step = static_cast<double>(q.n_elem - 1) / 8.0;
  for (int k = 0; k < 9; ++k) {
    const auto j = static_cast<arma::uword>(std::nearbyint(1.0 + k * step)) - 1;
    if (spread.empty() || spread.back() != j) spread.push_back(j);
  }
  return arma::uvec(spread);
}

std::string summary_text(const AnalysisResult& result, const AnalysisRequest& request) {
  const BootstrapResult* inf = result.inference ? &*result.inference : nullptr;
  std::string s = header_text(result, request) + levels_text(*result.estimate, inf);
  if (inf) s += inference_text(*inf);
  return s;
}

}  // namespace rddist::cli
