// rcpp_common.h — conversions shared by the R glue files (rcpp_*.cpp).
//
// The glue only converts: R objects in, core types through, R lists out. Core
// exceptions become R errors via Rcpp's exception handling (the messages already name
// the function and say what to change); warnings are collected and returned to R, which
// emits them after the computation, so no R call ever interrupts the C++ stack.
#ifndef RDDIST_RCPP_COMMON_H
#define RDDIST_RCPP_COMMON_H

#include <RcppArmadillo.h>

#include <chrono>
#include <iomanip>
#include <memory>
#include <string>
#include <vector>

#include "rddist/r3d/estimate.h"
#include "rddist/hooks.h"
#include "rddist/r3d/quantiles.h"

namespace rddist_r {

// Hooks that collect warnings into `sink`, check for user interrupts (an interrupt
// unwinds the C++ stack as an exception and becomes an R interrupt at the glue's
// boundary) and, when verbose, print one line on the R console as each stage finishes,
// with the time since the hooks were made. Silent otherwise. The core calls the hooks
// from the calling (R) thread only.
inline rddist::Hooks r_hooks(std::vector<std::string>* sink, bool verbose) {
  rddist::Hooks hooks;
  hooks.warning = [sink](const std::string& m) { sink->push_back(m); };
  hooks.check_interrupt = [] { Rcpp::checkUserInterrupt(); };
  if (verbose) {
    const auto start = std::chrono::steady_clock::now();
    auto last = std::make_shared<std::string>();  // a stage reported done twice prints once
    hooks.progress = [start, last](const std::string& stage, double fraction) {
      if (fraction < 1.0 || stage == *last) return;
      *last = stage;
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      Rcpp::Rcout << "rddist: " << stage << " done (" << std::fixed << std::setprecision(2)
                  << elapsed.count() << " s)" << std::endl;
    };
  }
  return hooks;
}

// Views of the units' draws in an R list of numeric vectors (and optional list of draw
// weights). Integer vectors are converted into `storage`, which must outlive the views.
inline std::vector<rddist::UnitSample> unit_samples(const Rcpp::List& draws,
                                                    const Rcpp::Nullable<Rcpp::List>& weights,
                                                    std::vector<std::vector<double>>* storage) {
  const R_xlen_t n = draws.size();
  Rcpp::List w_list;
  const bool weighted = weights.isNotNull();
  if (weighted) {
    w_list = Rcpp::List(weights.get());
    if (w_list.size() != n)
      Rcpp::stop("r3d: weights has %d elements but Y_list has %d; give one weight vector per unit",
                 static_cast<int>(w_list.size()), static_cast<int>(n));
  }
  auto as_doubles = [storage](SEXP s, const char* what, R_xlen_t i) -> const double* {
    if (TYPEOF(s) == REALSXP) return REAL(s);
    if (TYPEOF(s) == INTSXP || TYPEOF(s) == LGLSXP) {
      storage->emplace_back(Rf_xlength(s));
      const int* v = TYPEOF(s) == INTSXP ? INTEGER(s) : LOGICAL(s);
      for (R_xlen_t k = 0; k < Rf_xlength(s); ++k)
        storage->back()[k] = v[k] == NA_INTEGER ? NA_REAL : static_cast<double>(v[k]);
      return storage->back().data();
    }
    Rcpp::stop("r3d: element %d of %s is not a numeric vector", static_cast<int>(i + 1), what);
  };
  storage->reserve(2 * static_cast<std::size_t>(n));
  std::vector<rddist::UnitSample> units(n);
  for (R_xlen_t i = 0; i < n; ++i) {
    SEXP y = draws[i];
    units[i].size = static_cast<std::size_t>(Rf_xlength(y));
    units[i].values = as_doubles(y, "Y_list", i);
    if (weighted) {
      SEXP w = w_list[i];
      if (Rf_xlength(w) != Rf_xlength(y))
        Rcpp::stop("r3d: unit %d has %d draws but %d weights", static_cast<int>(i + 1),
                   static_cast<int>(Rf_xlength(y)), static_cast<int>(Rf_xlength(w)));
      units[i].weights = as_doubles(w, "weights", i);
    }
  }
  return units;
}

// The core's view of the units: the quantile matrix is used in place (R's memory, which
// the core only reads), so a large matrix is never copied on the way in.
inline rddist::RdData rd_data(const arma::vec& x, const arma::mat& quantiles,
                              const arma::vec& q_grid,
                              const Rcpp::Nullable<Rcpp::NumericVector>& treatment) {
  // Aggregate initialisation from a prvalue constructs the member in place, keeping the
  // matrix an alias of R's memory (a move would copy it).
  return rddist::RdData{
      x, treatment.isNotNull() ? Rcpp::as<arma::vec>(treatment.get()) : arma::vec(),
      arma::mat(const_cast<double*>(quantiles.memptr()), quantiles.n_rows, quantiles.n_cols,
                false, true),
      q_grid, arma::vec()};
}

inline rddist::EstimateOptions estimate_options(double cutoff, const std::string& method, int p,
                                                const std::string& kernel,
                                                const std::string& compat, bool fuzzy) {
  rddist::EstimateOptions o;
  o.cutoff = cutoff;
  o.method = rddist::parse_method(method);
  o.p = p;
  o.kernel = rddist::parse_kernel(kernel);
  o.compat = rddist::parse_compat(compat);
  o.fuzzy = fuzzy;
  return o;
}

inline Rcpp::CharacterVector as_character(const std::vector<std::string>& v) {
  return Rcpp::CharacterVector(v.begin(), v.end());
}

}  // namespace rddist_r

#endif  // RDDIST_RCPP_COMMON_H
