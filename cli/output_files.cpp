// output_files.cpp — outputs checked against the input, staged and renamed (see output_files.h).
#include "output_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli_errors.h"

namespace rddist::cli {
namespace {

bool is_file(const std::string& p) { return !p.empty() && p != "-"; }

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Targets that exist and are not regular files (devices, pipes) are written in place.
bool written_in_place(const std::string& path) {
  struct stat st {};
  return path == "-" || (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode));
}

// The permissions of a new file (0666 less the umask), or those of the file replaced.
mode_t mode_for(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return st.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool same = fs::equivalent(a, b, ec);
    if (!ec) return same;
  }
  const fs::path pa = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path pb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return !ec && pa == pb;
}

void check_outputs(const std::string& input, const std::string& input_option,
                   const std::vector<OutputPath>& outputs, const std::string& input_name) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const OutputPath& o = outputs[i];
    if (!is_file(o.path)) continue;
    if (is_file(input) && same_file(o.path, input))
      throw UsageError(o.option + ": '" + o.path + "' is the " + input_name + " (" + input_option +
                       " '" + input + "'); writing it would destroy the input; give another file name");
    for (std::size_t k = 0; k < i; ++k)
      if (is_file(outputs[k].path) && same_file(o.path, outputs[k].path))
        throw UsageError(o.option + ": '" + o.path + "' is also the " + outputs[k].option +
                         " file; give two different file names");
  }
}

StagedFile::StagedFile(const std::string& path) : path_(path) {
  if (path == "-") {
    file_ = stdout;
    return;
  }
  if (written_in_place(path)) {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) fail(errno);
    return;
  }
  std::string name = folder_of(path) + "/." + base_of(path) + ".rddist-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail(errno);
  temp_ = name;
  ::fchmod(fd, mode_for(path));
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const int err = errno;
    ::close(fd);
    fail(err);
  }
}

StagedFile::~StagedFile() {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (!committed_ && !temp_.empty()) std::remove(temp_.c_str());
}

void StagedFile::write(const char* data, std::size_t n) {
  if (n > 0 && std::fwrite(data, 1, n, file_) != n) fail(errno);
}

void StagedFile::close() {
  if (file_ == nullptr) return;
  if (file_ == stdout) {
    file_ = nullptr;
    if (std::fflush(stdout) != 0) fail(errno);
    return;
  }
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fflush(f) != 0) {
    const int err = errno;
    std::fclose(f);
    fail(err);
  }
  if (std::fclose(f) != 0) fail(errno);
}

void StagedFile::commit() {
  close();
  if (!temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0) fail(errno);
  committed_ = true;
}

void StagedFile::fail(int err) const {
  if (path_ == "-") throw IoError("cannot write to standard output: " + std::string(std::strerror(err)));
  throw IoError("cannot write '" + path_ + "': " + std::strerror(err));
}

void OutputBatch::add(const std::string& path, const std::string& content) {
  if (path.empty()) return;
  if (written_in_place(path)) {
    direct_.emplace_back(path, content);
    return;
  }
  staged_.push_back(std::make_unique<StagedFile>(path));
  staged_.back()->write(content.data(), content.size());
  staged_.back()->close();
}

void OutputBatch::commit() {
  auto write_direct = [this](bool standard_output) {
    for (const auto& [path, content] : direct_) {
      if ((path == "-") != standard_output) continue;
      StagedFile f(path);
      f.write(content.data(), content.size());
      f.commit();
    }
  };
  write_direct(false);  // devices and pipes by name: a failure still leaves the files as they were
  for (const auto& f : staged_) f->commit();
  staged_.clear();
  write_direct(true);  // last: a reader that stops early costs this output only
  direct_.clear();
}

}  // namespace rddist::cli
