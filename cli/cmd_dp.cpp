// cmd_dp.cpp — `rddist dp`: distributional dynamic programming on a finite MDP given as a
// transitions CSV (doc/ddp.md §6): rows state, action, prob, reward, next_state
// (next_state empty or NA for termination; labels are any text, but no state is called NA).
// Errors in the file name its lines, like the CSV reader's. Writes the policy table
// (state, time, stock, action) as CSV and a JSON summary with the goal's value by DP and
// re-evaluated with the true stock. The solver lives in the core (rddist/ddp/); the summary
// reports values and expected returns, so the command does not ask for return laws. An
// output path naming the transitions file (under any spelling) is refused before any work.
#include <CLI/CLI.hpp>

#include <cctype>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>

#include "arguments.h"
#include "cli_errors.h"
#include "commands.h"
#include "csv_reader.h"
#include "numbers.h"
#include "output.h"
#include "output_files.h"
#include "progress.h"
#include "rddist/ddp/applications.h"
#include "rddist/error.h"
#include "rddist/version.h"
#include "stopwatch.h"

namespace rddist::cli {
namespace {

struct DpOptions {
  std::string transitions, out = "-", json;
  double gamma = 1.0;
  unsigned horizon = 0;
  std::string goal = "mean", representation = "auto", stock = "auto",
              rounding = "stochastic", method = "value_iteration", evaluation = "auto",
              start_state;
  unsigned atoms = 101, stock_points = 201, max_iterations = 10000, episodes = 10000;
  double tolerance = 1e-8;
  std::uint64_t seed = 1;
  bool force = false, quiet = false;
};

const char* const kDpExamples = R"(Examples:
  # probability of a return of at least 8, exact enumeration of the reachable stocks
  rddist dp --transitions t3.csv --gamma 1 --goal success:8 --representation exact

  # CVaR at 25% with a global search over the initial stock, categorical laws
  rddist dp --transitions mdp.csv --gamma 0.95 --goal cvar:0.25 --atoms 101 \
      --out policy.csv --json summary.json

