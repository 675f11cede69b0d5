#' rddist: regression discontinuity with distribution-valued outcomes
#'
#' Each unit (firm, state, school) contributes a sample of draws (workers, families,
#' pupils); the outcome of the unit is the distribution of its draws. [r3d()] estimates
#' how the whole distribution changes at the cutoff of a running variable, following
#' Van Dijcke (2025), "Regression Discontinuity Design with Distribution-Valued Outcomes".
#'
#' The computations run in a C++ core shared with the `rddist` command-line tool and
#' C++ library, so all three give the same numbers.
#'
#' @keywords internal
#' @useDynLib rddist, .registration = TRUE
#' @importFrom Rcpp evalCpp
#' @importFrom stats median coef confint nobs predict vcov
#' @importFrom ggplot2 .data
"_PACKAGE"
