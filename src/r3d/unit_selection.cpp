// unit_selection.cpp — donut, placebo sides and mass points (see unit_selection.h).
#include "rddist/r3d/unit_selection.h"

#include <cmath>

#include "rddist/error.h"

namespace rddist {
namespace {

// Share of the units of a side that repeat a value another unit of the side has, at or
// above which the side is reported as having mass points (rdrobust's threshold).
constexpr double kMassPointShare = 0.2;

}  // namespace

void check_unit_selection(const UnitSelection& s, double cutoff) {
  require(std::isfinite(s.donut) && s.donut >= 0.0, "donut",
          "{donut} must be a non-negative number, got ", s.donut);
  if (std::isnan(s.true_cutoff)) return;
  require(std::isfinite(s.true_cutoff), "placebo", "the true cutoff must be a finite number");
  require(cutoff != s.true_cutoff, "placebo", "a placebo cutoff must differ from the true cutoff ",
          s.true_cutoff);
}

SelectedUnits select_units(const RdData& data, double cutoff, const UnitSelection& s) {
  check_unit_selection(s, cutoff);
  const arma::uword n = data.x.n_elem;
  const bool placebo = !std::isnan(s.true_cutoff);
  const bool above_true = placebo && cutoff > s.true_cutoff;
  SelectedUnits out;
  std::vector<arma::uword> kept;
  kept.reserve(n);
  for (arma::uword i = 0; i < n; ++i) {
    const double x = data.x[i];
    if (placebo && (above_true ? x < s.true_cutoff : x >= s.true_cutoff)) {
      ++out.other_side;
    } else if (std::fabs(x - cutoff) < s.donut) {
      ++out.donut;
    } else {
      kept.push_back(i);
    }
  }
  out.kept = arma::uvec(kept);
  const arma::vec x = data.x.elem(out.kept);
  const arma::uword above = arma::accu(x >= cutoff);
  if (placebo)
    require_data(above > 0 && above < x.n_elem, "the placebo cutoff ", cutoff, " leaves ",
                 above, " unit(s) above and ", x.n_elem - above, " below it among the ",
                 x.n_elem, " units on its side of the true cutoff ", s.true_cutoff,
                 "; choose a cutoff inside that side's range");
  if (out.donut > 0)
    require_data(above > 0 && above < x.n_elem, "the donut {donut} = ", s.donut, " drops ",
                 out.donut, " unit(s) and leaves ", above, " above and ", x.n_elem - above,
                 " below the cutoff; use a smaller {donut}");
  return out;
}

std::optional<std::string> mass_points(const arma::vec& x, double cutoff) {
  std::string found;
  for (const bool above : {false, true}) {
    const arma::vec side = above ? arma::vec(x.elem(arma::find(x >= cutoff)))
                                 : arma::vec(x.elem(arma::find(x < cutoff)));
    if (side.n_elem < 2) continue;
    const arma::uword distinct = arma::vec(arma::unique(side)).n_elem;
    const double repeated = 1.0 - static_cast<double>(distinct) / side.n_elem;
    if (repeated < kMassPointShare) continue;
    if (!found.empty()) found += "; ";
    found += detail::concat(side.n_elem, " units ", above ? "above" : "below",
                            " the cutoff share ", distinct, " distinct values");
  }
  if (found.empty()) return std::nullopt;
  return "mass points in the running variable: " + found +
         ". The fits see only the distinct values, so the effective sample is smaller than "
         "the number of units; minimums are counted in distinct values, and clustering the "
         "bootstrap by the value of the running variable ({cluster}) is the cautious choice";
}

}  // namespace rddist
