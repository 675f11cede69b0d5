// Tests of the SVG figure: self-contained, ribbons only when available, robust to NaN.
#include <catch2/catch.hpp>

#include <string>

#include "plot_svg.h"

using rddist::cli::EffectPlot;
using rddist::cli::render_effect_svg;

namespace {
std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}
// Nine levels with both ribbons around a rising effect.
EffectPlot banded_plot() {
  EffectPlot p;
  p.q = arma::linspace(0.1, 0.9, 9);
  p.tau = arma::linspace(-0.5, 1.5, 9);
  p.conf_low = p.tau - 0.2;
  p.conf_high = p.tau + 0.2;
  p.band_low = p.tau - 0.4;
  p.band_high = p.tau + 0.4;
  return p;
}
}  // namespace

TEST_CASE("the figure has the line, both ribbons, a zero line and labelled axes", "[plot]") {
  EffectPlot p = banded_plot();
  p.subtitle = "a < b & c";
  const std::string svg = render_effect_svg(p);
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(svg.find("</svg>\n") == svg.size() - 7);
  CHECK(count(svg, "<polygon") == 2);
  CHECK(count(svg, "<polyline") == 1);
  CHECK(count(svg, "stroke-dasharray") == 1);  // the zero line
  CHECK(count(svg, "<circle") == 9);
  CHECK(svg.find("a &lt; b &amp; c") != std::string::npos);
  CHECK(svg.find("95% uniform band") != std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(count(svg, "<g") == count(svg, "</g>"));
}

TEST_CASE("without the bootstrap only the estimate is drawn; NaN breaks the line", "[plot]") {
  EffectPlot p;
  p.q = arma::vec{0.25, 0.5, 0.75};
  p.tau = arma::vec{1.0, arma::datum::nan, 2.0};
  const std::string svg = render_effect_svg(p);
  CHECK(count(svg, "<polygon") == 0);
  CHECK(count(svg, "<polyline") == 2);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("uniform band") == std::string::npos);
  EffectPlot flat;  // constant effect: the axis range must still be positive
  flat.q = arma::vec{0.5};
  flat.tau = arma::vec{0.0};
  CHECK(render_effect_svg(flat).find("nan") == std::string::npos);
}

TEST_CASE("the legend lies below the plot area, never over the bands", "[plot]") {
  EffectPlot p = banded_plot();
  const std::string svg = render_effect_svg(p);
  // The lowest point of the plot area is the x axis (its tick marks end 5 px below).
  const std::size_t label = svg.find(">95% uniform band<");
  REQUIRE(label != std::string::npos);
  const std::size_t y_at = svg.rfind(" y=\"", label);
  const double legend_y = std::stod(svg.substr(y_at + 4));
  const std::size_t axis = svg.find(">quantile level q<");
  const double axis_title_y = std::stod(svg.substr(svg.rfind(" y=\"", axis) + 4));
  CHECK(legend_y > axis_title_y);  // under the axis title, which is under the plot area
  const double height = std::stod(svg.substr(svg.find("height=\"") + 8));
  CHECK(legend_y < height);
}
