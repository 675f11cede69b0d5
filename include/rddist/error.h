// error.h — the exceptions thrown by the rddist core, and how front ends word them.
//
// The core never prints and never exits: every failure is an exception derived from
// rddist::error, whose message says what to change. A message may name the caller's
// arguments by their canonical ids in braces — "{alpha} must lie strictly between 0 and 1",
// "use {vce=hc0}" — because each front end spells them differently (alpha = in R, --alpha
// on the command line, BootstrapOptions::alpha in C++). what() spells them for C++
// (spell_cpp); a front end renders text() with its own spelling instead (render), so the
// user reads the names of the interface they are using. An argument_error also says which
// argument was refused, so that a front end can classify it as a usage error.
// A unit is named by the token {unit=K}, K its 1-based position in the data the caller
// gave: C++ and R say "unit K", the command line names the unit by its key.
#ifndef RDDIST_ERROR_H
#define RDDIST_ERROR_H

#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace rddist {

// How a front end spells the argument `id`, optionally with a value ("method" and
// "simple" → method = "simple" in R, --method simple on the command line). An empty
// result leaves the token as written.
using Spelling = std::function<std::string(const std::string& id, const std::string& value)>;

// The message template with every {id} and {id=value} token replaced by spell(id, value).
std::string render(const std::string& text, const Spelling& spell);

// The C++ spelling: the field of the request (request.h) that holds the argument.
std::string spell_cpp(const std::string& id, const std::string& value);

// Base of every exception thrown by the core. `where` (optional) names the C++ function
// that refused, for callers of the library: what() is "<where>: <message>". Front ends,
// whose users never called that function, render text() alone.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& text, const std::string& where = "")
      : std::runtime_error((where.empty() ? "" : where + ": ") + render(text, spell_cpp)),
        text_(text),
        where_(where) {}
  // The message with argument tokens unrendered and without `where`, for front ends.
  const std::string& text() const noexcept { return text_; }
  const std::string& where() const noexcept { return where_; }

 private:
  std::string text_, where_;
};

// The arguments cannot be used as given (wrong length, out of range, not finite, ...).
class invalid_argument : public error {
 public:
  using error::error;
};

// One named argument cannot be used as given; `argument` is its canonical id.
class argument_error : public invalid_argument {
 public:
  argument_error(std::string argument, const std::string& text)
      : invalid_argument(text), argument_(std::move(argument)) {}
  const std::string& argument() const noexcept { return argument_; }

 private:
  std::string argument_;
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

// Throws Exception with the message <parts...> from the function `where` when condition
// holds (what() is "<where>: <parts...>").
template <typename Exception = invalid_argument, typename... Parts>
void fail_if(bool condition, const char* where, const Parts&... parts) {
  if (condition) throw Exception(detail::concat(parts...), where);
}

// Throws argument_error for `argument` with the message <parts...> unless ok.
template <typename... Parts>
void require(bool ok, const char* argument, const Parts&... parts) {
  if (!ok) throw argument_error(argument, detail::concat(parts...));
}

// Throws Exception (data_error unless given) with the message <parts...> unless ok.
template <typename Exception = data_error, typename... Parts>
void require_data(bool ok, const Parts&... parts) {
  if (!ok) throw Exception(detail::concat(parts...));
}

}  // namespace rddist

#endif  // RDDIST_ERROR_H
