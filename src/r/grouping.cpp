// rcpp_grouping.cpp — R entry point of group_units(): long data frames to units.
//
// R passes the columns as they are (no per-unit work in R): 0-based unit codes, which R
// assigns from its sorted unique keys so that the units' order does not depend on the
// row order, the per-row running variable, outcome and optional treatment, draw weight and
// cluster code, and the units' labels for error messages.
#include "common.h"
#include "rddist/r3d/grouping.h"

// [[Rcpp::export(.rddist_group_units)]]
Rcpp::List rddist_group_units(Rcpp::IntegerVector unit, int n_units, Rcpp::NumericVector x,
                              Rcpp::NumericVector y, Rcpp::Nullable<Rcpp::NumericVector> treatment,
                              Rcpp::Nullable<Rcpp::NumericVector> weight,
                              Rcpp::Nullable<Rcpp::IntegerVector> cluster, const arma::vec& q_grid,
                              int quantile_type, Rcpp::CharacterVector labels, int threads,
                              bool verbose) {
  const R_xlen_t rows = unit.size();
  auto same_length = [rows](R_xlen_t k, const char* what) {
    if (k != rows)
      Rcpp::stop("r3d: the %s column has %d rows but the unit key has %d", what,
                 static_cast<int>(k), static_cast<int>(rows));
  };
  same_length(x.size(), "running variable");
  same_length(y.size(), "outcome");
  rddist::LongData d;
  d.rows = static_cast<std::size_t>(rows);
  d.unit = INTEGER(unit);
  d.x = REAL(x);
  d.y = REAL(y);
  Rcpp::NumericVector t, w;
  Rcpp::IntegerVector c;
  if (treatment.isNotNull()) {
    t = Rcpp::NumericVector(treatment.get());
    same_length(t.size(), "treatment");
    d.treatment = REAL(t);
  }
  if (weight.isNotNull()) {
    w = Rcpp::NumericVector(weight.get());
    same_length(w.size(), "weights");
    d.weight = REAL(w);
  }
  if (cluster.isNotNull()) {
    c = Rcpp::IntegerVector(cluster.get());
    same_length(c.size(), "cluster");
    d.cluster = INTEGER(c);
  }
  rddist::UnitLabel label;
  if (labels.size() == n_units)
    label = [&labels](std::size_t code) { return Rcpp::as<std::string>(labels[code]); };
  std::vector<std::string> warnings;
  const rddist::GroupedUnits g = rddist::group_units(
      d, static_cast<std::size_t>(std::max(0, n_units)), q_grid,
      rddist::parse_quantile_type(quantile_type), static_cast<unsigned>(std::max(1, threads)),
      rddist_r::r_hooks(&warnings, verbose), label, "r3d");
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("x") = Rcpp::NumericVector(g.x.begin(), g.x.end()),
      Rcpp::Named("draws") = Rcpp::NumericVector(g.draws.begin(), g.draws.end()),
      Rcpp::Named("quantiles") = g.quantiles);
  if (d.treatment) out["treatment"] = Rcpp::NumericVector(g.treatment.begin(), g.treatment.end());
  if (d.cluster) out["cluster"] = Rcpp::IntegerVector(g.cluster.begin(), g.cluster.end());
  return out;
}
