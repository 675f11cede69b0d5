// cmd_simulate.cpp — `rddist simulate`: the paper's DGP1/DGP2 as a long CSV (unit,x,y[,t]).
//
// For demos, tests and benchmarks: rows are written unit by unit (grouped, streamed with
// constant memory), or with --shuffle in a random order (all rows are held in memory,
// 12 bytes each, then permuted by Fisher–Yates with a generator of its own, so the
// shuffled file holds exactly the rows of the unshuffled one). Unit keys are u0001, u0002,
// ... zero-padded so that their byte order is their numeric order.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cli_errors.h"
#include "commands.h"
#include "numbers.h"
#include "output.h"
#include "output_files.h"
#include "progress.h"
#include "simulate_dgp.h"
#include "rddist/rng.h"

namespace rddist::cli {
namespace {

struct SimulateOptions {
  DgpSpec spec;
  std::string out = "-";
  bool shuffle = false;
  bool quiet = false;
};

const char* const kSimulateExamples = R"(Examples:
  # DGP1 with a constant effect of 1.14, 500 units of 50 draws
  rddist simulate --dgp 1 --n 500 --draws 50 --delta 1.14 --seed 1 --out dgp1.csv

  # DGP2 (heterogeneous effect), rows in random order, compressed on the fly
  rddist simulate --dgp 2 --n 1000 --delta 1 --delta-lambda 0.5 --shuffle | gzip > dgp2.csv.gz

  # fuzzy design: a treatment column t, P(t = 1) = 0.1 below and 0.9 above the cutoff
  rddist simulate --dgp 1 --delta 2 --fuzzy --out fuzzy.csv
  rddist estimate fuzzy.csv --treatment t --bandwidth 0.5 --bandwidth-treatment 0.5

Exit codes: 0 ok, 1 usage error, 4 file error.)";

// Buffered output to a file (through a temporary renamed onto it by close(), so a failed
// run leaves no partial file) or stdout; every failure is an IoError.
class Sink {
 public:
  explicit Sink(const std::string& path) : file_(path) { buffer_.reserve(kFlushBytes + 4096); }
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  void flush() {
    file_.write(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  void close() {
    flush();
    file_.commit();
  }

 private:
  static constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
  StagedFile file_;
  std::string buffer_;
};

std::string unit_label(std::uint64_t i, int width) {
  std::string digits = std::to_string(i + 1);
  return "u" + std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(digits.size()))), '0') + digits;
}

int run_simulate(const SimulateOptions& o) {
  check_dgp(o.spec);
  const std::uint64_t rows = o.spec.units * o.spec.draws;
  if (o.shuffle && rows > 2000000000ull)
    throw UsageError("--shuffle holds every row in memory; at most 2e9 rows (got " +
                     std::to_string(rows) + ")");
  check_writable(o.out, "--out");
  ProgressBar bar(!o.quiet);
  Sink out(o.out);
  const int width = static_cast<int>(std::to_string(o.spec.units).size());
  const bool fuzzy = o.spec.fuzzy;
  out.buffer() += fuzzy ? "unit,x,y,t\n" : "unit,x,y\n";

  if (!o.shuffle) {
    std::string prefix;
    simulate_dgp(o.spec, [&](std::uint64_t i, double x, int t, const double* y, std::size_t n) {
      prefix = unit_label(i, width) + ",";
      append_number(prefix, x);
      prefix += ',';
      std::string& b = out.buffer();
      for (std::size_t k = 0; k < n; ++k) {
        b += prefix;
        append_number(b, y[k]);
        if (fuzzy) b += t ? ",1" : ",0";
        b += '\n';
        out.maybe_flush();
      }
      if (i % 4096 == 0) bar.update("simulating", static_cast<double>(i) / o.spec.units);
    });
  } else {
    std::vector<double> xs(o.spec.units);
    std::vector<char> ts(o.spec.units);
    std::vector<std::uint32_t> unit(rows);
    std::vector<double> value(rows);
    std::size_t r = 0;
    simulate_dgp(o.spec, [&](std::uint64_t i, double x, int t, const double* y, std::size_t n) {
      xs[i] = x;
      ts[i] = static_cast<char>(t > 0);
      for (std::size_t k = 0; k < n; ++k, ++r) {
        unit[r] = static_cast<std::uint32_t>(i);
        value[r] = y[k];
      }
      if (i % 4096 == 0) bar.update("simulating", 0.5 * static_cast<double>(i) / o.spec.units);
    });
    // A stream of its own (beyond every unit's) for the permutation keeps the rows
    // themselves seed-identical.
    RandomStream shuffler(o.spec.seed, ~std::uint64_t{0});
    for (std::size_t k = rows; k > 1; --k) {
      const std::size_t j = static_cast<std::size_t>(shuffler.uniform() * static_cast<double>(k));
      std::swap(unit[k - 1], unit[j]);
      std::swap(value[k - 1], value[j]);
    }
    std::vector<std::string> label(o.spec.units);
    for (std::uint64_t i = 0; i < o.spec.units; ++i) {
      label[i] = unit_label(i, width) + ",";
      append_number(label[i], xs[i]);
      label[i] += ',';
    }
    for (std::size_t k = 0; k < rows; ++k) {
      std::string& b = out.buffer();
      b += label[unit[k]];
      append_number(b, value[k]);
      if (fuzzy) b += ts[unit[k]] ? ",1" : ",0";
      b += '\n';
      out.maybe_flush();
      if (k % 262144 == 0) bar.update("writing", 0.5 + 0.5 * static_cast<double>(k) / rows);
    }
  }
  out.close();
  bar.clear();
  return kExitOk;
}

}  // namespace

Command add_simulate_command(CLI::App& parent) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* app = parent.add_subcommand(
      "simulate", "Write the paper's DGP1/DGP2 as a long CSV (unit,x,y[,t]), cutoff 0");
  app->add_option("--dgp", o->spec.dgp, "Design: 1 (constant effect) or 2 (heterogeneous)");
  app->add_option("--n", o->spec.units, "Number of units (default: 500)");
  app->add_option("--draws", o->spec.draws, "Draws per unit (default: 50)");
  app->add_option("--delta", o->spec.delta, "Shift Δ of the treated units' mean (default: 0)");
  app->add_option("--delta-lambda", o->spec.delta_lambda,
                  "DGP2: shift Δ_λ of the treated units' exponential rate (default: 0.5)");
  app->add_option("--seed", o->spec.seed, "Seed (default: 1)");
  app->add_flag("--fuzzy", o->spec.fuzzy,
                "Add a treatment column t with P(t = 1) = 0.1 + 0.8·1{x >= 0}; only treated "
                "units shift");
  app->add_flag("--shuffle", o->shuffle, "Write the rows in random order (held in memory)");
  app->add_option("--out", o->out, "Output CSV (default: standard output)")
      ->check(file_name());
  app->add_flag("--quiet", o->quiet, "No progress bar on standard error");
  app->footer(kSimulateExamples);
  return Command{app, [o] { return run_simulate(*o); }};
}

}  // namespace rddist::cli
