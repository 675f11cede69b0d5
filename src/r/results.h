// results.h — the core's results as R lists (selection, estimate, bootstrap).
#ifndef RDDIST_R_RESULTS_H
#define RDDIST_R_RESULTS_H

#include "common.h"
#include "rddist/r3d/analysis.h"

namespace rddist_r {

Rcpp::List selection_to_list(const rddist::BandwidthSelection& b);
// Per-unit outputs are scattered back to all n units of the request (zero for the units
// the selection left out).
Rcpp::List estimate_to_list(const rddist::Estimate& e, const rddist::SelectedUnits& units,
                            arma::uword n);
Rcpp::List inference_to_list(const rddist::BootstrapResult& r, bool keep_draws);

}  // namespace rddist_r

#endif  // RDDIST_R_RESULTS_H
