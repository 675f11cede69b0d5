// results.h — the core's results as R lists (selection, estimate, bootstrap).
#ifndef RDDIST_R_RESULTS_H
#define RDDIST_R_RESULTS_H

#include "common.h"
#include "rddist/r3d/analysis.h"

namespace rddist_r {

Rcpp::List selection_to_list(const rddist::BandwidthSelection& b);
Rcpp::List estimate_to_list(const rddist::Estimate& e);
Rcpp::List inference_to_list(const rddist::BootstrapResult& r, bool keep_draws);

}  // namespace rddist_r

#endif  // RDDIST_R_RESULTS_H
