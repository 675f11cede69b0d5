// common.h — what the R glue files (src/r/*.cpp) share: hooks, the R spelling of the
// core's arguments, the translation of core errors, and readers of R arguments.
//
// The glue only converts: R objects in, core types through, R lists out. Core errors
// become R errors whose message starts with the R function the user called and names
// arguments as R spells them (rendered from the core's message template, error.h).
// Warnings are collected and returned to R, which emits them after the computation, so
// no R call ever interrupts the C++ stack.
#ifndef RDDIST_R_COMMON_H
#define RDDIST_R_COMMON_H

#include <RcppArmadillo.h>

#include <chrono>
#include <functional>
#include <iomanip>
#include <memory>
#include <string>
#include <vector>

#include <new>

#include "rddist/error.h"
#include "rddist/hooks.h"
#include "rddist/r3d/quantiles.h"

namespace rddist_r {

// The R argument holding the core's argument `id` (see spell_cpp in error.cpp for the
// ids), with `value` in R syntax when given.
std::string spell_r(const std::string& id, const std::string& value);

// Runs `body`; a core error becomes an R error "<where>: <message in R's words>", and
// memory running out one that says which sizes to lower.
template <typename Body>
auto translate_errors(const std::string& where, Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const rddist::error& e) {
    throw Rcpp::exception((where + ": " + rddist::render(e.text(), spell_r)).c_str(), false);
  } catch (const std::bad_alloc&) {
    throw Rcpp::exception((where + ": out of memory: the sizes asked for (units, quantile "
                           "levels, bootstrap draws B; for ddp_solve the horizon, atoms or "
                           "stock points) need more memory than this machine has; lower them")
                              .c_str(),
                          false);
  }
}

// Forwards the core's progress reports to the R function `report(stage, fraction)`
// (R/progress.R), at most once per percent of a stage, and always at its start and end.
inline std::function<void(const std::string&, double)> r_progress(SEXP report) {
  if (Rf_isNull(report) || !Rf_isFunction(report)) return nullptr;
  auto stage_now = std::make_shared<std::string>();
  auto last = std::make_shared<double>(-1.0);
  const Rcpp::Function f(report);
  return [f, stage_now, last](const std::string& stage, double fraction) {
    const bool fresh = stage != *stage_now;
    if (!fresh && fraction < 1.0 && fraction - *last < 0.01) return;
    *stage_now = stage;
    *last = fraction;
    f(stage, fraction);
  };
}

// Hooks that collect warnings into `sink`, check for user interrupts (an interrupt
// unwinds the C++ stack as an exception and becomes an R interrupt at the glue's
// boundary), send progress to the R function `report` when one is given (a progress bar,
// R/progress.R) and, when verbose, print one line on the R console as each stage
// finishes, with the time since the hooks were made. Silent otherwise. The core calls the
// hooks from the calling (R) thread only.
inline rddist::Hooks r_hooks(std::vector<std::string>* sink, bool verbose,
                             SEXP report = R_NilValue) {
  rddist::Hooks hooks;
  hooks.warning = [sink](const std::string& m) { sink->push_back(rddist::render(m, spell_r)); };
  hooks.check_interrupt = [] { Rcpp::checkUserInterrupt(); };
  auto bar = r_progress(report);
  if (verbose) {
    const auto start = std::chrono::steady_clock::now();
    auto last = std::make_shared<std::string>();  // a stage reported done twice prints once
    hooks.progress = [start, last, bar](const std::string& stage, double fraction) {
      if (bar) bar(stage, fraction);
      if (fraction < 1.0 || stage == *last) return;
      *last = stage;
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      Rcpp::Rcout << "rddist: " << stage << " done (" << std::fixed << std::setprecision(2)
                  << elapsed.count() << " s)" << std::endl;
    };
  } else if (bar) {
    hooks.progress = bar;
  }
  return hooks;
}

// Readers of the elements of an argument list. A missing or NULL element gives the
// fallback (the core's default); an element of the wrong type is an argument_error
// naming the core's argument `id`.
bool has(const Rcpp::List& args, const char* name);
double number(const Rcpp::List& args, const char* name, const char* id, double fallback);
int whole_number(const Rcpp::List& args, const char* name, const char* id, int fallback);
bool flag(const Rcpp::List& args, const char* name, const char* id, bool fallback);
std::string text(const Rcpp::List& args, const char* name, const char* id,
                 const std::string& fallback);
arma::vec numbers(const Rcpp::List& args, const char* name, const char* id);

// Views of the units' draws in an R list of numeric vectors (and optional list of draw
// weights). Integer vectors are converted into `storage`, which must outlive the views.
std::vector<rddist::UnitSample> unit_samples(const Rcpp::List& draws,
                                             const Rcpp::Nullable<Rcpp::List>& weights,
                                             std::vector<std::vector<double>>* storage);

inline Rcpp::CharacterVector as_character(const std::vector<std::string>& v) {
  return Rcpp::CharacterVector(v.begin(), v.end());
}

inline Rcpp::NumericVector as_numeric(const arma::vec& v) {
  return Rcpp::NumericVector(v.begin(), v.end());
}

}  // namespace rddist_r

#endif  // RDDIST_R_COMMON_H
