#' Bandwidth selection for distribution-valued regression discontinuity
#'
#' Selects the MSE-optimal bandwidth of each quantile (`method = "simple"`) or the
#' IMSE-optimal bandwidth of the whole curve (`method = "frechet"`), and the treatment
#' bandwidth of fuzzy designs, by the three-step plug-in of the paper's appendix:
#' Silverman's density of the running variable at the cutoff, pilot bandwidths from
#' global polynomials of order `s + 1`, and a first stage of local polynomials of order
#' `s + 1` at the pilot. The estimate then uses order `p = s + 1` at this bandwidth,
#' which corrects the leading bias (robust bias correction).
#'
#' In paper mode the squared bias in the denominator is regularised by adding its
#' estimated variance (as `rdrobust` does), and the bandwidth is kept where the
#' estimator can work: at least `p + 2` distinct values of `X` on each side, and no wider
#' than the farthest unit. Any such adjustment is listed in `notes`.
#' With `bwselect = "two"` each side gets the bandwidth minimising the (I)MSE of its own
#' curve (after the same pilot). Unit weights enter every fit; with covariates the
#' selection runs twice, the second time on the outcomes adjusted with the coefficients
#' estimated at the first pass's bandwidths (reported in `covariate_pilot_num`).
#' With `compat = "r3d-0.1.0"` the selection reproduces the reference package R3D 0.1.0
#' exactly (including its Riemann-sum kernel constants, triangular first stage and
#' Silverman fallback).
#'
#' @inheritParams r3d
#' @param s Order of the local polynomial whose (I)MSE is optimised (default 1).
#' @param p Order of the final estimate (only used by the guards; default 2 = `s + 1`).
#' @param coverage Shrink the bandwidths by \eqn{n^{-s/((2s+3)(s+3))}}, the
#'   coverage-error rule of Calonico, Cattaneo and Farrell (default `FALSE`).
#' @param regularization Paper mode: multiple of the estimated variance of the bias
#'   estimate added to the squared bias (default 1; 0 switches regularisation off).
#' @return An object of class `rddist_bwselect`: a list with `h_num` (one bandwidth, or one
#'   per level for `"simple"`; above the cutoff with `bwselect = "two"`, when `h_num_below`
#'   holds those below), `h_den` (fuzzy; `h_den_below`), the pilot bandwidths `pilot_num`,
#'   `pilot_den`, the first-stage plug-ins `B_plus`, `B_minus`, `V_plus`, `V_minus` per
#'   level (paper mode: bias and variance constants of the formula; compatibility mode: the
#'   reference package's quantities), their treatment counterparts, the regulariser, the
#'   density `f_x` of the running variable at the cutoff, `notes` on any guard that fired,
#'   and the settings.
#' @param ... For the formula method, arguments of the default method (`cutoff`,
#'   `method`, ...); for the default method, unknown arguments are an error.
#' @examples
#' set.seed(2)
#' X <- runif(400, -1, 1)
#' Y_list <- lapply(X, function(x) rnorm(30, 1 + x + 0.8 * x^2 * (x >= 0) + (x >= 0)))
#' bw <- r3d_bwselect(X, Y_list, q_grid = seq(0.1, 0.9, 0.1))
#' bw
#' # long data: one row per draw
#' long <- data.frame(id = rep(seq_along(X), each = 30), x = rep(X, each = 30),
#'                    y = unlist(Y_list))
#' r3d_bwselect(y ~ x, data = long, unit = "id", q_grid = seq(0.1, 0.9, 0.1))$h_num
#' @export
r3d_bwselect <- function(X, ...) UseMethod("r3d_bwselect")

#' @rdname r3d_bwselect
#' @export
r3d_bwselect.default <- function(X, Y_list, T = NULL, cutoff = NULL, q_grid = NULL,
                                 method = NULL, s = NULL, p = NULL, kernel = NULL, fuzzy = NULL,
                                 coverage = NULL, compat = NULL, weights = NULL,
                                 quantile_type = NULL, regularization = NULL, bwselect = NULL,
                                 covs = NULL, unit_weights = NULL, donut = NULL, na.rm = FALSE,
                                 ..., verbose = NULL, threads = default_threads()) {
  check_dots(..., where = "r3d_bwselect")
  source <- unit_source(X, Y_list, T, weights, na.rm, "r3d_bwselect")
  args <- c(source,
            model_args(cutoff, method, p, q_grid, fuzzy, kernel, compat, quantile_type),
            design_args(covs, unit_weights, donut, length(X), "r3d_bwselect"),
            bandwidth_args(NULL, s, coverage, regularization, bwselect))
  select_bandwidths(args, verbose, threads)
}

