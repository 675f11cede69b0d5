// options.cpp — spelling of the shared enumerations (see options.h).
#include "rddist/r3d/options.h"

#include "rddist/error.h"

namespace rddist {

Method parse_method(const std::string& name) {
  if (name == "frechet") return Method::frechet;
  if (name == "simple") return Method::simple;
  throw invalid_argument("parse_method: unknown method '" + name +
                         "'; use \"frechet\" or \"simple\"");
}

Kernel parse_kernel(const std::string& name) {
  if (name == "triangular") return Kernel::triangular;
  if (name == "epanechnikov") return Kernel::epanechnikov;
  if (name == "uniform") return Kernel::uniform;
  throw invalid_argument("parse_kernel: unknown kernel '" + name +
                         "'; use \"triangular\", \"epanechnikov\" or \"uniform\"");
}

Compat parse_compat(const std::string& name) {
  if (name == "paper") return Compat::paper;
  if (name == "r3d-0.1.0") return Compat::r3d_0_1_0;
  throw invalid_argument("parse_compat: unknown compatibility mode '" + name +
                         "'; use \"paper\" or \"r3d-0.1.0\"");
}

QuantileType parse_quantile_type(int type) {
  if (type == 7) return QuantileType::type7;
  if (type == 1) return QuantileType::type1;
  throw invalid_argument(detail::concat("parse_quantile_type: quantile type ", type,
                                        " is not supported; use 7 (R's default) or 1"));
}

Vce parse_vce(const std::string& name) {
  if (name == "hc0") return Vce::hc0;
  if (name == "hc2") return Vce::hc2;
  if (name == "hc3") return Vce::hc3;
  throw invalid_argument("parse_vce: unknown residual adjustment '" + name +
                         "'; use \"hc0\", \"hc2\" or \"hc3\"");
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

}  // namespace rddist