  # homeostasis: stay close to a target return of 7
  rddist dp --transitions mdp.csv --gamma 0.9 --goal homeostatic:7

The transitions CSV has the columns state, action, prob, reward, next_state (empty or NA
when the episode ends). Goals: mean, success:B, cvar:TAU, mean_cvar:LAMBDA,TAU,
homeostatic:TARGET[,P], quantile:TAU, hinge:W_LEFT,W_RIGHT[,C0], exponential:BETA[,C0]
(refused when greedy dynamic programming cannot optimise it, unless --force).

Exit codes: 0 ok, 1 usage error, 2 data error, 3 numerical error, 4 file error,
5 out of memory or internal error.)";

// The builder numbers the transitions from 1 ("row K: ..."), the CSV reader names file
// lines: an error about row K becomes "<file>:<line of row K>: ...", any other builder or
// MDP error "<file>: ...". Both are data errors: the content of the file is at fault.
rddist::data_error in_file_terms(const rddist::error& e, const std::string& file,
                                 const std::vector<std::uint64_t>& lines) {
  const std::string& text = e.text();
  std::size_t end = 4;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (text.compare(0, 4, "row ") == 0 && end > 4 && text.compare(end, 2, ": ") == 0) {
    const std::size_t k = std::stoull(text.substr(4, end - 4));
    if (k >= 1 && k <= lines.size())
      return rddist::data_error(file + ":" + std::to_string(lines[k - 1]) + ": " +
                                text.substr(end + 2));
  }
  return rddist::data_error(file + ": " + text);
}

ddp::Mdp read_mdp(const DpOptions& o) {
  CsvReader csv(o.transitions);
  const std::size_t c_state = csv.column("state", "--transitions");
  const std::size_t c_action = csv.column("action", "--transitions");
  const std::size_t c_prob = csv.column("prob", "--transitions");
  const std::size_t c_reward = csv.column("reward", "--transitions");
  const std::size_t c_next = csv.column("next_state", "--transitions");
  ddp::MdpBuilder builder;
  std::vector<std::uint64_t> lines;  // the file line of each builder row
  while (csv.next()) {
    auto number = [&](std::size_t column, const char* name) {
      double v = 0.0;
      const NumberStatus status = parse_number(csv.field(column), v);
      if (status != NumberStatus::ok)
        throw rddist::data_error(csv.where() + "column '" + name + "' " + describe_status(status) +
                                 " ('" + std::string(csv.field(column)) + "')");
      return v;
    };
    const std::string state(csv.field(c_state)), next(csv.field(c_next));
    // NA in next_state ends the episode, so a state called NA could never be entered.
    if (state == "NA")
      throw rddist::data_error(csv.where() + "a state is called 'NA', but next_state NA means "
                               "that the episode ends, so that state could never be reached; "
                               "rename it");
    std::optional<std::string> next_state;
    if (!next.empty() && next != "NA") next_state = next;
    builder.add(state, std::string(csv.field(c_action)), number(c_prob, "prob"),
                number(c_reward, "reward"), next_state);
    lines.push_back(csv.line());
  }
  if (builder.n_rows() == 0)
    throw rddist::data_error(csv.file() + ": the transitions file has a header but no rows");
  try {
    return builder.build(o.gamma, o.horizon, "dp");
  } catch (const rddist::error& e) {
    throw in_file_terms(e, csv.file(), lines);
  }
}

// Converts a usage mistake in an option value into a UsageError naming the option.
template <typename F>
auto option_value(const char* option, F parse) {
  try {
    return parse();
  } catch (const rddist::error& e) {
    throw UsageError(std::string(option) + ": " + cli_message(e.text()));
  }
}

std::string policy_csv(const ddp::GoalResult& r) {
  std::ostringstream out;
  out << "state,time,stock,action\n";
  for (const ddp::LabelledPolicyRow& row : ddp::labelled_policy(r.solution))
    out << csv_quote(row.state) << ',' << row.time << ','
        << format_number(row.stock == 0.0 ? 0.0 : row.stock) << ','  // never "-0"
        << csv_quote(row.action) << '\n';
  return out.str();
}

nlohmann::ordered_json summary_json(const ddp::GoalResult& r, const DpOptions& o, double seconds,
                                    const std::vector<std::string>& warnings) {
  nlohmann::ordered_json j;
  j["rddist"] = {{"version", rddist::version()}, {"command", "dp"}};
  j["input"] = {{"transitions", o.transitions}, {"gamma", o.gamma}, {"horizon", o.horizon}};
  nlohmann::ordered_json s;
  for (const ddp::SummaryField& f : ddp::summary_fields(r)) {
    if (f.is_bool) s[f.key] = f.value == "true";
    else if (f.is_integer) s[f.key] = static_cast<std::uint64_t>(std::stoull(f.value));
    else if (f.is_number) {
      double v = 0.0;
      s[f.key] = parse_number(f.value, v) == NumberStatus::ok ? nlohmann::ordered_json(v)
                                                              : nlohmann::ordered_json(nullptr);
    } else {
      s[f.key] = f.value;
    }
  }
  j["summary"] = s;
  j["timings_seconds"] = {{"total", seconds}};
  j["warnings"] = warnings;
  return j;
}

int run_dp(const DpOptions& o) {
  Stopwatch total;
  if (o.transitions.empty()) throw UsageError("--transitions: give the transitions CSV");
  if (!(o.gamma > 0.0 && o.gamma <= 1.0)) throw UsageError("--gamma must lie in (0, 1]");
  ddp::GoalOptions g;
  const ddp::Goal goal = option_value("--goal", [&] { return ddp::parse_goal(o.goal); });
  g.solve.representation =
      option_value("--representation", [&] { return ddp::parse_representation(o.representation); });
  g.solve.atoms = o.atoms;
  g.solve.stock_mode = option_value("--stock", [&] { return ddp::parse_stock_mode(o.stock); });
  g.solve.stock_points = o.stock_points;
  g.solve.rounding = option_value("--rounding", [&] { return ddp::parse_rounding(o.rounding); });
  g.solve.algorithm = option_value("--method", [&] { return ddp::parse_algorithm(o.method); });
  g.solve.max_iterations = o.max_iterations;
  g.solve.tolerance = o.tolerance;
  g.solve.force = o.force;
  g.evaluation =
      option_value("--evaluation", [&] { return ddp::parse_true_stock_method(o.evaluation); });
  g.monte_carlo.episodes = o.episodes;
  g.monte_carlo.seed = o.seed;
  g.laws = false;  // the outputs report values and expected returns only
  check_outputs(o.transitions, "--transitions", {{o.out, "--out"}, {o.json, "--json"}},
                "transitions file");
  check_writable(o.out, "--out");
  check_writable(o.json, "--json");

  std::vector<std::string> warnings;
  ProgressBar bar(!o.quiet);
  const Hooks hooks = bar.hooks([&](const std::string& message) {
    const std::string text = cli_message(message);  // the core's tokens as options
    warnings.push_back(text);
    if (!o.quiet) std::fprintf(stderr, "rddist: warning: %s\n", text.c_str());
  });
  const ddp::Mdp mdp = read_mdp(o);
  if (!o.start_state.empty()) {
    bool found = false;
    for (arma::uword x = 0; x < mdp.n_states() && !found; ++x)
      if (mdp.state_label(x) == o.start_state) {
        g.solve.start_state = x;
        found = true;
      }
    if (!found) throw UsageError("--start-state: no state '" + o.start_state + "' in the transitions");
  }
  const ddp::GoalResult result = ddp::solve_goal(mdp, goal, g, hooks);
  bar.clear();
  OutputBatch outputs;
  outputs.add(o.out, policy_csv(result));
  if (!o.json.empty())
    outputs.add(o.json, summary_json(result, o, total.seconds(), warnings).dump(2) + "\n");
  outputs.commit();
  return kExitOk;
}

}  // namespace

