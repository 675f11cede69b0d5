// csv_reader.h — a streaming RFC 4180 reader for large CSV files with a header row.
//
// Reads one record at a time with constant memory (one buffer and the current record):
// fields may be quoted ("a, b", "say ""hi""", line breaks inside quotes); records end
// with LF, CRLF or a lone CR; a UTF-8 byte-order mark before the header is skipped;
// blank lines are skipped. Input comes from InputStream (plain, gzip or stdin).
// Everything a malformed file can do is a data_error whose message starts with
// "<file>:<line>:" — the physical line where the record starts, counting the header as
// line 1 — and says what is wrong: control bytes such as NUL (binary data), an unclosed
// quote, text after a closing quote, a record with the wrong number of fields, header
// names that are empty or repeated, an empty file. Field text is returned as views into
// the reader's record buffer, valid until the next call to next().
#ifndef RDDIST_CLI_CSV_READER_H
#define RDDIST_CLI_CSV_READER_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input_stream.h"

namespace rddist::cli {

class CsvReader {
 public:
  // Opens the input and reads the header row (throws when it is missing or invalid).
  // `delimiter` separates fields; 0 detects it from the header: the one of comma, tab and
  // semicolon found there outside quotes (comma when none is; an error when several are).
  explicit CsvReader(const std::string& path, char delimiter = 0);
  char delimiter() const { return delimiter_; }

  const std::string& file() const { return input_.name(); }
  const std::vector<std::string>& header() const { return header_; }
  // Index of the column named `name`, or -1.
  std::ptrdiff_t find_column(std::string_view name) const;
  // Index of the column named `name`; a data_error naming the option and listing the
  // available columns when there is none.
  std::size_t column(const std::string& name, const std::string& option) const;

  // Reads the next data record; false at the end of the input.
  bool next();
  std::size_t size() const { return ends_.size(); }
  std::string_view field(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(record_.data() + begin, ends_[i] - begin);
  }
  // Physical line on which the current record starts (the header is line 1).
  std::uint64_t line() const { return record_line_; }
  // Data records returned so far.
  std::uint64_t records() const { return records_; }
  // "<file>:<line>: " for messages about the current record.
  std::string where() const;
  // Share of the input consumed, or negative when unknown (stdin).
  double fraction_done() const { return input_.fraction_done(); }
  bool rereadable() const { return input_.rereadable(); }
  bool compressed() const { return input_.compressed(); }

  // Longest record accepted; longer ones almost always mean a quote left open.
  static constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

 private:
  enum State { kStart, kUnquoted, kQuoted, kAfterQuote };  // of the record parser
  bool read_record();  // parses one record into record_/ends_; false at end of input
  bool end_line(char c);  // consumes the line end c (LF or CR) of a record; true
  State end_field();      // consumes a comma ending a field; the state of a new field
  bool fill();         // refills buffer_; false at end of input
  [[noreturn]] void fail(std::uint64_t line, const std::string& message) const;
  void check_record_size() const;

  InputStream input_;
  char delimiter_ = ',';
  std::array<unsigned char, 256> classes_{};  // byte classes with this file's delimiter
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool skip_lf_ = false;       // the last record ended with CR; a following LF belongs to it
  std::uint64_t line_ = 1;     // physical line of the next unread byte
  std::uint64_t record_line_ = 0;
  std::uint64_t records_ = 0;
  std::string record_;         // unescaped field text of the current record, back to back
  std::vector<std::size_t> ends_;  // end offset of each field in record_
  std::vector<std::string> header_;
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_CSV_READER_H
