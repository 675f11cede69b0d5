// output.cpp — writing the result CSV and the JSON report (see output.h).
#include "output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli_errors.h"
#include "numbers.h"
#include "rddist/version.h"

namespace rddist::cli {
namespace {

std::string parent_dir(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

double at(const arma::vec& v, arma::uword j) {
  return j < v.n_elem ? v[j] : std::numeric_limits<double>::quiet_NaN();
}

nlohmann::ordered_json vec_json(const arma::vec& v) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (double x : v) a.push_back(x);
  return a;
}

}  // namespace

void check_writable(const std::string& path, const std::string& option) {
  if (path.empty() || path == "-") return;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw IoError(option + ": '" + path + "' is a directory; give a file name");
    if (::access(path.c_str(), W_OK) != 0)
      throw IoError(option + ": cannot write '" + path + "': " + std::strerror(errno));
    return;
  }
  const std::string dir = parent_dir(path);
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw IoError(option + ": cannot write '" + path + "': the directory '" + dir +
                  "' does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw IoError(option + ": cannot write '" + path + "': " + std::strerror(errno));
}

void write_text(const std::string& path, const std::string& content) {
  if (path == "-") {
    const std::size_t n = std::fwrite(content.data(), 1, content.size(), stdout);
    if (n != content.size() || std::fflush(stdout) != 0)
      throw IoError("cannot write to standard output: " + std::string(std::strerror(errno)));
    return;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw IoError("cannot write '" + path + "': " + std::strerror(errno));
  const std::size_t n = std::fwrite(content.data(), 1, content.size(), f);
  const int err = (n != content.size()) ? errno : 0;
  if (std::fclose(f) != 0 || n != content.size())
    throw IoError("cannot write '" + path + "': " + std::strerror(err != 0 ? err : errno));
}

std::string result_csv(const Estimate& est, const Inference& inf) {
  const bool fuzzy = est.options.fuzzy;
  std::string out =
      "quantile,estimate,std.error,conf.low,conf.high,band.low,band.high,m_plus,m_minus,bandwidth";
  out += fuzzy ? ",bandwidth_treatment" : "";
  out += ",m_plus_raw,m_minus_raw\n";
  for (arma::uword j = 0; j < est.q_grid.n_elem; ++j) {
    const double cells[] = {est.q_grid[j],         est.tau[j],          at(inf.std_error, j),
                            at(inf.conf_low, j),   at(inf.conf_high, j), at(inf.band_low, j),
                            at(inf.band_high, j),  est.plus.curve[j],   est.minus.curve[j],
                            est.h_num[j]};
    for (std::size_t k = 0; k < std::size(cells); ++k) {
      if (k > 0) out += ',';
      append_number(out, cells[k]);
    }
    if (fuzzy) {
      out += ',';
      append_number(out, est.h_den);
    }
    out += ',';
    append_number(out, est.plus.intercept[j]);
    out += ',';
    append_number(out, est.minus.intercept[j]);
    out += '\n';
  }
  return out;
}

nlohmann::ordered_json report_json(const RunRecord& run) {
  using json = nlohmann::ordered_json;
  json r;
  r["rddist"] = {{"version", rddist::version()}, {"command", run.command}, {"arguments", run.arguments}};

  if (run.units != nullptr) {
    const UnitTable& u = *run.units;
    const ReadSummary& s = u.summary;
    json in = {{"file", s.file},
               {"format", s.format},
               {"compressed", s.compressed},
               {"read_mode", s.read_mode},
               {"rows", s.rows},
               {"rows_dropped", s.rows_dropped},
               {"units_with_dropped_rows", s.units_with_drops},
               {"units", u.x.n_elem}};
    if (s.format == "long") in["draws_per_unit"] = {{"min", s.draws_min}, {"max", s.draws_max}};
    else {
      in["quantile_columns"] = s.quantile_columns;
      in["grid_from_columns"] = s.grid_from_columns;
    }
    r["input"] = in;
  }

  if (run.settings != nullptr) {
    const Settings& st = *run.settings;
    const EstimateOptions& e = st.estimate;
    json d = {{"fuzzy", e.fuzzy},
              {"cutoff", e.cutoff},
              {"method", to_string(e.method)},
              {"kernel", to_string(e.kernel)},
              {"p", e.p},
              {"s", st.s},
              {"compat", to_string(e.compat)},
              {"quantile_type", to_int(st.quantile_type)}};
    if (run.units != nullptr) {
      d["levels"] = run.units->q_grid.n_elem;
      d["q_grid"] = vec_json(run.units->q_grid);
    }
    r["design"] = d;
  }

  if (run.units != nullptr && run.settings != nullptr) {
    const double c = run.settings->estimate.cutoff;
    const arma::vec& x = run.units->x;
    const auto above = static_cast<std::uint64_t>(arma::accu(x >= c));
    json counts = {{"units", x.n_elem}, {"below", x.n_elem - above}, {"above", above}};
    if (run.estimate != nullptr) {
      counts["in_window_below"] = run.estimate->minus.n_units;
      counts["in_window_above"] = run.estimate->plus.n_units;
    }
    if (!run.units->cluster.is_empty()) counts["clusters"] = run.units->n_clusters;
    r["counts"] = counts;
  }

  if (run.bandwidths != nullptr) {
    const BandwidthChoice& b = *run.bandwidths;
    json bw;
    if (run.estimate != nullptr) {
      const Estimate& est = *run.estimate;
      bw["outcome"] = est.common_bandwidth ? json(est.h_num[0]) : vec_json(est.h_num);
      bw["common"] = est.common_bandwidth;
      if (est.options.fuzzy) bw["treatment"] = est.h_den;
    } else {
      bw["outcome"] = b.bandwidths.num.n_elem == 1 ? json(b.bandwidths.num[0])
                                                    : vec_json(b.bandwidths.num);
      if (std::isfinite(b.bandwidths.den)) bw["treatment"] = b.bandwidths.den;
    }
    bw["selected"] = b.selected;
    if (!b.details.is_null()) bw["selection"] = b.details;
    r["bandwidths"] = bw;
  }

  if (run.estimate != nullptr && run.estimate->options.fuzzy) {
    const FirstStage& fs = run.estimate->first_stage;
    r["first_stage"] = {{"jump", fs.jump},
                        {"intercept_above", fs.plus.coef.n_elem ? fs.plus.coef(0, 0) : NAN},
                        {"intercept_below", fs.minus.coef.n_elem ? fs.minus.coef(0, 0) : NAN},
                        {"in_window_above", fs.plus.units.n_elem},
                        {"in_window_below", fs.minus.units.n_elem}};
  }

  if (run.inference != nullptr) {
    const Inference& inf = *run.inference;
    json tests = json::array();
    for (const rddist::TestResult& t : inf.tests)
      tests.push_back({{"test", to_string(t.type)},
                       {"range", {t.low, t.high}},
                       {"levels", t.levels},
                       {"statistic", t.statistic},
                       {"critical_value", t.crit_val},
                       {"p_value", t.p_value}});
    json functionals = json::array();
    for (const rddist::FunctionalResult& f : inf.functionals)
      functionals.push_back({{"functional", f.name},
                             {"above", f.plus},
                             {"below", f.minus},
                             {"difference", f.difference},
                             {"std_error", f.se},
                             {"conf_low", f.conf_low},
                             {"conf_high", f.conf_high}});
    json i = {{"available", inf.available},
              {"status", inf.status},
              {"boot", inf.boot},
              {"alpha", inf.alpha},
              {"seed", inf.seed ? json(*inf.seed) : json(nullptr)},
              {"critical_value", inf.critical_value},
              {"tests", tests},
              {"functionals", functionals}};
    if (run.settings != nullptr) {
      i["boot_requested"] = run.settings->boot;
      json req = json::array();
      for (TestType k : run.settings->tests) req.push_back(to_string(k));
      i["tests_requested"] = req;
      if (run.settings->test_range_given)
        i["test_range"] = {run.settings->test_low, run.settings->test_high};
    }
    if (!inf.details.is_null()) i["details"] = inf.details;
    r["inference"] = i;
  }

  const StepTimes& t = run.times;
  r["timings_seconds"] = {{"read", t.read},         {"quantiles", t.quantiles},
                          {"bandwidth", t.bandwidth}, {"estimate", t.estimate},
                          {"inference", t.inference}, {"write", t.write},
                          {"total", t.total}};
  r["warnings"] = run.warnings;
  return r;
}

}  // namespace rddist::cli