Command add_dp_command(CLI::App& parent) {
  auto o = std::make_shared<DpOptions>();
  CLI::App* app = parent.add_subcommand(
      "dp", "Optimise a criterion of the return distribution of a finite MDP (distributional DP)");
  app->add_option("--transitions", o->transitions,
                  "CSV with columns state, action, prob, reward, next_state ('-': standard input)")
      ->required()
      ->check(file_name());
  app->add_option("--gamma", o->gamma, "Discount factor in (0, 1]")->required();
  app->add_option("--horizon", o->horizon, "Finite horizon (0: none; needed for gamma = 1 "
                                           "unless every episode ends)");
  app->add_option("--goal", o->goal, "What to optimise (default: mean; see the examples)");
  app->add_option("--representation", o->representation,
                  "Return laws: auto (default: exact where stocks are enumerated, else "
                  "categorical), exact, categorical or quantile");
  app->add_option("--atoms", o->atoms, "Atoms of categorical/quantile laws (default: 101)");
  app->add_option("--stock", o->stock, "Stock handling: auto (default), exact or grid");
  app->add_option("--stock-points", o->stock_points, "Evenly spaced points of the stock grid (default: 201; the start stock is added when it "
                  "falls between two)");
  app->add_option("--rounding", o->rounding, "Off-grid stocks: stochastic (default) or nearest");
  app->add_option("--method", o->method, "value_iteration (default) or policy_iteration");
  app->add_option("--tolerance", o->tolerance, "Convergence tolerance (default: 1e-8)");
  app->add_option("--max-iterations", o->max_iterations, "Iteration cap (default: 10000)");
  app->add_option("--start-state", o->start_state, "Label of the start state (default: the first)");
  app->add_option("--evaluation", o->evaluation,
                  "Re-evaluation with the true stock: auto (default), exact, monte_carlo, none");
  app->add_option("--episodes", o->episodes, "Monte Carlo episodes (default: 10000)");
  app->add_option("--seed", o->seed, "Seed of the Monte Carlo evaluation (default: 1)");
  app->add_flag("--force", o->force,
                "Solve a goal greedy DP cannot optimise anyway (with a warning)");
  app->add_option("--out", o->out, "Policy CSV: state,time,stock,action (default: standard output)")
      ->check(file_name());
  app->add_option("--json", o->json, "JSON summary: values, start stock, iterations, warnings")
      ->check(file_name());
  app->add_flag("--quiet", o->quiet, "No progress and no warnings on standard error");
  app->footer(kDpExamples);
  return Command{app, [o] { return run_dp(*o); }};
}

}  // namespace rddist::cli
