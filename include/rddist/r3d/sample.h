// sample.h — the units of a regression-discontinuity sample with distribution-valued
// outcomes (paper §1).
//
// One row per unit i: its running variable x_i, optionally its treatment T_i (fuzzy
// designs), a weight and covariates Z_i, and its empirical quantile function Q̂_i
// evaluated on the grid q_1 < ... < q_M (see quantiles.h and grouping.h for how draws
// become such rows).
#ifndef RDDIST_R3D_SAMPLE_H
#define RDDIST_R3D_SAMPLE_H

#include <string>
#include <vector>

#include "rddist/arma.h"

namespace rddist {

struct RdData {
  arma::vec x;             // running variable (not centred)
  arma::vec treatment;     // treatment in [0, 1]; empty for a sharp design
  arma::mat quantiles;     // n × M empirical quantiles Q̂_i(q_j)
  arma::vec q_grid;        // M strictly increasing levels in (0, 1)
  arma::vec unit_weights;  // optional non-negative weights multiplying the kernel; may be empty
  arma::mat covariates;    // n × d unit-level covariates Z_i (covariates.h); d may be 0
  std::vector<std::string> covariate_names;  // their names in messages; may be empty
};

// The name of covariate k (0-based) in messages: "covariate 'age'", or "covariate 2".
std::string covariate_label(const RdData& data, arma::uword k);

// The default quantile grid: 0.01, 0.02, ..., 0.99.
arma::vec default_q_grid();

// A grid of strictly increasing levels in (0, 1); argument_error naming q_grid otherwise.
void check_q_grid(const arma::vec& q);

// Shapes and values of the sample: one finite x, quantile row (and treatment in [0, 1]
// when `fuzzy`, unit weight and covariate row when given) per unit, and a valid grid. Throws argument_error
// naming the offending argument and unit.
void check_sample(const RdData& data, bool fuzzy);

// Each unit's quantiles are non-decreasing in q (decreases within 1e-12 of the values'
// size are rounding): a row that decreases is not a quantile function (levels given in
// the wrong order, say). Checked by run_analysis() on the user's data; the lower-level
// fits also take covariate-adjusted responses, which need not be monotone.
// argument_error naming the unit and the two levels otherwise.
void check_quantile_rows(const RdData& data);

// The cutoff lies inside the data with units on both sides; data_error otherwise.
void check_cutoff(const RdData& data, double cutoff);

}  // namespace rddist

#endif  // RDDIST_R3D_SAMPLE_H
