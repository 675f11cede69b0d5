// arguments.cpp — the command line's spelling of the core's arguments (see arguments.h).
#include "arguments.h"

#include <map>

#include "rddist/error.h"

namespace rddist::cli {

std::string spell_cli(const std::string& id, const std::string& value) {
  static const std::map<std::string, std::string> option = {
      {"x", "--x"},
      {"quantiles", "the quantile columns"},
      {"treatment", "--treatment"},
      {"q_grid", "--quantiles"},
      {"unit_weights", "--unit-weight"},
      {"cutoff", "--cutoff"},
      {"method", "--method"},
      {"p", "--p"},
      {"kernel", "--kernel"},
      {"compat", "--compat"},
      {"fuzzy", "--treatment"},
      {"quantile_type", "--quantile-type"},
      {"bandwidth", "--bandwidth"},
      {"bandwidth_treatment", "--bandwidth-treatment"},
      {"bandwidth_below", "--bandwidth-minus"},
      {"bandwidth_treatment_below", "--bandwidth-treatment-minus"},
      {"bandwidth_rule", "--bwselect"},
      {"covariates", "--covs"},
      {"donut", "--donut"},
      {"placebo", "--placebo"},
      {"s", "--s"},
      {"coverage", "--coverage"},
      {"regularization", "the regularization"},
      {"boot", "--boot"},
      {"draws", "--boot"},
      {"alpha", "--alpha"},
      {"seed", "--seed"},
      {"sampler", "--sampler"},
      {"vce", "--vce"},
      {"multipliers", "the multipliers"},
      {"cluster", "--cluster"},
      {"tests", "--test"},
      {"test_ranges", "--test-range"},
      {"functionals", "--functional"},
      {"keep_draws", "the kept draws"},
      {"threads", "--threads"},
      {"band_type", "--band-type"},
      {"test_statistic", "--test-statistic"},
      {"sql_dialect", "--dialect"},
      {"drop_missing", "--drop-missing"},
      {"dgp", "--dgp"},
      {"units", "--n"},
      {"unit_draws", "--draws"},
      {"delta", "--delta"},
      {"delta_lambda", "--delta-lambda"},
      {"representation", "--representation"},
      {"atoms", "--atoms"},
      {"stock", "--stock"},
      {"stock_grid", "the stock grid (on the command line it spans the range of the return; "
                     "a --horizon allows exact stock enumeration)"},
      {"stock_points", "--stock-points"},
      {"max_iterations", "--max-iterations"},
      {"tolerance", "--tolerance"},
      {"law_tolerance", "the law tolerance (automatic on the command line)"},
      {"force", "--force"},
      {"start_state", "--start-state"},
      {"max_nodes", "the node limit of exact enumeration (fixed on the command line; use "
                    "--stock grid)"},
      {"max_candidates", "the candidate limit of the search (fixed on the command line)"},
      {"evaluation", "--evaluation"},
      {"episodes", "--episodes"},
  };
  if (id == "unit") return "unit " + value;  // analyse() names units by key (name_units)
  const auto it = option.find(id);
  if (it == option.end()) return "";
  return value.empty() ? it->second : it->second + " " + value;
}

std::string cli_message(const std::string& text) { return render(text, spell_cli); }

}  // namespace rddist::cli
