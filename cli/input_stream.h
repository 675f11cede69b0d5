// input_stream.h — bytes of an input file, a gzip-compressed file or standard input.
//
// One reader for every source: a stream that starts with the gzip magic bytes (1f 8b) is
// inflated with zlib, any other bytes pass through unchanged, so compression is detected
// from the content, never from the file name, and `.csv.gz` piped into stdin works too.
// The path "-" means standard input. Concatenated gzip members (cat a.gz b.gz) are read
// as one stream; any other bytes after the end of a member are an error, as is a stream
// that ends inside a member (a truncated file).
// Errors: a file that cannot be opened or read is an IoError (exit code 4); a damaged,
// truncated or trailed gzip stream is a data_error (exit code 2), since the bytes are bad.
#ifndef RDDIST_CLI_INPUT_STREAM_H
#define RDDIST_CLI_INPUT_STREAM_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace rddist::cli {

class InputStream {
 public:
  explicit InputStream(const std::string& path);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Reads up to n bytes into buffer; returns 0 only at the end of the input.
  std::size_t read(char* buffer, std::size_t n);

  // The name used in messages: the path, or "<stdin>".
  const std::string& name() const { return name_; }
  bool is_stdin() const { return is_stdin_; }
  // True for a regular file, which can be opened and read a second time.
  bool rereadable() const { return regular_ && !is_stdin_; }
  // True once the first bytes showed gzip data.
  bool compressed() const { return gzip_; }
  // Share of the (compressed) file consumed so far, or a negative value when unknown.
  double fraction_done() const;

 private:
  std::string name_;
  bool is_stdin_ = false;
  bool regular_ = false;
  std::int64_t size_ = -1;  // bytes on disk for regular files
  struct Raw;               // the descriptor, its buffer and zlib's state (input_stream.cpp)
  Raw* raw_ = nullptr;
  bool gzip_ = false;

  std::size_t read_plain(char* buffer, std::size_t n);
  std::size_t read_gzip(char* buffer, std::size_t n);
  bool next_member();  // after a member's end: true when another one follows
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_INPUT_STREAM_H
