// input_stream.cpp — opening files or stdin through zlib (see input_stream.h).
#include "input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <limits>

#include "cli_errors.h"
#include "rddist/error.h"

namespace rddist::cli {
namespace {

gzFile as_gz(void* p) { return static_cast<gzFile>(p); }

// zlib's buffer: large enough that a 10-million-row file is read in few system calls.
constexpr unsigned kGzBuffer = 1u << 20;

}  // namespace

InputStream::InputStream(const std::string& path) {
  is_stdin_ = path == "-";
  name_ = is_stdin_ ? std::string("<stdin>") : path;
  int fd = STDIN_FILENO;
  if (!is_stdin_) {
    fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0)
      throw IoError("cannot open input file '" + path + "': " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (!is_stdin_) ::close(fd);
      throw IoError("cannot read '" + name_ + "': it is a directory, not a file");
    }
    regular_ = S_ISREG(st.st_mode);
    if (regular_) size_ = static_cast<std::int64_t>(st.st_size);
  }
  // gzdopen takes ownership of the descriptor; for stdin use a duplicate so that closing
  // the stream does not close the process's standard input.
  const int own_fd = is_stdin_ ? ::dup(fd) : fd;
  if (own_fd < 0) throw IoError("cannot read standard input: " + std::string(std::strerror(errno)));
  gzFile gz = gzdopen(own_fd, "rb");
  if (gz == nullptr) {
    ::close(own_fd);
    throw IoError("cannot open '" + name_ + "' for reading (out of memory in zlib)");
  }
  gzbuffer(gz, kGzBuffer);
  gz_ = gz;
}

InputStream::~InputStream() {
  if (gz_ != nullptr) gzclose_r(as_gz(gz_));
}

std::size_t InputStream::read(char* buffer, std::size_t n) {
  const unsigned chunk = static_cast<unsigned>(
      std::min<std::size_t>(n, static_cast<std::size_t>(std::numeric_limits<int>::max())));
  const int got = gzread(as_gz(gz_), buffer, chunk);
  int errnum = Z_OK;
  const char* message = gzerror(as_gz(gz_), &errnum);
  if (got < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
    if (errnum == Z_ERRNO)
      throw IoError("cannot read '" + name_ + "': " + std::strerror(errno));
    // Z_DATA_ERROR (damaged data) or Z_BUF_ERROR (stream ends in the middle). zlib
    // prefixes its message with its own name for the stream ("<fd:3>: "); drop that.
    std::string what = message != nullptr ? message : "damaged data";
    const std::size_t colon = what.find(": ");
    if (colon != std::string::npos && !what.empty() && what[0] == '<') what = what.substr(colon + 2);
    throw data_error(name_ + ": not a readable gzip file (" + what +
                     "); is the file complete?");
  }
  return static_cast<std::size_t>(got);
}

bool InputStream::compressed() const { return gzdirect(as_gz(gz_)) == 0; }

double InputStream::fraction_done() const {
  if (size_ <= 0) return -1.0;
  const z_off_t offset = gzoffset(as_gz(gz_));
  if (offset < 0) return -1.0;
  return std::min(1.0, static_cast<double>(offset) / static_cast<double>(size_));
}

}  // namespace rddist::cli
