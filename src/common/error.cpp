// error.cpp — rendering of message templates and the C++ spelling of arguments (error.h).
#include "rddist/error.h"

#include <cctype>
#include <map>

namespace rddist {

std::string render(const std::string& text, const Spelling& spell) {
  std::string out;
  out.reserve(text.size());
  std::size_t k = 0;
  while (k < text.size()) {
    const std::size_t open = text.find('{', k);
    if (open == std::string::npos) break;
    out.append(text, k, open - k);
    // A token is {id} or {id=value}, id of lower-case letters, digits and '_'.
    std::size_t end = open + 1;
    while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) ||
                                 std::isdigit(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '_'))
      ++end;
    const std::string id = text.substr(open + 1, end - open - 1);
    std::string value;
    if (end < text.size() && text[end] == '=') {
      const std::size_t close = text.find('}', end);
      if (close != std::string::npos) {
        value = text.substr(end + 1, close - end - 1);
        end = close;
      }
    }
    std::string spelled;
    if (!id.empty() && end < text.size() && text[end] == '}') spelled = spell(id, value);
    if (spelled.empty()) {  // not a token: keep the text as written
      out.push_back('{');
      k = open + 1;
      continue;
    }
    out += spelled;
    k = end + 1;
  }
  if (k < text.size()) out.append(text, k, std::string::npos);
  return out;
}

std::string spell_cpp(const std::string& id, const std::string& value) {
  // The request fields of request.h (and the options of the DDP solver).
  static const std::map<std::string, std::string> field = {
      {"x", "data.x"},
      {"quantiles", "data.quantiles"},
      {"treatment", "data.treatment"},
      {"q_grid", "data.q_grid"},
      {"unit_weights", "data.unit_weights"},
      {"cutoff", "estimate.cutoff"},
      {"method", "estimate.method"},
      {"p", "estimate.p"},
      {"kernel", "estimate.kernel"},
      {"compat", "estimate.compat"},
      {"fuzzy", "estimate.fuzzy"},
      {"quantile_type", "the quantile type"},
      {"bandwidth", "bandwidth.outcome"},
      {"bandwidth_treatment", "bandwidth.treatment"},
      {"bandwidth_below", "bandwidth.outcome_below"},
      {"bandwidth_treatment_below", "bandwidth.treatment_below"},
      {"bandwidth_rule", "bandwidth.selection.rule"},
      {"covariates", "data.covariates"},
      {"donut", "donut"},
      {"placebo", "true_cutoff"},
      {"s", "bandwidth.selection.s"},
      {"coverage", "bandwidth.selection.coverage"},
      {"regularization", "bandwidth.selection.regularization"},
      {"boot", "bootstrap"},
      {"draws", "inference.draws"},
      {"alpha", "inference.alpha"},
      {"seed", "inference.seed"},
      {"sampler", "inference.sampler"},
      {"vce", "inference.vce"},
      {"multipliers", "inference.multipliers"},
      {"cluster", "inference.cluster"},
      {"tests", "inference.tests"},
      {"test_ranges", "inference.test_ranges"},
      {"functionals", "inference.functionals"},
      {"keep_draws", "inference.keep_draws"},
      {"threads", "threads"},
      {"band_type", "inference.band"},
      {"test_statistic", "inference.test_statistic"},
      {"sql_dialect", "dialect"},
      {"drop_missing", "drop_missing"},
      {"dgp", "SimulationOptions::dgp"},
      {"units", "SimulationOptions::units"},
      {"unit_draws", "SimulationOptions::draws"},
      {"delta", "SimulationOptions::delta"},
      {"delta_lambda", "SimulationOptions::delta_lambda"},
      {"representation", "SolveOptions::representation"},
      {"atoms", "SolveOptions::atoms"},
      {"stock", "SolveOptions::stock_mode"},
      {"stock_grid", "SolveOptions::stock_grid"},
      {"stock_points", "SolveOptions::stock_points"},
      {"max_iterations", "SolveOptions::max_iterations"},
      {"tolerance", "SolveOptions::tolerance"},
      {"law_tolerance", "SolveOptions::law_tolerance"},
      {"force", "SolveOptions::force"},
      {"start_state", "SolveOptions::start_state"},
      {"max_nodes", "SolveOptions::max_nodes"},
      {"max_candidates", "GoalOptions::max_candidates"},
      {"evaluation", "GoalOptions::evaluation"},
      {"episodes", "MonteCarloOptions::episodes"},
  };
  if (id == "unit") return "unit " + value;  // a unit by its position in the data
  const auto it = field.find(id);
  if (it == field.end()) return "";
  return value.empty() ? it->second : it->second + " = " + value;
}

}  // namespace rddist
