// numbers.h — strict conversion between CSV text and doubles.
//
// Reading: the whole field must be one finite decimal number (surrounding spaces and a
// leading '+' are allowed). "12abc" (a partial number), "NaN", "Inf" and values beyond
// the range of a double such as 1e400 are refused, each with its own status so that
// messages can say why; values too small for a double (1e-400) underflow to 0, as R's
// read.csv reads them. Empty fields and "NA" (R's spelling) count as missing.
// Writing: the shortest text that reads back to the same double (std::to_chars), so
// CSV output loses nothing; NaN is written as NA.
#ifndef RDDIST_CLI_NUMBERS_H
#define RDDIST_CLI_NUMBERS_H

#include <string>
#include <string_view>

namespace rddist::cli {

enum class NumberStatus { ok, missing, not_a_number, not_finite, out_of_range };

NumberStatus parse_number(std::string_view text, double& value);

// Also accepts TRUE/FALSE (as written by R for logical columns) as 1/0.
NumberStatus parse_indicator(std::string_view text, double& value);

// Why a field was refused, for messages: "is not a number", "is missing", ...
std::string describe_status(NumberStatus status);

// Appends the shortest round-trip text of v (or "NA" for NaN) to out.
void append_number(std::string& out, double v);
std::string format_number(double v);
// v with `digits` significant digits (printf's %g), "NA" for NaN: text for people
// (the --summary table, the plot's subtitle), not for reading back.
std::string significant(double v, int digits = 4);

// Quotes a CSV field when it contains a comma, quote or line break (RFC 4180).
std::string csv_quote(std::string_view text);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_NUMBERS_H
