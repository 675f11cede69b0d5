// unit_selection.h — which units enter an analysis: a donut around the cutoff, the units
// of one side for a placebo cutoff, and the check for mass points of the running variable.
//
// Donut (Barreca, Guldi, Lindo and Waddell 2011): units with |x − c| < d are dropped,
// for designs where units close to the cutoff may have sorted themselves across it.
// Placebo cutoffs: an analysis at a false cutoff c' uses only the units on c''s side of
// the true cutoff c, so that the true discontinuity cannot leak into it; a non-zero
// effect there questions the design.
// Mass points: a running variable with many repeated values (test scores, ages in
// years, vote counts) holds less information than the number of units suggests. As
// rdrobust does, a side on which at least 20% of the units repeat a value of another is
// reported, with the numbers; every minimum the estimator and the selector require is
// counted in distinct values, not in units.
#ifndef RDDIST_R3D_UNIT_SELECTION_H
#define RDDIST_R3D_UNIT_SELECTION_H

#include <limits>
#include <optional>
#include <string>

#include "rddist/arma.h"
#include "rddist/r3d/sample.h"

namespace rddist {

struct UnitSelection {
  double donut = 0.0;  // drop units with |x − cutoff| < donut (0: none)
  // Placebo analysis: the true cutoff (NaN: an ordinary analysis at the cutoff).
  double true_cutoff = std::numeric_limits<double>::quiet_NaN();
};

// Checks the donut and the placebo cutoff against `cutoff` (argument_error otherwise).
void check_unit_selection(const UnitSelection& selection, double cutoff);

struct SelectedUnits {
  arma::uvec kept;             // input positions of the units used, ascending
  arma::uword donut = 0;       // units dropped by the donut
  arma::uword other_side = 0;  // units dropped as lying across the true cutoff (placebo)
  bool all() const { return donut == 0 && other_side == 0; }
};

// The units of `data` an analysis at `cutoff` uses (data_error when none would remain on
// a side of the cutoff).
SelectedUnits select_units(const RdData& data, double cutoff, const UnitSelection& selection);

// A description of the mass points of the running variable when a side has them (see
// above), for a warning; nothing otherwise.
std::optional<std::string> mass_points(const arma::vec& x, double cutoff);

}  // namespace rddist

#endif  // RDDIST_R3D_UNIT_SELECTION_H
