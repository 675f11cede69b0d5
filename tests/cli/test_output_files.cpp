// Tests of output_files.h: outputs naming the input or each other are refused, and a run
// whose outputs cannot all be written leaves every target as it was, with no temporaries.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_errors.h"
#include "output_files.h"

using namespace rddist::cli;
namespace fs = std::filesystem;

namespace {

// A scratch folder, removed with its content when the object dies.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    char name[] = "/tmp/rddist_out_test_XXXXXX";
    path = ::mkdtemp(name);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string at(const std::string& name) const { return (path / name).string(); }
};

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string get(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace

TEST_CASE("an output naming the input, under any spelling, is refused", "[output]") {
  ScratchDir d;
  put(d.at("in.csv"), "unit,x,y\n");
  fs::create_directory(d.path / "sub");
  fs::create_symlink(d.at("in.csv"), d.at("link.csv"));
  const std::string in = d.at("in.csv");
  CHECK_THROWS_AS(check_outputs(in, "input", {{in, "--out"}}), UsageError);
  CHECK_THROWS_WITH(check_outputs(in, "input", {{d.at("sub/../in.csv"), "--json"}}),
                    Catch::Contains("--json: ") && Catch::Contains("is the input file"));
  CHECK_THROWS_WITH(check_outputs(in, "input", {{"-", "--out"}, {d.at("link.csv"), "--plot"}}),
                    Catch::Contains("--plot: "));
  CHECK_NOTHROW(check_outputs(in, "input", {{"-", "--out"}, {d.at("new.csv"), "--json"}, {"", "--plot"}}));
  CHECK_NOTHROW(check_outputs("-", "input", {{in, "--out"}}));
}

TEST_CASE("two outputs naming the same file are refused", "[output]") {
  ScratchDir d;
  CHECK_THROWS_WITH(check_outputs("-", "input", {{d.at("a.csv"), "--out"}, {d.at("./a.csv"), "--json"}}),
                    Catch::Contains("--json: ") && Catch::Contains("is also the --out file"));
  CHECK_NOTHROW(check_outputs("-", "input", {{"-", "--out"}, {"-", "--json"}}));
}

TEST_CASE("outputs are renamed onto their targets only once all were written", "[output]") {
  ScratchDir d;
  put(d.at("old.csv"), "old\n");
  {
    OutputBatch batch;
    batch.add(d.at("old.csv"), "new\n");
    batch.add(d.at("fresh.json"), "{}\n");
    CHECK(get(d.at("old.csv")) == "old\n");  // staged, not yet renamed
    CHECK(!fs::exists(d.at("fresh.json")));
    batch.commit();
  }
  CHECK(get(d.at("old.csv")) == "new\n");
  CHECK(get(d.at("fresh.json")) == "{}\n");
  CHECK(entries(d.path) == 2);  // no temporaries left
}

TEST_CASE("a failed output leaves existing targets untouched and no temporaries", "[output]") {
  ScratchDir d;
  put(d.at("old.csv"), "old\n");
  {
    OutputBatch batch;
    batch.add(d.at("old.csv"), "new\n");
    CHECK_THROWS_AS(batch.add(d.at("missing/r.json"), "{}\n"), IoError);
  }
  CHECK(get(d.at("old.csv")) == "old\n");
  CHECK(entries(d.path) == 1);
  if (fs::exists("/dev/full")) {  // a device is written in place, at commit, before renames
    {
      OutputBatch batch;
      batch.add(d.at("old.csv"), "new\n");
      batch.add("/dev/full", "{}\n");
      CHECK_THROWS_AS(batch.commit(), IoError);
    }
    CHECK(get(d.at("old.csv")) == "old\n");
    CHECK(entries(d.path) == 1);
  }
}

TEST_CASE("a staged file keeps the permissions of the file it replaces", "[output]") {
  ScratchDir d;
  put(d.at("p.csv"), "old\n");
  fs::permissions(d.at("p.csv"), fs::perms(0640));
  {
    StagedFile f(d.at("p.csv"));
    f.write("new\n", 4);
    f.commit();
  }
  CHECK((fs::status(d.at("p.csv")).permissions() & fs::perms::all) == fs::perms(0640));
  CHECK(get(d.at("p.csv")) == "new\n");
}
