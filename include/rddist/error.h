// error.h — the exceptions thrown by the rddist core.
//
// The core never prints and never exits: every failure is an exception derived from
// rddist::error. Messages start with the name of the public function that refused the
// input and say what the caller should change. Front ends translate them: the R package
// into R errors, the command-line tool into a message and an exit code by category.
#ifndef RDDIST_ERROR_H
#define RDDIST_ERROR_H

#include <sstream>
#include <stdexcept>
#include <string>

namespace rddist {

// Base of every exception thrown by the core.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& message) : std::runtime_error(message) {}
};

// The arguments cannot be used as given (wrong length, out of range, not finite, ...).
class invalid_argument : public error {
 public:
  using error::error;
};

// The arguments are valid but the data cannot support the computation
// (too few units inside a bandwidth window, no units on one side, ...).
class data_error : public error {
 public:
  using error::error;
};

// A computation failed numerically (singular system, non-finite result).
class numerical_error : public error {
 public:
  using error::error;
};

// The front end asked the core to stop (user interrupt).
class interrupted : public error {
 public:
  using error::error;
};

namespace detail {

// Concatenates its arguments with operator<< into one string.
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  out.precision(10);
  (out << ... << parts);
  return out.str();
}

}  // namespace detail

// Throws Exception with the message "<where>: <parts...>" when condition holds.
template <typename Exception = invalid_argument, typename... Parts>
void fail_if(bool condition, const char* where, const Parts&... parts) {
  if (condition) throw Exception(detail::concat(where, ": ", parts...));
}

}  // namespace rddist

#endif  // RDDIST_ERROR_H
