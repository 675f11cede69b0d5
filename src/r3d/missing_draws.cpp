// missing_draws.cpp — missing draws dropped from units given as samples (see
// missing_draws.h).
#include "rddist/r3d/missing_draws.h"

#include <cmath>

#include "rddist/error.h"

namespace rddist {
namespace {

bool missing(const UnitSample& s, std::size_t k) {
  return std::isnan(s.values[k]) || (s.weights != nullptr && std::isnan(s.weights[k]));
}

std::size_t missing_count(const UnitSample& s) {
  std::size_t count = 0;
  for (std::size_t k = 0; k < s.size; ++k) count += missing(s, k);
  return count;
}

// A unit's sample without its missing draws; the copies live in storage.
void keep_observed(UnitSample& s, std::deque<std::vector<double>>& storage) {
  std::vector<double>& values = storage.emplace_back();
  std::vector<double>* weights = s.weights ? &storage.emplace_back() : nullptr;
  for (std::size_t k = 0; k < s.size; ++k) {
    if (missing(s, k)) continue;
    values.push_back(s.values[k]);
    if (weights) weights->push_back(s.weights[k]);
  }
  s.values = values.data();
  s.weights = weights ? weights->data() : nullptr;
  s.size = values.size();
}

}  // namespace

DroppedDraws drop_missing_draws(std::vector<UnitSample>& units,
                                std::deque<std::vector<double>>& storage, const Hooks& hooks) {
  DroppedDraws dropped;
  std::vector<std::size_t> holding;  // the units with missing draws
  std::size_t empty = 0, first_empty = 0, first_empty_missing = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const std::size_t count = units[i].values ? missing_count(units[i]) : 0;
    if (count == 0) continue;
    holding.push_back(i);
    dropped.draws += count;
    if (count == units[i].size && empty++ == 0) {
      first_empty = i;
      first_empty_missing = count;
    }
  }
  require_data(empty == 0, "{unit=", first_empty + 1, "} has no draws left after {drop_missing} "
               "drops its ", first_empty_missing, " missing draw(s) (", empty,
               " such unit(s)); remove them");
  if (holding.empty()) return dropped;
  dropped.units = holding.size();
  for (std::size_t i : holding) keep_observed(units[i], storage);
  hooks.warn(detail::concat("dropped ", dropped.draws, " draw", dropped.draws == 1 ? "" : "s",
                            " with a missing value in ", dropped.units, " unit",
                            dropped.units == 1 ? "" : "s", " ({drop_missing}; first: unit ",
                            holding.front() + 1, ")"));
  return dropped;
}

}  // namespace rddist
