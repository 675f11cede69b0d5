// input_stream.cpp — plain or gzip bytes from a file or stdin (see input_stream.h).
//
// The raw bytes are read with read(2) into a buffer; gzip data is inflated with zlib's
// inflate() (windowBits 16 + 15: gzip wrapper). At each member's end the next bytes decide:
// the end of the input, another member (1f 8b), or trailing data, which is refused.
#include "input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "cli_errors.h"
#include "rddist/error.h"

namespace rddist::cli {

struct InputStream::Raw {
  int fd = -1;
  bool own = false;
  std::vector<unsigned char> buf = std::vector<unsigned char>(std::size_t{1} << 20);
  std::size_t begin = 0, end = 0;  // unread bytes of buf
  bool eof = false;
  std::int64_t consumed = 0;       // raw bytes handed on (plain) or inflated from (gzip)
  z_stream z{};
  bool z_ready = false, in_member = false;

  std::size_t available() const { return end - begin; }
  // Reads more raw bytes after the unread ones; false at the end of the input.
  bool fill(const std::string& name) {
    if (eof) return false;
    if (begin > 0) {
      std::memmove(buf.data(), buf.data() + begin, available());
      end -= begin;
      begin = 0;
    }
    for (;;) {
      const ssize_t got = ::read(fd, buf.data() + end, buf.size() - end);
      if (got > 0) {
        end += static_cast<std::size_t>(got);
        return true;
      }
      if (got == 0) {
        eof = true;
        return false;
      }
      if (errno != EINTR) throw IoError("cannot read '" + name + "': " + std::strerror(errno));
    }
  }
  ~Raw() {
    if (z_ready) inflateEnd(&z);
    if (own && fd >= 0) ::close(fd);
  }
};

InputStream::InputStream(const std::string& path) : raw_(new Raw) {
  is_stdin_ = path == "-";
  name_ = is_stdin_ ? std::string("<stdin>") : path;
  raw_->fd = STDIN_FILENO;
  if (!is_stdin_) {
    raw_->fd = ::open(path.c_str(), O_RDONLY);
    if (raw_->fd < 0) {
      delete raw_;
      throw IoError("cannot open input file '" + path + "': " + std::strerror(errno));
    }
    raw_->own = true;
  }
  struct stat st {};
  if (::fstat(raw_->fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      delete raw_;
      throw IoError("cannot read '" + name_ + "': it is a directory, not a file");
    }
    regular_ = S_ISREG(st.st_mode);
    if (regular_) size_ = static_cast<std::int64_t>(st.st_size);
  }
  try {
    while (raw_->available() < 2 && raw_->fill(name_)) {
    }
  } catch (...) {
    delete raw_;
    throw;
  }
  gzip_ = raw_->available() >= 2 && raw_->buf[0] == 0x1f && raw_->buf[1] == 0x8b;
  if (gzip_) {
    if (inflateInit2(&raw_->z, 16 + MAX_WBITS) != Z_OK) {
      delete raw_;
      throw IoError("cannot open '" + name_ + "' for reading (out of memory in zlib)");
    }
    raw_->z_ready = raw_->in_member = true;
  }
}

InputStream::~InputStream() { delete raw_; }

std::size_t InputStream::read(char* buffer, std::size_t n) {
  return gzip_ ? read_gzip(buffer, n) : read_plain(buffer, n);
}

std::size_t InputStream::read_plain(char* buffer, std::size_t n) {
  if (raw_->available() == 0 && !raw_->fill(name_)) return 0;
  const std::size_t k = std::min(n, raw_->available());
  std::memcpy(buffer, raw_->buf.data() + raw_->begin, k);
  raw_->begin += k;
  raw_->consumed += static_cast<std::int64_t>(k);
  return k;
}

bool InputStream::next_member() {
  while (raw_->available() < 2 && raw_->fill(name_)) {
  }
  if (raw_->available() == 0) return false;
  const unsigned char* p = raw_->buf.data() + raw_->begin;
  if (raw_->available() < 2 || p[0] != 0x1f || p[1] != 0x8b)
    throw data_error(name_ + ": trailing data after the compressed stream (" +
                     std::to_string(raw_->consumed) + " bytes of gzip data are followed by "
                     "bytes that are not gzip data); remove what was appended, or compress "
                     "the whole file");
  inflateReset(&raw_->z);
  raw_->in_member = true;
  return true;
}

std::size_t InputStream::read_gzip(char* buffer, std::size_t n) {
  z_stream& z = raw_->z;
  for (;;) {
    if (!raw_->in_member && !next_member()) return 0;
    if (raw_->available() == 0 && !raw_->fill(name_))
      throw data_error(name_ + ": not a readable gzip file (the compressed stream ends early); "
                       "is the file complete?");
    z.next_in = raw_->buf.data() + raw_->begin;
    z.avail_in = static_cast<uInt>(raw_->available());
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const uInt before = z.avail_in, room = z.avail_out;
    const int rc = inflate(&z, Z_NO_FLUSH);
    raw_->begin += before - z.avail_in;
    raw_->consumed += static_cast<std::int64_t>(before - z.avail_in);
    if (rc == Z_STREAM_END) raw_->in_member = false;
    else if (rc != Z_OK && rc != Z_BUF_ERROR)
      throw data_error(name_ + ": not a readable gzip file (" +
                       std::string(z.msg != nullptr ? z.msg : "damaged data") +
                       "); is the file complete?");
    const std::size_t produced = room - z.avail_out;
    if (produced > 0) return produced;
  }
}

double InputStream::fraction_done() const {
  if (size_ <= 0) return -1.0;
  return std::min(1.0, static_cast<double>(raw_->consumed) / static_cast<double>(size_));
}

}  // namespace rddist::cli
