// arguments.cpp — R's spelling of the core's arguments and the readers of R argument
// lists (see common.h).
#include <cmath>
#include <map>

#include "common.h"

namespace rddist_r {
namespace {

bool is_plain_number(const std::string& v) {
  if (v == "TRUE" || v == "FALSE" || v == "NULL") return true;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return !v.empty() && end == v.c_str() + v.size();
}

[[noreturn]] void wrong_type(const char* id, const char* what) {
  throw rddist::argument_error(id, std::string("{") + id + "} must be " + what);
}

}  // namespace

std::string spell_r(const std::string& id, const std::string& value) {
  static const std::map<std::string, std::string> name = {
      {"x", "X"},
      {"quantiles", "Y_list"},
      {"treatment", "T"},
      {"q_grid", "q_grid"},
      {"unit_weights", "unit_weights"},
      {"cutoff", "cutoff"},
      {"method", "method"},
      {"p", "p"},
      {"kernel", "kernel"},
      {"compat", "compat"},
      {"fuzzy", "fuzzy"},
      {"quantile_type", "quantile_type"},
      {"bandwidth", "bandwidths"},
      {"bandwidth_treatment", "bandwidths$den"},
      {"bandwidth_below", "bandwidths$minus"},
      {"bandwidth_treatment_below", "bandwidths$den$minus"},
      {"bandwidth_rule", "bwselect"},
      {"covariates", "covs"},
      {"donut", "donut"},
      {"placebo", "cutoffs"},
      {"s", "s"},
      {"coverage", "coverage"},
      {"regularization", "regularization"},
      {"boot", "boot"},
      {"draws", "B"},
      {"alpha", "alpha"},
      {"seed", "seed"},
      {"sampler", "sampler"},
      {"vce", "vce"},
      {"multipliers", "xi"},
      {"cluster", "cluster"},
      {"tests", "test"},
      {"test_ranges", "test_ranges"},
      {"functionals", "functionals"},
      {"keep_draws", "keep_draws"},
      {"threads", "threads"},
      {"band_type", "band_type"},
      {"test_statistic", "test_statistic"},
      {"sql_dialect", "dialect"},
      {"drop_missing", "na.rm = TRUE"},
      {"dgp", "dgp"},
      {"units", "n"},
      {"unit_draws", "draws"},
      {"delta", "delta"},
      {"delta_lambda", "delta_lambda"},
      {"representation", "representation"},
      {"atoms", "atoms"},
      {"stock", "stock"},
      {"stock_grid", "stock_grid"},
      {"stock_points", "stock_points"},
      {"max_iterations", "max_iterations"},
      {"tolerance", "tolerance"},
      {"law_tolerance", "law_tolerance"},
      {"force", "force = TRUE"},
      {"start_state", "start_state"},
      {"max_nodes", "max_nodes"},
      {"max_candidates", "the candidate limit of the search (fixed in ddp_solve())"},
      {"evaluation", "evaluation"},
      {"episodes", "episodes"},
  };
  if (id == "unit") return "unit " + value;  // element `value` of X (and of Y_list)
  const auto it = name.find(id);
  if (it == name.end()) return "";
  if (value.empty()) return it->second;
  return it->second + " = " + (is_plain_number(value) ? value : "\"" + value + "\"");
}

bool has(const Rcpp::List& args, const char* name) {
  return args.containsElementNamed(name) && !Rf_isNull(args[name]);
}

double number(const Rcpp::List& args, const char* name, const char* id, double fallback) {
  if (!has(args, name)) return fallback;
  SEXP v = args[name];
  if (!(Rf_isReal(v) || Rf_isInteger(v)) || Rf_xlength(v) != 1) wrong_type(id, "a single number");
  const double d = Rf_asReal(v);
  if (std::isnan(d)) wrong_type(id, "a number, not NA");
  return d;
}

int whole_number(const Rcpp::List& args, const char* name, const char* id, int fallback) {
  if (!has(args, name)) return fallback;
  const double d = number(args, name, id, fallback);
  if (!(std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 2147483647.0))
    wrong_type(id, "a whole number");
  return static_cast<int>(d);
}

bool flag(const Rcpp::List& args, const char* name, const char* id, bool fallback) {
  if (!has(args, name)) return fallback;
  SEXP v = args[name];
  if (!Rf_isLogical(v) || Rf_xlength(v) != 1 || LOGICAL(v)[0] == NA_LOGICAL)
    wrong_type(id, "TRUE or FALSE");
  return LOGICAL(v)[0] != 0;
}

std::string text(const Rcpp::List& args, const char* name, const char* id,
                 const std::string& fallback) {
  if (!has(args, name)) return fallback;
  SEXP v = args[name];
  if (!Rf_isString(v) || Rf_xlength(v) != 1 || STRING_ELT(v, 0) == NA_STRING)
    wrong_type(id, "a single character string");
  return Rcpp::as<std::string>(v);
}

arma::vec numbers(const Rcpp::List& args, const char* name, const char* id) {
  if (!has(args, name)) return arma::vec();
  SEXP v = args[name];
  if (!(Rf_isReal(v) || Rf_isInteger(v)) || Rf_isMatrix(v)) wrong_type(id, "a numeric vector");
  const Rcpp::NumericVector values(v);
  return arma::vec(values.begin(), values.size());
}

std::vector<rddist::UnitSample> unit_samples(const Rcpp::List& draws,
                                             const Rcpp::Nullable<Rcpp::List>& weights,
                                             std::vector<std::vector<double>>* storage) {
  const R_xlen_t n = draws.size();
  Rcpp::List w_list;
  const bool weighted = weights.isNotNull();
  if (weighted) {
    w_list = Rcpp::List(weights.get());
    rddist::require(w_list.size() == n, "quantiles", "weights has ", w_list.size(),
                    " elements but {quantiles} has ", n, "; give one weight vector per unit");
  }
  auto as_doubles = [storage](SEXP s, const char* what, R_xlen_t i) -> const double* {
    rddist::require(!Rf_isFactor(s), "quantiles", "element ", i + 1, " of ", what,
                    " is a factor; convert it to numbers first (as.numeric(as.character(.)))");
    if (TYPEOF(s) == REALSXP) return REAL(s);
    rddist::require(TYPEOF(s) == INTSXP || TYPEOF(s) == LGLSXP, "quantiles", "element ", i + 1,
                    " of ", what, " is not a numeric vector");
    storage->emplace_back(Rf_xlength(s));
    const int* v = TYPEOF(s) == INTSXP ? INTEGER(s) : LOGICAL(s);
    for (R_xlen_t k = 0; k < Rf_xlength(s); ++k)
      storage->back()[k] = v[k] == NA_INTEGER ? NA_REAL : static_cast<double>(v[k]);
    return storage->back().data();
  };
  storage->reserve(2 * static_cast<std::size_t>(n));
  std::vector<rddist::UnitSample> units(n);
  for (R_xlen_t i = 0; i < n; ++i) {
    SEXP y = draws[i];
    units[i].size = static_cast<std::size_t>(Rf_xlength(y));
    units[i].values = as_doubles(y, "Y_list", i);
    if (weighted) {
      SEXP w = w_list[i];
      rddist::require(Rf_xlength(w) == Rf_xlength(y), "quantiles", "unit ", i + 1, " has ",
                      Rf_xlength(y), " draws but ", Rf_xlength(w), " weights");
      units[i].weights = as_doubles(w, "weights", i);
    }
  }
  return units;
}

}  // namespace rddist_r
