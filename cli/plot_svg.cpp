// plot_svg.cpp — drawing τ(q) with its intervals as SVG (see plot_svg.h).
//
// Data coordinates map linearly onto a fixed plot area; y limits cover the estimate,
// every interval and zero, widened by 5% so nothing touches the frame.
#include "plot_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace rddist::cli {
namespace {

constexpr double kWidth = 720, kHeight = 480;
// The bottom margin holds the tick labels, the axis title and, below them, the legend, so
// that the legend never covers the bands (as the R plots place theirs).
constexpr double kLeft = 78, kRight = 24, kTop = 62, kBottom = 88;

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", v);
  return text;
}

// Tick positions covering [lo, hi] with about `target` steps of 1, 2 or 5 × 10^k.
std::vector<double> nice_ticks(double lo, double hi, int target) {
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double unit = raw / mag;
  const double step = (unit < 1.5 ? 1.0 : unit < 3.5 ? 2.0 : unit < 7.5 ? 5.0 : 10.0) * mag;
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k += 1.0) {
    const double t = k * step;
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

std::string tick_label(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

void extend(double& lo, double& hi, const arma::vec& v) {
  for (double x : v)
    if (std::isfinite(x)) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
}

bool usable(const arma::vec& a, const arma::vec& b, arma::uword n) {
  return a.n_elem == n && b.n_elem == n && a.is_finite() && b.is_finite();
}

}  // namespace

std::string render_effect_svg(const EffectPlot& p) {
  const arma::uword n = p.q.n_elem;
  const bool band = usable(p.band_low, p.band_high, n);
  const bool ci = usable(p.conf_low, p.conf_high, n);

  double xlo = n ? p.q.min() : 0.0, xhi = n ? p.q.max() : 1.0;
  if (!(xhi > xlo)) {
    xlo -= 0.05;
    xhi += 0.05;
  }
  double ylo = 0.0, yhi = 0.0;
  extend(ylo, yhi, p.tau);
  if (band) {
    extend(ylo, yhi, p.band_low);
    extend(ylo, yhi, p.band_high);
  }
  if (ci) {
    extend(ylo, yhi, p.conf_low);
    extend(ylo, yhi, p.conf_high);
  }
  if (!(yhi > ylo)) {
    ylo -= 1.0;
    yhi += 1.0;
  }
  const double pad = 0.05 * (yhi - ylo);
  ylo -= pad;
  yhi += pad;

  const double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  auto X = [&](double q) { return kLeft + (q - xlo) / (xhi - xlo) * pw; };
  auto Y = [&](double v) { return kTop + (yhi - v) / (yhi - ylo) * ph; };

  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" +
       num(kHeight) + "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
       "\" font-family=\"Helvetica, Arial, sans-serif\">\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
       "\" fill=\"white\"/>\n";
  s += "<text x=\"" + num(kLeft) + "\" y=\"26\" font-size=\"17\" font-weight=\"bold\">" +
       escape(p.title) + "</text>\n";
  if (!p.subtitle.empty())
    s += "<text x=\"" + num(kLeft) + "\" y=\"46\" font-size=\"12\" fill=\"#555555\">" +
         escape(p.subtitle) + "</text>\n";

  // Grid lines and tick labels.
  s += "<g stroke=\"#e5e5e5\" stroke-width=\"1\">\n";
  const std::vector<double> yt = nice_ticks(ylo, yhi, 6), xt = nice_ticks(xlo, xhi, 8);
  for (double t : yt)
    s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(Y(t)) + "\" x2=\"" + num(kLeft + pw) +
         "\" y2=\"" + num(Y(t)) + "\"/>\n";
  s += "</g>\n";

  auto ribbon = [&](const arma::vec& lo, const arma::vec& hi, const char* fill) {
    std::string pts;
    for (arma::uword j = 0; j < n; ++j) pts += num(X(p.q[j])) + "," + num(Y(hi[j])) + " ";
    for (arma::uword j = n; j-- > 0;) pts += num(X(p.q[j])) + "," + num(Y(lo[j])) + " ";
    s += "<polygon points=\"" + pts + "\" fill=\"" + fill + "\" stroke=\"none\"/>\n";
  };
  if (band) ribbon(p.band_low, p.band_high, "#c6dbef");
  if (ci) ribbon(p.conf_low, p.conf_high, "#9ecae1");

  if (ylo < 0.0 && yhi > 0.0)
    s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(Y(0.0)) + "\" x2=\"" + num(kLeft + pw) +
         "\" y2=\"" + num(Y(0.0)) +
         "\" stroke=\"#666666\" stroke-width=\"1\" stroke-dasharray=\"5,4\"/>\n";

  // The estimate: one polyline per run of finite values.
  std::string pts;
  auto flush = [&] {
    if (!pts.empty())
      s += "<polyline points=\"" + pts +
           "\" fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n";
    pts.clear();
  };
  for (arma::uword j = 0; j < n; ++j) {
    if (std::isfinite(p.tau[j])) pts += num(X(p.q[j])) + "," + num(Y(p.tau[j])) + " ";
    else flush();
  }
  flush();
  if (n <= 60) {
    s += "<g fill=\"#08519c\">\n";
    for (arma::uword j = 0; j < n; ++j)
      if (std::isfinite(p.tau[j]))
        s += "<circle cx=\"" + num(X(p.q[j])) + "\" cy=\"" + num(Y(p.tau[j])) + "\" r=\"2.5\"/>\n";
    s += "</g>\n";
  }

  // Axes, ticks and labels.
  s += "<g stroke=\"#333333\" stroke-width=\"1\">\n";
  s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop + ph) + "\" x2=\"" + num(kLeft + pw) +
       "\" y2=\"" + num(kTop + ph) + "\"/>\n";
  s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(kLeft) +
       "\" y2=\"" + num(kTop + ph) + "\"/>\n";
  for (double t : xt)
    s += "<line x1=\"" + num(X(t)) + "\" y1=\"" + num(kTop + ph) + "\" x2=\"" + num(X(t)) +
         "\" y2=\"" + num(kTop + ph + 5) + "\"/>\n";
  for (double t : yt)
    s += "<line x1=\"" + num(kLeft - 5) + "\" y1=\"" + num(Y(t)) + "\" x2=\"" + num(kLeft) +
         "\" y2=\"" + num(Y(t)) + "\"/>\n";
  s += "</g>\n<g font-size=\"11\" fill=\"#333333\">\n";
  for (double t : xt)
    s += "<text x=\"" + num(X(t)) + "\" y=\"" + num(kTop + ph + 18) +
         "\" text-anchor=\"middle\">" + tick_label(t) + "</text>\n";
  for (double t : yt)
    s += "<text x=\"" + num(kLeft - 8) + "\" y=\"" + num(Y(t) + 4) + "\" text-anchor=\"end\">" +
         tick_label(t) + "</text>\n";
  s += "</g>\n";
  s += "<text x=\"" + num(kLeft + pw / 2) + "\" y=\"" + num(kTop + ph + 40) +
       "\" font-size=\"13\" text-anchor=\"middle\">quantile level q</text>\n";
  s += "<text x=\"18\" y=\"" + num(kTop + ph / 2) + "\" font-size=\"13\" text-anchor=\"middle\" "
       "transform=\"rotate(-90 18 " + num(kTop + ph / 2) + ")\">effect \xCF\x84(q)</text>\n";

  // Legend: one row under the axis title, centred below the plot area.
  std::vector<std::pair<std::string, std::string>> items;  // (swatch colour, text)
  const std::string pct = tick_label(100.0 * p.level) + "%";
  items.push_back({"#08519c", "estimate"});
  if (ci) items.push_back({"#9ecae1", pct + " pointwise interval"});
  if (band) items.push_back({"#c6dbef", pct + " uniform band"});
  auto item_width = [](const std::string& text) {  // swatch, gap, ~6.2 px per character
    return 22.0 + 6.2 * static_cast<double>(text.size()) + 18.0;
  };
  double row = 0.0;
  for (const auto& item : items) row += item_width(item.second);
  double lx = kLeft + (pw - row) / 2.0;
  const double ly = kHeight - 22;
  s += "<g font-size=\"11\" fill=\"#333333\">\n";
  for (const auto& [colour, text] : items) {
    s += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly) + "\" width=\"16\" height=\"10\" fill=\"" +
         colour + "\"/>\n";
    s += "<text x=\"" + num(lx + 22) + "\" y=\"" + num(ly + 9) + "\">" + escape(text) + "</text>\n";
    lx += item_width(text);
  }
  s += "</g>\n</svg>\n";
  return s;
}

}  // namespace rddist::cli
