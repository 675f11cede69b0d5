// cmd_dp.cpp — `rddist dp`: distributional dynamic programming on a finite MDP given as a
// transitions CSV (doc/ddp.md §6): rows state, action, prob, reward, next_state
// (next_state empty or NA for termination; labels are any text). Writes the policy table
// (state, time, stock, action) as CSV and a JSON summary with the goal's value by DP and
// re-evaluated with the true stock. The solver lives in the core (rddist/ddp/); the summary
// reports values and expected returns, so the command does not ask for return laws. An
// output path naming the transitions file (under any spelling) is refused before any work.
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <sstream>

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

ddp::Mdp read_mdp(const DpOptions& o) {
  CsvReader csv(o.transitions);
  const std::size_t c_state = csv.column("state", "--transitions");
  const std::size_t c_action = csv.column("action", "--transitions");
  const std::size_t c_prob = csv.column("prob", "--transitions");
  const std::size_t c_reward = csv.column("reward", "--transitions");
  const std::size_t c_next = csv.column("next_state", "--transitions");
  ddp::MdpBuilder builder;
  while (csv.next()) {
    auto number = [&](std::size_t column, const char* name) {
      double v = 0.0;
      const NumberStatus status = parse_number(csv.field(column), v);
      if (status != NumberStatus::ok)
        throw rddist::data_error(csv.where() + "column '" + name + "' " + describe_status(status) +
                                 " ('" + std::string(csv.field(column)) + "')");
      return v;
    };
    const std::string next(csv.field(c_next));
    std::optional<std::string> next_state;
    if (!next.empty() && next != "NA") next_state = next;
    builder.add(std::string(csv.field(c_state)), std::string(csv.field(c_action)),
                number(c_prob, "prob"), number(c_reward, "reward"), next_state);
  }
  if (builder.n_rows() == 0)
    throw rddist::data_error(csv.file() + ": the transitions file has a header but no rows");
  return builder.build(o.gamma, o.horizon, "dp");
}

// Converts a usage mistake in an option value into a UsageError naming the option.
template <typename F>
auto option_value(const char* option, F parse) {
  try {
    return parse();
  } catch (const rddist::error& e) {
    throw UsageError(std::string(option) + ": " + e.what());
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
    warnings.push_back(message);
    if (!o.quiet) std::fprintf(stderr, "rddist: warning: %s\n", message.c_str());
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
      ->required();
  app->add_option("--gamma", o->gamma, "Discount factor in (0, 1]")->required();
  app->add_option("--horizon", o->horizon, "Finite horizon (0: none; needed for gamma = 1 "
                                           "unless every episode ends)");
  app->add_option("--goal", o->goal, "What to optimise (default: mean; see the examples)");
  app->add_option("--representation", o->representation,
                  "Return laws: auto (default: exact where stocks are enumerated, else "
                  "categorical), exact, categorical or quantile");
  app->add_option("--atoms", o->atoms, "Atoms of categorical/quantile laws (default: 101)");
  app->add_option("--stock", o->stock, "Stock handling: auto (default), exact or grid");
  app->add_option("--stock-points", o->stock_points, "Points of the stock grid (default: 201)");
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
  app->add_option("--out", o->out, "Policy CSV: state,time,stock,action (default: standard output)");
  app->add_option("--json", o->json, "JSON summary: values, start stock, iterations, warnings");
  app->add_flag("--quiet", o->quiet, "No progress and no warnings on standard error");
  app->footer(kDpExamples);
  return Command{app, [o] { return run_dp(*o); }};
}

}  // namespace rddist::cli
