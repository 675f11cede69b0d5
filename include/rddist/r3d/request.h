// request.h — one whole R3D analysis as a front end asks for it: the units, the estimator's
// options, which bandwidths are given and how the others are selected, and the inference.
//
// Every default is written here (or in the option structs this header gathers), and
// check_request() checks every option before any data is read, so that the R package, the
// command-line tool and C++ callers accept, refuse and default the same things. Errors name
// the argument by its id (error.h), which each front end spells in its own words.
#ifndef RDDIST_R3D_REQUEST_H
#define RDDIST_R3D_REQUEST_H

#include <limits>

#include "rddist/arma.h"
#include "rddist/r3d/bandwidth.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/sample.h"
#include "rddist/r3d/unit_selection.h"

namespace rddist {

// The bandwidths given by the caller; what is not given is selected with `selection`
// (whose `estimate` and `threads` fields are taken from the request).
// A side's bandwidth given alone (outcome_below, treatment_below) applies below the
// cutoff while the other applies above; given alone, outcome (treatment) applies to both.
struct BandwidthRequest {
  static constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
  arma::vec outcome;        // one value, or one per level ("simple"); empty: selected
  double treatment = NaN;   // fuzzy; NaN: selected
  arma::vec outcome_below;  // the outcome bandwidth below the cutoff; empty: as outcome
  double treatment_below = NaN;
  BandwidthOptions selection;  // rule, s, coverage, regularization
};

// How far the analysis goes.
enum class Stage { bandwidths, estimate, inference };

struct AnalysisRequest {
  RdData data;                 // the units (front ends without a grid use default_q_grid())
  UnitSelection units;         // donut, placebo (applied before anything else)
  EstimateOptions estimate;
  BandwidthRequest bandwidth;
  BootstrapOptions inference;  // its `threads` field is taken from the request
  Stage last_stage = Stage::inference;
  unsigned threads = 1;        // per-unit work, the selector's two sides, multipliers
};

// Checks every option and data.q_grid, without looking at the units (x, quantiles,
// treatment), so that a front end can call it before reading any data; throws
// argument_error naming the first bad argument.
void check_request(const AnalysisRequest& request);

}  // namespace rddist

#endif  // RDDIST_R3D_REQUEST_H
