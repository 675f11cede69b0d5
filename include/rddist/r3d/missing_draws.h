// missing_draws.h — dropping missing draws from units given as samples (paper §1: each
// unit's empirical quantile function is formed from its observed draws).
//
// A draw is missing when its outcome or its weight is NaN (R's NA). Long data drop such
// rows while grouping (GroupingOptions::drop_missing); drop_missing_draws() is the same
// rule for units given one sample each, so that both inputs give the same units.
#ifndef RDDIST_R3D_MISSING_DRAWS_H
#define RDDIST_R3D_MISSING_DRAWS_H

#include <cstdint>
#include <deque>
#include <vector>

#include "rddist/hooks.h"
#include "rddist/r3d/quantiles.h"

namespace rddist {

struct DroppedDraws {
  std::uint64_t draws = 0;  // draws dropped
  std::uint64_t units = 0;  // units that lost at least one
};

// Points each unit holding missing draws at a copy of its other draws, kept in `storage`
// (which must outlive `units`). A unit left without draws is a data_error naming it; a
// warning through `hooks` reports what was dropped.
DroppedDraws drop_missing_draws(std::vector<UnitSample>& units,
                                std::deque<std::vector<double>>& storage, const Hooks& hooks);

}  // namespace rddist

#endif
