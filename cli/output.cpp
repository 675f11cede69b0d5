// output.cpp — writing the result CSV and the JSON report (see output.h).
#include "output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cmath>
#include <cstring>

#include "cli_errors.h"
#include "numbers.h"
#include "output_files.h"
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
  StagedFile file(path);  // a temporary renamed onto path: a failure leaves path as it was
  file.write(content.data(), content.size());
  file.commit();
}

namespace {

// The bandwidths below the cutoff at level j (two-sided estimates only).
void append_below(std::string& out, const Estimate& est, arma::uword j) {
  out += ',';
  append_number(out, est.h_num_below[j]);
  if (est.options.fuzzy) {
    out += ',';
    append_number(out, est.h_den_below);
  }
}

}  // namespace

std::string result_csv(const Estimate& est, const BootstrapResult* inf) {
  const arma::vec none;
  const arma::vec& se = inf ? inf->se : none;
  const arma::vec& conf_low = inf ? inf->conf_low : none;
  const arma::vec& conf_high = inf ? inf->conf_high : none;
  const arma::vec& band_low = inf ? inf->band_low : none;
  const arma::vec& band_high = inf ? inf->band_high : none;
  const arma::vec& statistic = inf ? inf->statistic : none;
  const arma::vec& p_value = inf ? inf->p_value : none;
  const arma::vec& p_uniform = inf ? inf->p_value_uniform : none;
  const bool fuzzy = est.options.fuzzy;
  std::string out =
      "quantile,estimate,std.error,conf.low,conf.high,band.low,band.high,m_plus,m_minus,bandwidth";
  out += fuzzy ? ",bandwidth_treatment" : "";
  out += ",m_plus_raw,m_minus_raw,statistic,p_value,p_value_uniform";
  const bool sides = est.two_sided;
  if (sides) out += fuzzy ? ",bandwidth_minus,bandwidth_treatment_minus" : ",bandwidth_minus";
  out += '\n';
  for (arma::uword j = 0; j < est.q_grid.n_elem; ++j) {
    const double cells[] = {est.q_grid[j],     est.tau[j],         at(se, j),
                            at(conf_low, j),   at(conf_high, j),   at(band_low, j),
                            at(band_high, j),  est.plus.curve[j],  est.minus.curve[j],
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
    for (const arma::vec* v : {&statistic, &p_value, &p_uniform}) {
      out += ',';
      append_number(out, at(*v, j));
    }
    if (sides) append_below(out, est, j);
    out += '\n';
  }
  return out;
}

namespace {

using json = nlohmann::ordered_json;

// The selector's plug-ins, for the report.
json selection_json(const BandwidthSelection& sel, const AnalysisRequest& req) {
  json d;
  const BandwidthOptions& o = req.bandwidth.selection;
  d["criterion"] = req.estimate.method == Method::frechet ? "IMSE" : "MSE per level";
  d["s"] = o.s;
  d["coverage"] = o.coverage;
  d["f_x"] = sel.f_x;
  d["silverman_bandwidth"] = sel.silverman;
  if (!sel.pilot_num.is_empty())
    d["pilot"] = sel.pilot_num.n_elem == 1 ? json(sel.pilot_num[0]) : vec_json(sel.pilot_num);
  d["B_plus"] = vec_json(sel.B_plus);
  d["B_minus"] = vec_json(sel.B_minus);
  d["V_plus"] = vec_json(sel.V_plus);
  d["V_minus"] = vec_json(sel.V_minus);
  if (!sel.regularizer.is_empty()) d["regularizer"] = vec_json(sel.regularizer);
  if (req.estimate.fuzzy) {
    d["pilot_treatment"] = sel.pilot_den;
    d["treatment"] = {{"B_plus", sel.B_plus_den}, {"B_minus", sel.B_minus_den},
                      {"V_plus", sel.V_plus_den}, {"V_minus", sel.V_minus_den}};
  }
  d["notes"] = sel.notes;
  return d;
}

json inference_json(const AnalysisResult* res, const AnalysisRequest& req) {
  const BootstrapResult* inf = res && res->inference ? &*res->inference : nullptr;
  json i;
  i["available"] = inf != nullptr;
  i["status"] = inf ? "multiplier bootstrap" : "no bootstrap (--boot 0)";
  i["boot"] = inf ? inf->draws : 0;
  i["alpha"] = inf ? inf->alpha : req.inference.alpha;
  i["seed"] = inf ? json(inf->seed) : json(nullptr);
  i["critical_value"] = inf ? json(inf->crit_val) : json(nullptr);
  i["band_type"] = inf ? json(to_string(inf->band)) : json(nullptr);
  i["test_statistic"] = inf ? json(to_string(inf->test_statistic)) : json(nullptr);
  json tests = json::array(), functionals = json::array();
  if (inf) {
    for (const TestResult& t : inf->tests)
      tests.push_back({{"test", to_string(t.type)},
                       {"range", {t.low, t.high}},
                       {"levels", t.levels},
                       {"statistic", t.statistic},
                       {"critical_value", t.crit_val},
                       {"p_value", t.p_value}});
    for (const FunctionalResult& f : inf->functionals)
      functionals.push_back({{"functional", f.name},
                             {"above", f.plus},
                             {"below", f.minus},
                             {"difference", f.difference},
                             {"std_error", f.se},
                             {"conf_low", f.conf_low},
                             {"conf_high", f.conf_high}});
  }
  i["tests"] = tests;
  i["functionals"] = functionals;
  i["boot_requested"] = req.last_stage == Stage::inference ? req.inference.draws : 0;
  json requested = json::array();
  for (TestType k : requested_tests(req.inference, req.data.q_grid.n_elem))
    requested.push_back(to_string(k));
  i["tests_requested"] = requested;
  if (!req.inference.test_ranges.empty())
    i["test_range"] = {req.inference.test_ranges[0].low, req.inference.test_ranges[0].high};
  if (inf)
    i["details"] = {{"sampler", to_string(inf->sampler)},
                    {"vce", to_string(inf->vce)},
                    {"clusters", inf->clusters},
                    {"critical_value_above", inf->crit_val_plus},
                    {"critical_value_below", inf->crit_val_minus},
                    {"p_value", vec_json(inf->p_value)},
                    {"p_value_uniform", vec_json(inf->p_value_uniform)}};
  return i;
}

// One bandwidth, or one per level when they differ.
json levels_json(const arma::vec& h) {
  const bool common = h.n_elem == 1 || arma::all(h == h[0]);
  return common ? json(h[0]) : vec_json(h);
}

// The bandwidths used; those below the cutoff too when they differ from those above.
json bandwidths_json(const AnalysisResult& res, const Estimate* est, const AnalysisRequest& req) {
  json bw;
  const arma::vec& h = est ? est->h_num : res.bandwidths.num;
  bw["outcome"] = levels_json(h);
  bw["common"] = h.n_elem == 1 || arma::all(h == h[0]);
  const bool fuzzy = req.estimate.fuzzy;
  if (fuzzy) bw["treatment"] = res.bandwidths.den;
  const bool two_rule = req.bandwidth.selection.rule == BandwidthRule::two;
  if (est ? est->two_sided : two_rule) {
    const Bandwidths& b = res.bandwidths;
    bw["outcome_below"] = levels_json(est ? est->h_num_below : b.num_below.is_empty() ? b.num : b.num_below);
    if (fuzzy)
      bw["treatment_below"] = est ? est->h_den_below : std::isnan(b.den_below) ? b.den : b.den_below;
  }
  if (two_rule) bw["rule"] = to_string(BandwidthRule::two);
  bw["selected"] = res.outcome_selected;
  if (fuzzy) bw["treatment_selected"] = res.treatment_selected;
  if (res.selection) bw["selection"] = selection_json(*res.selection, req);
  return bw;
}

// The covariates' names and coefficients: per level for the outcome, one for the first stage.
json covariates_json(const Estimate& est, const std::vector<std::string>& names) {
  json list = json::array();
  for (arma::uword k = 0; k < est.gamma.n_rows; ++k) {
    json c;
    c["name"] = k < names.size() ? names[k] : "covariate " + std::to_string(k + 1);
    c["coefficient"] = levels_json(est.gamma.row(k).t());
    if (est.options.fuzzy && k < est.gamma_treatment.n_elem)
      c["coefficient_treatment"] = est.gamma_treatment[k];
    list.push_back(c);
  }
  return list;
}

// Units kept and dropped by the donut (only when a donut was asked for).
json donut_json(const AnalysisRequest& req, const AnalysisResult* res) {
  json d = {{"distance", req.units.donut}};
  if (res) {
    d["dropped"] = res->units.donut;
    d["kept"] = res->units.kept.n_elem;
  }
  return d;
}

// A placebo analysis: its false cutoff, the true one and the units left out as lying
// across the true cutoff (only for --placebo).
json placebo_json(const AnalysisRequest& req, const AnalysisResult* res) {
  json p = {{"cutoff", req.estimate.cutoff}, {"true_cutoff", req.units.true_cutoff}};
  if (res) {
    p["dropped_other_side"] = res->units.other_side;
    p["kept"] = res->units.kept.n_elem;
  }
  return p;
}

}  // namespace

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
    if (!run.options->unit_weight.empty()) in["unit_weight"] = run.options->unit_weight;
    if (s.format == "long") in["draws_per_unit"] = {{"min", s.draws_min}, {"max", s.draws_max}};
    else {
      in["quantile_columns"] = s.quantile_columns;
      in["grid_from_columns"] = s.grid_from_columns;
    }
    r["input"] = in;
  }

  const AnalysisRequest& req = run.settings->request;
  const Estimate* est = run.result && run.result->estimate ? &*run.result->estimate : nullptr;
  {
    const EstimateOptions& e = req.estimate;
    json d = {{"fuzzy", e.fuzzy},
              {"cutoff", e.cutoff},
              {"method", to_string(e.method)},
              {"kernel", to_string(e.kernel)},
              {"p", e.p},
              {"s", req.bandwidth.selection.s},
              {"compat", to_string(e.compat)},
              {"quantile_type", to_int(run.settings->quantile_type)}};
    if (run.units != nullptr) {
      d["levels"] = run.units->q_grid.n_elem;
      d["q_grid"] = vec_json(run.units->q_grid);
    }
    r["design"] = d;
  }

  if (run.units != nullptr) {
    const double c = req.estimate.cutoff;
    const arma::vec& x = run.units->x;
    const auto above = static_cast<std::uint64_t>(arma::accu(x >= c));
    json counts = {{"units", x.n_elem}, {"below", x.n_elem - above}, {"above", above}};
    if (est != nullptr) {
      counts["in_window_below"] = est->minus.n_units;
      counts["in_window_above"] = est->plus.n_units;
    }
    if (!run.units->cluster.is_empty()) counts["clusters"] = run.units->n_clusters;
    r["counts"] = counts;
  }

  if (req.units.donut > 0.0) r["donut"] = donut_json(req, run.result);
  if (!std::isnan(req.units.true_cutoff)) r["placebo"] = placebo_json(req, run.result);
  if (run.result != nullptr) r["bandwidths"] = bandwidths_json(*run.result, est, req);
  if (est != nullptr && est->gamma.n_rows > 0)
    r["covariates"] = covariates_json(*est, req.data.covariate_names);

  if (est != nullptr && est->options.fuzzy) {
    const FirstStage& fs = est->first_stage;
    r["first_stage"] = {{"jump", fs.jump},
                        {"intercept_above", fs.plus.coef.n_elem ? fs.plus.coef(0, 0) : NAN},
                        {"intercept_below", fs.minus.coef.n_elem ? fs.minus.coef(0, 0) : NAN},
                        {"in_window_above", fs.plus.units.n_elem},
                        {"in_window_below", fs.minus.units.n_elem}};
    if (run.result->inference) {
      r["first_stage"]["std_error"] = run.result->inference->first_stage_se;
      r["first_stage"]["f_statistic"] = run.result->inference->first_stage_f;
    }
  }

  if (run.command == "estimate") r["inference"] = inference_json(run.result, req);

  const StepTimes& t = run.times;
  r["timings_seconds"] = {{"read", t.read},         {"quantiles", t.quantiles},
                          {"bandwidth", t.bandwidth}, {"estimate", t.estimate},
                          {"inference", t.inference}, {"write", t.write},
                          {"total", t.total}};
  r["warnings"] = run.warnings;
  return r;
}

}  // namespace rddist::cli
