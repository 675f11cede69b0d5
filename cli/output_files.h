// output_files.h — safe output files: never the input, never each other, all or nothing.
//
// check_outputs() refuses, before any work, an output path that names the input file or
// another output (the same path, or the same file reached through another spelling or a
// link). StagedFile writes one output to a temporary file in the target's folder and
// renames it onto the target only on commit(); a StagedFile that is never committed
// removes its temporary, so an existing target is left untouched. OutputBatch stages every
// output of a run and commits them together once all were written. Standard output ("-")
// and targets that are not regular files (/dev/stdout, a pipe) cannot be renamed onto:
// they are written directly at commit time: named ones before the renames (a failure
// there leaves every file as it was), standard output after them, so that a reader that
// stops early (`| head`) costs the standard output only, never the files.
#ifndef RDDIST_CLI_OUTPUT_FILES_H
#define RDDIST_CLI_OUTPUT_FILES_H

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace rddist::cli {

// Whether two paths name the same file: by identity when both exist, else by their
// normalised absolute forms.
bool same_file(const std::string& a, const std::string& b);

struct OutputPath {
  std::string path;    // "" (not asked for) and "-" (standard output) are never checked
  std::string option;  // "--out", "--json", ...
};

// Throws UsageError when an output names the input (given by `input_option`) or another
// output. `input` "-" (standard input) is never an output's file. `input_name` is how
// messages call the input ("input file", "transitions file").
void check_outputs(const std::string& input, const std::string& input_option,
                   const std::vector<OutputPath>& outputs,
                   const std::string& input_name = "input file");

// One output written to a temporary file next to `path` ("-": standard output, written
// in place). Every failure is an IoError naming the target.
class StagedFile {
 public:
  explicit StagedFile(const std::string& path);
  ~StagedFile();  // removes the temporary unless committed
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  void write(const char* data, std::size_t n);
  // Closes the file; then renames the temporary onto the target (or flushes stdout).
  void close();
  void commit();
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(int err) const;
  std::string path_, temp_;  // temp_ empty: written in place
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// Every output of a run: add() stages each; commit() writes the named targets that cannot
// be staged, renames the files onto theirs, then writes standard output. Destroyed uncommitted, it leaves every target as it was.
class OutputBatch {
 public:
  void add(const std::string& path, const std::string& content);
  void commit();

 private:
  std::vector<std::unique_ptr<StagedFile>> staged_;
  std::vector<std::pair<std::string, std::string>> direct_;  // path, content
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_OUTPUT_FILES_H
