// sample.cpp — the default grid and the checks of a sample (see sample.h).
#include "rddist/r3d/sample.h"

#include <algorithm>
#include <cmath>

#include "rddist/error.h"

namespace rddist {
namespace {

void check_finite(const arma::vec& v, const char* argument, const char* what) {
  const arma::uvec bad = arma::find_nonfinite(v);
  require(bad.is_empty(), argument, what, " {", argument, "} has ", bad.n_elem,
          " missing or non-finite value(s) (first at {unit=", bad.n_elem ? bad[0] + 1 : 0,
          "}); remove or fix those units");
}

}  // namespace

std::string covariate_label(const RdData& d, arma::uword k) {
  if (k < d.covariate_names.size()) return "covariate '" + d.covariate_names[k] + "'";
  return detail::concat("covariate ", k + 1);
}

arma::vec default_q_grid() { return arma::regspace(1, 99) / 100.0; }

void check_q_grid(const arma::vec& q) {
  require(q.n_elem > 0, "q_grid", "no quantile levels given: {q_grid} is empty");
  for (arma::uword j = 0; j < q.n_elem; ++j) {
    require(q[j] > 0.0 && q[j] < 1.0, "q_grid", "level ", j + 1, " of {q_grid} is ", q[j],
            "; quantile levels must lie strictly between 0 and 1");
    require(j == 0 || q[j] > q[j - 1], "q_grid", "{q_grid} must increase strictly (level ",
            j + 1, " = ", q[j], " follows ", q[j > 0 ? j - 1 : 0], ")");
  }
}

namespace {

// Outcomes beyond this magnitude (or, when not all zero, below its reciprocal) leave no
// room for the squares and products of the variances and the bandwidth selector: they
// overflow to infinity or underflow to zero, and the results would be wrong, not just
// imprecise.
constexpr double kMaxOutcomeScale = 1e150;

void check_outcome_scale(const arma::mat& quantiles) {
  if (quantiles.is_empty()) return;
  const double largest = arma::abs(quantiles).max();
  require_data(largest <= kMaxOutcomeScale, "the outcomes reach magnitude ", largest,
               ", beyond what the variance computations can represent (their squares overflow); "
               "divide the outcome by a power of ten (say 1e", std::floor(std::log10(largest)),
               ") and scale the effects back");
  require_data(largest == 0.0 || largest >= 1.0 / kMaxOutcomeScale, "the outcomes are at most ",
               largest, " in magnitude, too small for the variance computations (their squares "
               "underflow to zero); multiply the outcome by a power of ten (say 1e",
               -std::floor(std::log10(largest)), ") and scale the effects back");
}

}  // namespace

void check_sample(const RdData& d, bool fuzzy) {
  const arma::uword n = d.x.n_elem;
  require(n > 0, "x", "there are no units");
  check_finite(d.x, "x", "the running variable");
  check_q_grid(d.q_grid);
  require(d.quantiles.n_rows == n, "quantiles", "{quantiles} has ", d.quantiles.n_rows,
          " units but {x} has ", n, "; they must have the same length");
  require(d.quantiles.n_cols == d.q_grid.n_elem, "quantiles", "the quantile matrix has ",
          d.quantiles.n_cols, " columns but {q_grid} has ", d.q_grid.n_elem, " levels");
  if (!d.quantiles.is_finite()) {
    const arma::uvec bad = arma::find_nonfinite(d.quantiles);
    const arma::uword i = bad[0] % n, j = bad[0] / n;
    throw argument_error("quantiles", detail::concat("the quantiles of {unit=", i + 1,
                                                     "} have a missing or non-finite value at "
                                                     "level ", d.q_grid[j]));
  }
  check_outcome_scale(d.quantiles);
  if (!d.unit_weights.is_empty()) {
    require(d.unit_weights.n_elem == n, "unit_weights", "{unit_weights} has ",
            d.unit_weights.n_elem, " values but {x} has ", n, "; they must have the same length");
    check_finite(d.unit_weights, "unit_weights", "the unit weights");
    require(!arma::any(d.unit_weights < 0.0), "unit_weights", "unit weights must be non-negative");
  }
  if (d.covariates.n_cols > 0) {
    require(d.covariates.n_rows == n, "covariates", "{covariates} has ", d.covariates.n_rows,
            " rows but {x} has ", n, " units; give one row per unit");
    require(d.covariate_names.empty() || d.covariate_names.size() == d.covariates.n_cols,
            "covariates", "got ", d.covariate_names.size(), " names for ", d.covariates.n_cols,
            " covariates");
    for (arma::uword k = 0; k < d.covariates.n_cols; ++k) {
      const arma::uvec bad = arma::find_nonfinite(d.covariates.col(k));
      require(bad.is_empty(), "covariates", covariate_label(d, k), " of {unit=",
              bad.is_empty() ? 0 : bad[0] + 1, "} is missing or not finite (", bad.n_elem,
              " unit(s) in all); remove or fix those units");
    }
  }
  if (fuzzy) {
    require(d.treatment.n_elem == n, "treatment", "a fuzzy design needs one treatment value per "
            "unit: {treatment} has ", d.treatment.n_elem, " values but {x} has ", n,
            "; they must have the same length");
    check_finite(d.treatment, "treatment", "the treatment");
    require(!arma::any(d.treatment < 0.0) && !arma::any(d.treatment > 1.0), "treatment",
            "treatment values must lie in [0, 1] (0/1 indicators or shares)");
  }
}

void check_cutoff(const RdData& d, double cutoff) {
  require(std::isfinite(cutoff), "cutoff", "{cutoff} must be a finite number");
  const double lo = d.x.min(), hi = d.x.max();
  require_data(cutoff >= lo && cutoff <= hi, "the cutoff ", cutoff,
               " lies outside the range of the running variable [", lo, ", ", hi,
               "], so no units lie ", cutoff < lo ? "below" : "at or above", " it; check {cutoff}");
  const arma::uword above = arma::accu(d.x >= cutoff);
  require_data(above > 0, "no units lie at or above the cutoff ", cutoff,
               "; the design needs units on both sides");
  require_data(above < d.x.n_elem, "no units lie below the cutoff ", cutoff,
               "; the design needs units on both sides");
}

void check_quantile_rows(const RdData& d) {
  const arma::mat& Q = d.quantiles;
  for (arma::uword j = 1; j < Q.n_cols; ++j)
    for (arma::uword i = 0; i < Q.n_rows; ++i) {
      const double lo = Q(i, j - 1), hi = Q(i, j);
      if (hi >= lo - 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) continue;
      throw argument_error("quantiles", detail::concat(
          "the quantiles of {unit=", i + 1, "} decrease from ", lo, " at level ", d.q_grid[j - 1],
          " to ", hi, " at level ", d.q_grid[j], ": a quantile function cannot decrease; "
          "give each unit's quantiles in the order of {q_grid}"));
    }
}

}  // namespace rddist
