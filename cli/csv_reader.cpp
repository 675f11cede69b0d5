// csv_reader.cpp — the RFC 4180 state machine (see csv_reader.h).
//
// The inner loops copy runs of ordinary bytes with one table lookup per byte; only
// commas, quotes, line ends and control bytes leave the fast path. Each record is
// unescaped into one string with field end offsets, so no per-field allocation happens.
#include "csv_reader.h"

#include <array>
#include <cstdio>
#include <unordered_map>

#include "rddist/error.h"

namespace rddist::cli {
namespace {

// Byte classes of the parser.
enum ByteClass : unsigned char { kPlain = 0, kComma, kLf, kCr, kQuote, kBinary };

// The byte classes with `delimiter` separating fields (kComma names the class whatever
// the byte).
std::array<unsigned char, 256> make_classes(char delimiter) {
  std::array<unsigned char, 256> t{};
  for (int b = 0; b < 32; ++b) t[b] = kBinary;
  t[0x7f] = kBinary;
  t['\t'] = kPlain;
  t['\n'] = kLf;
  t['\r'] = kCr;
  t['"'] = kQuote;
  t[static_cast<unsigned char>(delimiter)] = kComma;
  return t;
}
const std::array<unsigned char, 256> kClass = make_classes(',');  // before the delimiter is known

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

std::string describe_byte(unsigned char b) {
  char text[40];
  std::snprintf(text, sizeof text, "byte 0x%02X%s", b, b == 0 ? " (NUL)" : "");
  return text;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// The field separator of a header line that starts at `begin`: the one of comma, tab and
// semicolon that occurs outside quotes (comma when none does, a one-column file); a
// data_error when several do.
char detect_delimiter(const char* begin, const char* end, const std::string& file) {
  std::size_t comma = 0, tab = 0, semicolon = 0;
  bool quoted = false;
  for (const char* p = begin; p < end && (quoted || (*p != '\n' && *p != '\r')); ++p) {
    if (*p == '"') quoted = !quoted;
    if (quoted) continue;
    comma += *p == ',';
    tab += *p == '\t';
    semicolon += *p == ';';
  }
  const int kinds = (comma > 0) + (tab > 0) + (semicolon > 0);
  if (kinds > 1)
    throw data_error(file + ":1: the header contains more than one of comma, tab and semicolon, "
                     "so the field separator is ambiguous; give it with --delim");
  if (tab > 0) return '\t';
  if (semicolon > 0) return ';';
  return ',';
}

}  // namespace

CsvReader::CsvReader(const std::string& path, char delimiter)
    : input_(path), buffer_(kBufferBytes) {
  bool any_byte = fill();
  // A UTF-8 byte-order mark (EF BB BF), as written by some spreadsheet programs.
  if (end_ - pos_ >= 3 && static_cast<unsigned char>(buffer_[0]) == 0xEF &&
      static_cast<unsigned char>(buffer_[1]) == 0xBB && static_cast<unsigned char>(buffer_[2]) == 0xBF)
    pos_ = 3;
  // Binary files (images, executables, spreadsheets) are recognised from their first
  // block, before their first "line" is mistaken for a header.
  for (std::size_t k = pos_; k < end_; ++k) {
    const auto b = static_cast<unsigned char>(buffer_[k]);
    if (kClass[b] != kBinary) continue;
    std::uint64_t line = 1;
    for (std::size_t i = pos_; i < k; ++i) line += buffer_[i] == '\n';
    fail(line, describe_byte(b) + ": the input contains binary data, not CSV text (is this "
                                  "a CSV file?)");
  }
  delimiter_ = delimiter != 0 ? delimiter
                              : detect_delimiter(buffer_.data() + pos_, buffer_.data() + end_, file());
  classes_ = make_classes(delimiter_);
  if (!read_record()) {
    throw data_error(file() + ": the file is empty" + (any_byte ? "" : " (0 bytes)") +
                     "; expected a header row with the column names, such as unit,x,y");
  }
  header_.reserve(ends_.size());
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < ends_.size(); ++i) {
    std::string name = trim(field(i));
    if (name.empty())
      fail(record_line_, "column " + std::to_string(i + 1) +
                             " of the header has no name; every column needs a unique name "
                             "(files written by R's write.csv need row.names = FALSE)");
    const auto [it, fresh] = seen.emplace(name, i);
    if (!fresh)
      fail(record_line_, "the header names column '" + name + "' twice (columns " +
                             std::to_string(it->second + 1) + " and " + std::to_string(i + 1) +
                             "); column names must be unique");
    header_.push_back(std::move(name));
  }
  records_ = 0;
}

std::ptrdiff_t CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

std::size_t CsvReader::column(const std::string& name, const std::string& option) const {
  const std::ptrdiff_t i = find_column(name);
  if (i >= 0) return static_cast<std::size_t>(i);
  std::string names;
  for (std::size_t k = 0; k < header_.size() && k < 20; ++k)
    names += (k ? ", " : "") + header_[k];
  if (header_.size() > 20) names += ", ...";
  throw data_error(file() + ":1: no column named '" + name + "' (given by " + option +
                   "); the header has: " + names);
}

std::string CsvReader::where() const {
  return file() + ":" + std::to_string(record_line_) + ": ";
}

void CsvReader::fail(std::uint64_t line, const std::string& message) const {
  throw data_error(file() + ":" + std::to_string(line) + ": " + message);
}

bool CsvReader::fill() {
  if (eof_) return false;
  const std::size_t n = input_.read(buffer_.data(), buffer_.size());
  pos_ = 0;
  end_ = n;
  if (n == 0) eof_ = true;
  return n > 0;
}

void CsvReader::check_record_size() const {
  if (record_.size() > kMaxRecordBytes)
    fail(record_line_, "a record longer than 64 MiB; most likely a quote is left open "
                       "(a field that starts with \" must end with \")");
}

bool CsvReader::next() {
  if (!read_record()) return false;
  if (ends_.size() != header_.size())
    fail(record_line_, "this row has " + std::to_string(ends_.size()) + " field" +
                           (ends_.size() == 1 ? "" : "s") + " but the header has " +
                           std::to_string(header_.size()) +
                           " columns; every row needs one value per column (quote fields "
                           "that contain commas)");
  ++records_;
  return true;
}

CsvReader::State CsvReader::end_field() {
  ends_.push_back(record_.size());
  ++pos_;
  return kStart;  // the next field begins
}

bool CsvReader::end_line(char c) {
  skip_lf_ = c == '\r';  // a CR may be the first half of CRLF
  ++line_;
  ++pos_;
  return true;
}

bool CsvReader::read_record() {
  for (;;) {  // repeats only to skip blank lines
    record_.clear();
    ends_.clear();
    if (skip_lf_) {  // the LF of a CRLF pair split across two reads
      if (pos_ == end_) fill();
      if (pos_ < end_ && buffer_[pos_] == '\n') ++pos_;
      skip_lf_ = false;
    }
    record_line_ = line_;
    State state = kStart;
    bool any = false;  // the record has a field separator, a quote or a character
    std::uint64_t quote_line = line_;
    bool done = false;
    while (!done) {
      if (pos_ == end_ && !fill()) {  // end of input
        if (state == kQuoted)
          fail(quote_line, "a quoted field starts here but its closing quote is missing "
                           "(unterminated quote)");
        if (!any) return false;
        ends_.push_back(record_.size());
        return true;
      }
      const char* p = buffer_.data() + pos_;
      const char* const e = buffer_.data() + end_;
      switch (state) {
        case kStart:
          if (*p == '"') {
            state = kQuoted;
            any = true;
            quote_line = line_;
            ++pos_;
          } else {
            state = kUnquoted;
          }
          break;
        case kUnquoted: {
          const char* s = p;
          while (p < e && classes_[static_cast<unsigned char>(*p)] == kPlain) ++p;
          if (p > s) {
            record_.append(s, static_cast<std::size_t>(p - s));
            any = true;
            check_record_size();
          }
          pos_ = static_cast<std::size_t>(p - buffer_.data());
          if (p == e) break;
          switch (classes_[static_cast<unsigned char>(*p)]) {
            case kComma:
              state = end_field();
              any = true;
              break;
            case kLf:
            case kCr:
              done = end_line(*p);
              break;
            case kQuote:
              fail(line_, "a quote (\") inside an unquoted field " +
                              std::to_string(ends_.size() + 1) +
                              "; quote the whole field and double the quotes inside it (\"\")");
            default:
              fail(line_, describe_byte(static_cast<unsigned char>(*p)) + " in field " +
                              std::to_string(ends_.size() + 1) +
                              ": the input contains binary data, not CSV text");
          }
          break;
        }
        case kQuoted: {
          const char* s = p;
          while (p < e) {
            const unsigned char c = classes_[static_cast<unsigned char>(*p)];
            if (c == kQuote || c == kBinary) break;
            if (c == kLf) ++line_;
            ++p;
          }
          if (p > s) {
            record_.append(s, static_cast<std::size_t>(p - s));
            check_record_size();
          }
          pos_ = static_cast<std::size_t>(p - buffer_.data());
          if (p == e) break;
          if (*p != '"')
            fail(line_, describe_byte(static_cast<unsigned char>(*p)) +
                            " inside a quoted field: the input contains binary data, not CSV text");
          state = kAfterQuote;
          ++pos_;
          break;
        }
        case kAfterQuote:
          switch (classes_[static_cast<unsigned char>(*p)]) {
            case kQuote:  // "" inside quotes stands for one quote
              record_.push_back('"');
              state = kQuoted;
              ++pos_;
              break;
            case kComma:
              state = end_field();
              break;
            case kLf:
            case kCr:
              done = end_line(*p);
              break;
            default:
              fail(line_, "text after the closing quote of field " +
                              std::to_string(ends_.size() + 1) +
                              "; a quoted field must end right before a comma or the line end "
                              "(write quotes inside it as \"\")");
          }
          break;
      }
    }
    if (!any) continue;  // a blank line
    ends_.push_back(record_.size());
    return true;
  }
}

}  // namespace rddist::cli
