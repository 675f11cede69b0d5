// temp_file.h — scratch files for the CLI unit tests (removed when the object dies).
#ifndef RDDIST_TESTS_CLI_TEMP_FILE_H
#define RDDIST_TESTS_CLI_TEMP_FILE_H

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/rddist_cli_test_XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) std::abort();
    path_ = name;
    std::size_t done = 0;
    while (done < content.size()) {
      const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

#endif  // RDDIST_TESTS_CLI_TEMP_FILE_H
