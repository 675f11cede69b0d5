// unit_order.h — the canonical order of units.
//
// Results must not depend on the order in which units (or the rows of a long file)
// arrive: not in the last bit, and not through the bootstrap's random multipliers. The
// core therefore works on units sorted canonically — by running variable, then treatment,
// then the quantile row (lexicographically), then the unit weight, then the covariates —
// an order defined by the data alone. Sorting by x also makes every bandwidth window a
// contiguous block of rows, which the local polynomial fits exploit. Units equal in all of these are
// interchangeable, so their relative order cannot matter.
#ifndef RDDIST_R3D_UNIT_ORDER_H
#define RDDIST_R3D_UNIT_ORDER_H

#include "rddist/arma.h"
#include "rddist/r3d/sample.h"

namespace rddist {

// Permutation putting the units in canonical order: data.x(order) is non-decreasing.
arma::uvec canonical_order(const RdData& data);

// True when the units already are in canonical order (then order = 0, 1, ..., n-1).
bool is_canonical(const RdData& data);

// The units rearranged as unit k of the result = unit order[k] of data.
RdData permute_units(const RdData& data, const arma::uvec& order);

// Puts the units of `data` in canonical order in place, with memory of one column rather
// than a second copy of the quantile matrix (for front ends holding large data). Returns
// the order applied: unit k afterwards was unit order[k] before.
arma::uvec make_canonical(RdData& data);

}  // namespace rddist

#endif  // RDDIST_R3D_UNIT_ORDER_H
