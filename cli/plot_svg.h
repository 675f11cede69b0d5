// plot_svg.h — a self-contained SVG figure of the estimated effect τ(q).
//
// Drawn by hand (no plotting library): the uniform band as a light ribbon, pointwise
// confidence intervals as a darker ribbon inside it, τ̂(q) as a line with points, a
// dashed zero line, axes with "nice" ticks (steps of 1, 2 or 5 × 10^k), axis labels, a
// title, a subtitle and a small legend. Ribbons are drawn only when they are available
// (the bootstrap has run). Non-finite values break the line instead of breaking the file.
#ifndef RDDIST_CLI_PLOT_SVG_H
#define RDDIST_CLI_PLOT_SVG_H

#include <string>

#include "rddist/arma.h"

namespace rddist::cli {

struct EffectPlot {
  arma::vec q, tau;
  arma::vec conf_low, conf_high;  // empty: no pointwise intervals
  arma::vec band_low, band_high;  // empty: no uniform band
  double level = 0.95;            // confidence level of intervals and band, for the legend
  std::string title = "Effect on the outcome distribution";
  std::string subtitle;
};

std::string render_effect_svg(const EffectPlot& plot);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_PLOT_SVG_H
