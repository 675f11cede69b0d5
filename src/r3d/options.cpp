// options.cpp — spelling of the pipeline's enumerations and functionals (see options.h).
#include "rddist/r3d/options.h"

#include <cmath>
#include <limits>
#include <utility>

#include "rddist/error.h"

namespace rddist {
namespace {

[[noreturn]] void unknown(const char* argument, const std::string& what, const std::string& name,
                          const char* valid) {
  throw argument_error(argument, "unknown " + what + " '" + name + "'; {" + argument +
                                     "} must be " + valid);
}

}  // namespace

Method parse_method(const std::string& name) {
  if (name == "frechet") return Method::frechet;
  if (name == "simple") return Method::simple;
  unknown("method", "method", name, "frechet or simple");
}

Kernel parse_kernel(const std::string& name) {
  if (name == "triangular") return Kernel::triangular;
  if (name == "epanechnikov") return Kernel::epanechnikov;
  if (name == "uniform") return Kernel::uniform;
  unknown("kernel", "kernel", name, "triangular, epanechnikov or uniform");
}

Compat parse_compat(const std::string& name) {
  if (name == "paper") return Compat::paper;
  if (name == "r3d-0.1.0") return Compat::r3d_0_1_0;
  unknown("compat", "compatibility mode", name, "paper or r3d-0.1.0");
}

QuantileType parse_quantile_type(int type) {
  if (type == 7) return QuantileType::type7;
  if (type == 1) return QuantileType::type1;
  throw argument_error("quantile_type",
                       detail::concat("quantile type ", type, " is not supported; "
                                      "{quantile_type} must be 7 or 1 (7 is R's default)"));
}

Vce parse_vce(const std::string& name) {
  if (name == "hc0") return Vce::hc0;
  if (name == "hc2") return Vce::hc2;
  if (name == "hc3") return Vce::hc3;
  unknown("vce", "residual adjustment", name, "hc0, hc2 or hc3");
}

Sampler parse_sampler(const std::string& name) {
  if (name == "gaussian") return Sampler::gaussian;
  if (name == "multipliers") return Sampler::multipliers;
  unknown("sampler", "bootstrap sampler", name, "gaussian or multipliers");
}

BandType parse_band_type(const std::string& name) {
  if (name == "studentized") return BandType::studentized;
  if (name == "constant") return BandType::constant;
  unknown("band_type", "band type", name, "studentized or constant");
}

TestStatistic parse_test_statistic(const std::string& name) {
  if (name == "sup") return TestStatistic::sup;
  if (name == "cvm") return TestStatistic::cvm;
  if (name == "minp") return TestStatistic::minp;
  unknown("test_statistic", "test statistic", name, "sup, cvm or minp");
}

BandwidthRule parse_bandwidth_rule(const std::string& name) {
  if (name == "common") return BandwidthRule::common;
  if (name == "two") return BandwidthRule::two;
  unknown("bandwidth_rule", "bandwidth rule", name, "common or two");
}

TestType parse_test(const std::string& name) {
  if (name == "nullity") return TestType::nullity;
  if (name == "homogeneity") return TestType::homogeneity;
  if (name == "gini") return TestType::gini;
  if (name == "nonnegative") return TestType::nonnegative;
  if (name == "nonpositive") return TestType::nonpositive;
  unknown("tests", "test", name, "nullity, homogeneity, gini, nonnegative or nonpositive");
}

std::string FunctionalSpec::name() const {
  auto pct = [](double v) { return detail::concat(std::round(v * 1e8) / 1e6); };
  auto level = [](double v) { return detail::concat(std::round(v * 1e8) / 1e8); };
  switch (type) {
    case FunctionalType::mean: return "mean";
    case FunctionalType::gini: return "gini";
    case FunctionalType::spread: return "q" + pct(b) + "-q" + pct(a);
    case FunctionalType::lower_tail_mean: return "lower_mean:" + level(a);
    case FunctionalType::upper_tail_mean: return "upper_mean:" + level(a);
    case FunctionalType::cdf: return "cdf:" + detail::concat(a);
    case FunctionalType::custom: return label;
  }
  return "unknown";
}

FunctionalSpec parse_functional(const std::string& text) {
  const std::string valid = "; use mean, gini, q90-q10, lower_mean:0.1, upper_mean:0.9 or cdf:1.5";
  auto number = [&](const std::string& s) {
    std::size_t used = 0;
    double v = std::numeric_limits<double>::quiet_NaN();
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    require(used != 0 && used == s.size() && std::isfinite(v), "functionals", "'", text,
            "' is not a functional", valid);
    return v;
  };
  FunctionalSpec f;
  if (text == "mean") return f;
  if (text == "gini") {
    f.type = FunctionalType::gini;
    return f;
  }
  const std::size_t dash = text.find("-q");
  if (text.size() > 1 && text[0] == 'q' && dash != std::string::npos) {
    f.type = FunctionalType::spread;
    f.b = number(text.substr(1, dash - 1)) / 100.0;
    f.a = number(text.substr(dash + 2)) / 100.0;
    require(f.a >= 0.0 && f.b <= 1.0 && f.a < f.b, "functionals", "'", text,
            "': a spread qB-qA needs 0 <= A < B <= 100");
    return f;
  }
  for (const auto& [prefix, type] :
       {std::pair<std::string, FunctionalType>{"lower_mean:", FunctionalType::lower_tail_mean},
        {"upper_mean:", FunctionalType::upper_tail_mean}}) {
    if (text.rfind(prefix, 0) == 0) {
      f.type = type;
      f.a = number(text.substr(prefix.size()));
      require(f.a > 0.0 && f.a < 1.0, "functionals", "'", text,
              "': the level of a tail mean must lie in (0, 1)");
      return f;
    }
  }
  if (text.rfind("cdf:", 0) == 0) {
    f.type = FunctionalType::cdf;
    f.a = number(text.substr(4));
    return f;
  }
  throw argument_error("functionals", "'" + text + "' is not a functional" + valid);
}

FunctionalSpec custom_functional(std::string label,
                                 std::function<double(const arma::vec&, const arma::vec&)> f) {
  require(!label.empty(), "functionals", "give every user functional a name");
  require(static_cast<bool>(f), "functionals", "user functional '", label, "' has no function");
  FunctionalSpec spec;
  spec.type = FunctionalType::custom;
  spec.label = std::move(label);
  spec.function = std::move(f);
  return spec;
}

std::string to_string(Vce vce) {
  switch (vce) {
    case Vce::hc0: return "hc0";
    case Vce::hc2: return "hc2";
    case Vce::hc3: return "hc3";
  }
  return "unknown";
}

std::string to_string(Side side) { return side == Side::above ? "above" : "below"; }

std::string to_string(Method method) {
  return method == Method::frechet ? "frechet" : "simple";
}

std::string to_string(Kernel kernel) {
  switch (kernel) {
    case Kernel::triangular: return "triangular";
    case Kernel::epanechnikov: return "epanechnikov";
    case Kernel::uniform: return "uniform";
  }
  return "unknown";
}

std::string to_string(Compat compat) {
  return compat == Compat::paper ? "paper" : "r3d-0.1.0";
}

int to_int(QuantileType type) { return type == QuantileType::type7 ? 7 : 1; }

std::string to_string(Sampler sampler) {
  return sampler == Sampler::gaussian ? "gaussian" : "multipliers";
}

std::string to_string(TestType type) {
  switch (type) {
    case TestType::nullity: return "nullity";
    case TestType::homogeneity: return "homogeneity";
    case TestType::gini: return "gini";
    case TestType::nonnegative: return "nonnegative";
    case TestType::nonpositive: return "nonpositive";
  }
  return "unknown";
}

std::string to_string(BandType band) {
  return band == BandType::studentized ? "studentized" : "constant";
}

std::string to_string(TestStatistic statistic) {
  switch (statistic) {
    case TestStatistic::sup: return "sup";
    case TestStatistic::cvm: return "cvm";
    case TestStatistic::minp: return "minp";
  }
  return "";
}

std::string to_string(BandwidthRule rule) {
  return rule == BandwidthRule::common ? "common" : "two";
}

}  // namespace rddist
