// estimate.h — the R3D estimator for sharp and fuzzy designs (paper §2.5, Defs. 1–2).
//
// Input: for each unit its running variable x_i, optionally its treatment T_i, and its
// empirical quantile function on the grid q_1 < ... < q_M (see quantiles.h).
// For each side the intercepts m̂±(q) of one-sided local polynomial fits are made monotone
// in q — isotonic projection for "frechet", rearrangement for "simple" — and
//   sharp:  τ̂(q) = m̂₊(q) - m̂₋(q)
//   fuzzy:  τ̂(q) = (m̂₊(q) - m̂₋(q)) / (m̂₊,T - m̂₋,T),
// the denominator being the jump of local polynomial fits of T at the treatment bandwidth.
// Each side may have its own bandwidth. With covariates, each level's fits share one
// coefficient vector across the sides and work on the adjusted responses (covariates.h);
// the first stage is adjusted the same way. Bandwidths are given here; bandwidth.h
// selects them.
#ifndef RDDIST_R3D_ESTIMATE_H
#define RDDIST_R3D_ESTIMATE_H

#include <limits>
#include <vector>

#include "rddist/arma.h"
#include "rddist/hooks.h"
#include "rddist/r3d/local_poly.h"
#include "rddist/r3d/options.h"
#include "rddist/r3d/sample.h"

namespace rddist {

struct EstimateOptions {
  double cutoff = 0.0;
  Method method = Method::frechet;
  int p = 2;
  Kernel kernel = Kernel::triangular;
  Compat compat = Compat::paper;
  bool fuzzy = false;
};

struct Bandwidths {
  static constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
  arma::vec num;        // outcome bandwidth: one value, or one per quantile ("simple" only);
                        // above the cutoff, and below it too unless num_below is given
  double den = NaN;     // treatment bandwidth (fuzzy); below too unless den_below is given
  arma::vec num_below;  // the outcome bandwidth(s) below the cutoff; empty: num
  double den_below = NaN;  // the treatment bandwidth below the cutoff; NaN: den
};

// One side's fits and curves.
struct SideEstimate {
  std::vector<LocalPolyFit> fits;  // one fit per distinct bandwidth; units index the input
  arma::uvec fit_of_level;         // index into fits for each quantile level
  arma::mat coef;                  // (p+1) × M coefficients on x/h
  arma::mat weights;               // intercept weights: n × 1 (one bandwidth) or n × M
  arma::vec intercept;             // raw intercepts m̂(q_j) before monotonization
  arma::vec curve;                 // monotonized curve (the side's quantile function)
  arma::uword n_units = 0;         // units with positive kernel weight at some level
};

struct FirstStage {
  LocalPolyFit plus, minus;  // fits of T at the treatment bandwidth (order p)
  double jump = 0.0;         // m̂₊,T - m̂₋,T
};

struct Estimate {
  EstimateOptions options;
  arma::vec q_grid;
  arma::vec h_num;                 // outcome bandwidth per level above the cutoff (length M)
  arma::vec h_num_below;           // and below it
  double h_den = std::numeric_limits<double>::quiet_NaN();        // treatment, above
  double h_den_below = std::numeric_limits<double>::quiet_NaN();  // treatment, below
  bool common_bandwidth = true;    // all levels share one outcome bandwidth on each side
  bool two_sided = false;          // a side's bandwidth differs from the other's
  arma::mat gamma;                 // d × M covariate coefficients (empty without covariates)
  arma::vec gamma_treatment;       // d coefficients of the first stage (fuzzy)
  arma::rowvec covariate_centre;   // the covariates' sample means Z̄ (covariates.h)
  SideEstimate plus, minus;
  FirstStage first_stage;          // meaningful when options.fuzzy
  arma::vec tau;                   // the estimated effect τ̂(q_j)
  arma::uword n = 0;               // number of units
  arma::uvec order;                // canonical order: position k holds input unit order[k]
};

// Checks the options alone (the order p, a finite cutoff); argument_error otherwise.
void check_estimate_options(const EstimateOptions& options);

// Checks the sample against the options: check_sample(), check_cutoff() and the options.
void check_estimate_data(const RdData& data, const EstimateOptions& options);

// Checks given bandwidths against the options and grid; argument_error otherwise.
void check_bandwidths(const Bandwidths& bw, const EstimateOptions& options, arma::uword n_levels);

// The outcome bandwidths of one side expanded to one per level (after check_bandwidths).
arma::vec expand_bandwidths(const Bandwidths& bw, arma::uword n_levels, Side side = Side::above);

// Estimates τ̂. Units are processed in canonical order (unit_order.h), so the result does
// not depend on the order of the input; all per-unit outputs refer to input positions.
Estimate estimate_r3d(const RdData& data, const Bandwidths& bandwidths,
                      const EstimateOptions& options, const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_ESTIMATE_H
