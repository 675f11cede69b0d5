// numbers.cpp — strict number parsing and shortest round-trip formatting (see numbers.h).
#include "numbers.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace rddist::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A number beyond the range of a double: too small (underflow) reads as its nearest double,
// 0 or a subnormal, as strtod and R's read.csv give it; too large is refused.
NumberStatus underflow_or_overflow(std::string_view text, double& value) {
  const std::string copy(text);
  const double v = std::strtod(copy.c_str(), nullptr);
  if (!(std::fabs(v) < 1.0)) return NumberStatus::out_of_range;
  value = v;
  return NumberStatus::ok;
}

}  // namespace

NumberStatus parse_number(std::string_view text, double& value) {
  text = trim(text);
  if (text.empty() || text == "NA") return NumberStatus::missing;
  // from_chars does not take a leading '+', which some programs write.
  if (text.size() > 1 && text.front() == '+' && text[1] != '-' && text[1] != '+')
    text.remove_prefix(1);
  const char* first = text.data();
  const char* last = first + text.size();
  // Words such as nan, inf, infinity (any case, any sign) are not data.
  const char lead = (*first == '-' && text.size() > 1) ? first[1] : *first;
  if (lead == 'n' || lead == 'N' || lead == 'i' || lead == 'I') {
    double probe = 0.0;
    const auto r = std::from_chars(first, last, probe);
    return (r.ec == std::errc() && r.ptr == last) ? NumberStatus::not_finite
                                                  : NumberStatus::not_a_number;
  }
  const auto r = std::from_chars(first, last, value, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range && r.ptr == last) return underflow_or_overflow(text, value);
  if (r.ec != std::errc() || r.ptr != last) return NumberStatus::not_a_number;
  if (!std::isfinite(value)) return NumberStatus::out_of_range;
  return NumberStatus::ok;
}

NumberStatus parse_indicator(std::string_view text, double& value) {
  const std::string_view t = trim(text);
  if (t == "TRUE" || t == "true" || t == "True") {
    value = 1.0;
    return NumberStatus::ok;
  }
  if (t == "FALSE" || t == "false" || t == "False") {
    value = 0.0;
    return NumberStatus::ok;
  }
  return parse_number(text, value);
}

std::string describe_status(NumberStatus status) {
  switch (status) {
    case NumberStatus::ok: return "is a number";
    case NumberStatus::missing: return "is missing";
    case NumberStatus::not_a_number: return "is not a number";
    case NumberStatus::not_finite: return "is not a finite number";
    case NumberStatus::out_of_range: return "is outside the range of a double (magnitude above 1.8e308)";
  }
  return "is not usable";
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NA";
    return;
  }
  char text[64];
  const auto r = std::to_chars(text, text + sizeof text, v);
  out.append(text, static_cast<std::size_t>(r.ptr - text));
}

std::string format_number(double v) {
  std::string s;
  append_number(s, v);
  return s;
}

std::string significant(double v, int digits) {
  if (std::isnan(v)) return "NA";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

std::string csv_quote(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace rddist::cli