#' @rdname r3d_bwselect
#' @inheritParams r3d
#' @export
r3d_bwselect.formula <- function(X, data, unit, treatment = NULL, weights = NULL,
                                 q_grid = NULL, quantile_type = NULL, cutoff = NULL, method = NULL,
                                 s = NULL, p = NULL, kernel = NULL, fuzzy = NULL, coverage = NULL,
                                 compat = NULL, regularization = NULL, bwselect = NULL,
                                 covs = NULL, unit_weights = NULL, donut = NULL, ...,
                                 verbose = NULL, threads = default_threads()) {
  refuse_list_arguments(list(...), "r3d_bwselect")
  check_dots(..., where = "r3d_bwselect")
  long <- long_source(X, data, unit, treatment, weights, NULL, "r3d_bwselect")
  args <- c(long$source, long_design_args(covs, unit_weights, data, "r3d_bwselect"),
            model_args(cutoff, method, p, q_grid, fuzzy, kernel, compat, quantile_type),
            list(donut = donut), bandwidth_args(NULL, s, coverage, regularization, bwselect))
  select_bandwidths(args, verbose, threads)
}

# One call into the core that stops after the selection.
select_bandwidths <- function(args, verbose, threads) {
  res <- call_core(.rddist_r3d(c(args, list(stage = "bandwidths", where = "r3d_bwselect",
                                            threads = threads),
                                 core_feedback(verbose, "r3d_bwselect"))))
  emit_warnings(res$warnings)
  n <- if (is.null(res$X)) length(args$X) else length(res$X)
  bwselect_object(res, n)
}

# The r3d_bwselect object from the core's result (selection and resolved settings).
bwselect_object <- function(res, n) {
  b <- res$selection
  st <- res$settings
  if (!st$fuzzy) {
    b[c("h_den", "pilot_den", "B_plus_den", "B_minus_den", "V_plus_den", "V_minus_den")] <- list(NULL)
  }
  if (st$compat != "paper") b$regularizer <- NULL
  if (st$bwselect == "common") b[c("h_num_below", "h_den_below")] <- list(NULL)
  if (!st$fuzzy) b["h_den_below"] <- list(NULL)
  b <- c(b, list(q_grid = res$q_grid, method = st$method, s = as.integer(st$s),
                 bwselect = st$bwselect,
                 p = as.integer(st$p), kernel = st$kernel, fuzzy = st$fuzzy,
                 coverage = st$coverage, compat = st$compat, n = n))
  class(b) <- "rddist_bwselect"
  b
}

#' @rdname r3d_bwselect
#' @param x An `rddist_bwselect` object.
#' @param digits Significant digits.
#' @param ... Ignored.
#' @export
print.rddist_bwselect <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat(sprintf("Bandwidth selection (%s, s = %d, %s kernel%s%s)\n",
              if (x$method == "frechet") "IMSE-optimal, frechet" else "MSE-optimal per quantile, simple",
              x$s, x$kernel, if (x$coverage) ", coverage-error shrinkage" else "",
              if (x$compat == "paper") "" else paste0(", compatibility mode ", x$compat)))
  two <- identical(x$bwselect, "two")
  show <- function(what, h, pilot) {
    if (length(h) == 1L) {
      cat("  ", what, ": ", format(h, digits = digits), "  (pilot ", format(pilot, digits = digits),
          ")\n", sep = "")
    } else {
      cat(sprintf("  %ss: %s to %s over %d levels (median %s)\n", what,
                  format(min(h), digits = digits), format(max(h), digits = digits), length(h),
                  format(stats::median(h), digits = digits)))
    }
  }
  show(if (two) "outcome bandwidth above the cutoff" else "outcome bandwidth", x$h_num, x$pilot_num)
  if (two) show("outcome bandwidth below the cutoff", x$h_num_below, x$pilot_num)
  if (x$fuzzy) {
    show(if (two) "treatment bandwidth above the cutoff" else "treatment bandwidth", x$h_den, x$pilot_den)
    if (two) show("treatment bandwidth below the cutoff", x$h_den_below, x$pilot_den)
  }
  cat("  density of X at the cutoff:", format(x$f_x, digits = digits), "\n")
  for (note in x$notes) cat("  note:", note, "\n")
  invisible(x)
}
