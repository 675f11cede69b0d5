# S3 methods of r3d fits: summary, coef, vcov, confint, predict, nobs.

#' Summarise an r3d fit
#'
#' Collects what a report needs: the design (sharp or fuzzy, method, order, kernel,
#' cutoff, paper or compatibility mode), the bandwidths and how they were chosen, the
#' units on each side, the estimate with its pointwise standard error and confidence
#' interval and the uniform band at chosen quantile levels, the tests and the
#' functionals.
#'
#' @param object An `r3d` fit.
#' @param quantiles Levels at which to report the effect: `NULL` (the deciles when they
#'   are on the grid, else at most nine evenly spaced levels), `"all"`, or numeric levels
#'   that must lie on the fit's grid.
#' @param x A `summary.rddist_r3d` object.
#' @param digits Significant digits.
#' @param ... Ignored.
#' @return `summary()` returns an object of class `summary.rddist_r3d`, a list with the
#'   `estimates` table (columns `quantile, estimate, std.error, conf.low, conf.high,
#'   band.low, band.high`), `tests`, `functionals`, `bandwidth` (outcome), `bandwidth_den`
#'   (treatment, fuzzy designs), `selected` (were the bandwidths selected?), `n`, `n_plus`,
#'   `n_minus`, `level`, `crit_val`, `B` and the settings; `print()` shows it and returns
#'   it invisibly.
#' @seealso [tidy.rddist_r3d()] for the whole grid as a data frame.
#' @examples
#' sim <- r3d_simulate(dgp = 1, n = 300, draws = 30, delta = 1, seed = 1)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.05, 0.95, 0.05), B = 299, seed = 2)
#' summary(fit)
#' summary(fit, quantiles = c(0.25, 0.5, 0.75))$estimates
#' @export
summary.rddist_r3d <- function(object, quantiles = NULL, ...) {
  rows <- summary_rows(object, quantiles)
  tab <- tidy.rddist_r3d(object)[rows, -1L]
  rownames(tab) <- NULL
  out <- list(
    call = object$call, estimates = tab,
    tests = object$tests, functionals = object$functionals,
    bandwidth = object$h$num, bandwidth_den = object$h$den,
    selected = !is.null(object$bwselect), coverage = isTRUE(object$bwselect$coverage),
    notes = object$bwselect$notes,
    n = object$n, n_plus = object$n_plus, n_minus = object$n_minus,
    draws = if (!is.null(object$units)) object$units$draws else NULL,
    first_stage = object$first_stage,
    level = if (is.null(object$boot)) NA_real_ else 1 - object$boot$alpha,
    crit_val = if (is.null(object$crit_val)) NA_real_ else object$crit_val,
    band_type = object$boot$band_type, test_statistic = object$boot$test_statistic,
    B = if (is.null(object$boot)) NA_integer_ else object$boot$B,
    clusters = object$boot$clusters,
    method = object$method, fuzzy = object$fuzzy, p = object$p, kernel = object$kernel,
    cutoff = object$cutoff, compat = object$compat, q_grid = object$q_grid
  )
  class(out) <- "summary.rddist_r3d"
  out
}

summary_rows <- function(object, quantiles) {
  q <- object$q_grid
  if (is.null(quantiles)) return(display_levels(q))
  if (identical(quantiles, "all")) return(seq_along(q))
  if (!is.numeric(quantiles) || anyNA(quantiles)) {
    stop_arg("summary.rddist_r3d: quantiles must be NULL, \"all\" or levels on the fit's grid")
  }
  rows <- vapply(quantiles, function(v) {
    k <- which(abs(q - v) < 1e-9)
    if (length(k)) k[1] else NA_integer_
  }, integer(1))
  if (anyNA(rows)) {
    stop_arg("summary.rddist_r3d: level(s) ", paste(quantiles[is.na(rows)], collapse = ", "),
             " are not on the fit's quantile grid; use predict() for other levels")
  }
  rows
}

#' @rdname summary.rddist_r3d
#' @export
print.summary.rddist_r3d <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  fmt <- function(v) format(v, digits = digits)
  cat("Regression discontinuity with distribution-valued outcomes\n")
  if (!is.null(x$call)) cat("Call: ", paste(deparse(x$call, width.cutoff = 80L), collapse = "\n"), "\n", sep = "")
  cat("\n")
  h_text <- bandwidth_text(x$bandwidth, digits)
  how <- if (!x$selected) "given" else if (x$method == "frechet") "IMSE-optimal" else "MSE-optimal"
  if (x$selected && x$coverage) how <- paste(how, "with coverage-error shrinkage")
  info <- c(
    "Design" = paste(if (x$fuzzy) "fuzzy" else "sharp", "RD, cutoff", fmt(x$cutoff)),
    "Method" = sprintf("%s, p = %d, %s kernel", x$method, x$p, x$kernel),
    "Mode" = if (x$compat == "paper") "paper" else paste("compatibility", x$compat),
    "Bandwidth" = paste0(h_text, " (", how, ")"),
    "Treatment bandwidth" = if (x$fuzzy) bandwidth_text(x$bandwidth_den, digits) else NA,
    "Units" = sprintf("%d in total; %d above and %d below the cutoff within the bandwidth",
                      x$n, as.integer(x$n_plus), as.integer(x$n_minus)),
    "Draws per unit" = if (is.null(x$draws)) NA else
      sprintf("%d to %d (median %s)", min(x$draws), max(x$draws), fmt(stats::median(x$draws))),
    "First stage" = if (x$fuzzy) paste("jump in treatment probability", fmt(x$first_stage$jump)) else NA,
    "Inference" = if (is.na(x$B)) "none (boot = FALSE)" else
      sprintf("multiplier bootstrap, B = %d%s; %s%% level", x$B,
              if (is.null(x$clusters)) "" else sprintf(", %d clusters", x$clusters),
              format(100 * x$level))
  )
  info <- info[!is.na(info)]
  cat(sprintf("%-20s %s\n", paste0(names(info), ":"), info), sep = "")
  for (note in x$notes) cat("  note:", note, "\n")
  cat("\nEffect on the quantile function, tau(q):\n")
  print(format(x$estimates, digits = digits), row.names = FALSE)
  if (!is.na(x$crit_val)) {
    cat(sprintf("Uniform band: %s over all %d levels of the grid\n",
                band_text(list(crit_val = x$crit_val, boot = list(band_type = x$band_type)), digits),
                length(x$q_grid)))
  }
  if (!is.null(x$tests) && nrow(x$tests) > 0L) {
    cat("\n", tests_heading(x$test_statistic), "\n", sep = "")
    tt <- data.frame(test = x$tests$test,
                     range = sprintf("[%s, %s]", format(x$tests$range_low, digits = 3),
                                     format(x$tests$range_high, digits = 3)),
                     statistic = x$tests$statistic, crit_val = x$tests$crit_val,
                     p_value = format_p(x$tests$p_value, x$B))
    print(format(tt, digits = digits), row.names = FALSE)
  }
  if (!is.null(x$functionals) && nrow(x$functionals) > 0L) {
    cat("\nFunctionals (above, below, difference with bootstrap interval):\n")
    print(format(x$functionals, digits = digits), row.names = FALSE)
  }
  invisible(x)
}

# Names of the coefficients: tau(<level>).
level_names <- function(q) paste0("tau(", format(q, trim = TRUE, drop0trailing = TRUE, digits = 10), ")")

#' Estimates, covariance and intervals of an r3d fit
#'
#' `coef()` returns \eqn{\hat\tau(q)} on the grid, named `tau(<level>)`. `vcov()` returns
#' the M x M covariance of \eqn{\hat\tau} across the levels of the grid, estimated by the
#' sample covariance (divisor B - 1) of the multiplier-bootstrap draws of the process
#' \eqn{\hat G}; its diagonal is the square of the pointwise standard errors. The matrix
#' is computed in C++ when the bootstrap runs and stored in the fit (`fit$vcov`, M^2
#' numbers), so the draws themselves need not be kept. `confint()` returns pointwise
#' intervals or the uniform band.
#'
#' @param object An `r3d` fit (with the bootstrap for `vcov()` and `confint()`).
#' @param parm Coefficients: names as in `coef()` or positions; default all.
#' @param level Coverage. Pointwise intervals at any level use the normal approximation
#'   with the bootstrap standard errors (at the fit's own level they are the stored
#'   ones); the uniform band at a level other than the fit's needs `keep_draws = TRUE`.
#' @param type `"pointwise"` or `"uniform"` (the band, whose coverage holds for all levels
#'   of the grid at once).
#' @param ... Ignored.
#' @return `coef()`: a named numeric vector; `vcov()`: a named M x M matrix; `confint()`:
#'   a matrix with one row per coefficient and columns for the lower and upper limits.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 300, draws = 30, delta = 1, seed = 4)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), B = 299, seed = 5)
#' coef(fit)
#' round(vcov(fit)[1:3, 1:3], 4)
#' confint(fit, type = "uniform")
#' confint(fit, parm = c("tau(0.1)", "tau(0.9)"), level = 0.9)
#' @export
coef.rddist_r3d <- function(object, ...) {
  stats::setNames(object$tau, level_names(object$q_grid))
}

#' @rdname coef.rddist_r3d
#' @export
vcov.rddist_r3d <- function(object, ...) {
  if (is.null(object$vcov)) {
    stop_arg("vcov.rddist_r3d: the fit has no bootstrap; refit with boot = TRUE or call r3d_bootstrap()")
  }
  v <- object$vcov
  nm <- level_names(object$q_grid)
  dimnames(v) <- list(nm, nm)
  v
}

#' @rdname coef.rddist_r3d
#' @export
confint.rddist_r3d <- function(object, parm, level = NULL, type = c("pointwise", "uniform"), ...) {
  type <- match.arg(type)
  if (is.null(object$se)) {
    stop_arg("confint.rddist_r3d: the fit has no bootstrap; refit with boot = TRUE or call r3d_bootstrap()")
  }
  own <- 1 - object$boot$alpha
  if (is.null(level)) level <- own
  check_number(level, "level", "confint.rddist_r3d")
  if (!(level > 0 && level < 1)) stop_arg("confint.rddist_r3d: level must lie strictly between 0 and 1")
  nm <- level_names(object$q_grid)
  idx <- if (missing(parm)) seq_along(nm) else parm_index(parm, nm)
  same <- abs(level - own) < 1e-12
  if (type == "pointwise") {
    if (same) {
      lo <- object$conf_low
      hi <- object$conf_high
    } else {
      z <- stats::qnorm(1 - (1 - level) / 2)
      lo <- object$tau - z * object$se
      hi <- object$tau + z * object$se
    }
  } else {
    band <- if (same) object$band else band_at_level(object, level)
    lo <- band$lower
    hi <- band$upper
  }
  a <- (1 - level) / 2
  out <- cbind(lo, hi)[idx, , drop = FALSE]
  dimnames(out) <- list(nm[idx], paste(format(100 * c(a, 1 - a), trim = TRUE,
                                              scientific = FALSE, digits = 3), "%"))
  out
}

parm_index <- function(parm, nm) {
  if (is.character(parm)) {
    idx <- match(parm, nm)
    if (anyNA(idx)) stop_arg("confint.rddist_r3d: unknown coefficient(s) ", paste(parm[is.na(idx)], collapse = ", "),
                             "; names are as in coef(), e.g. ", nm[1])
    return(idx)
  }
  if (!is.numeric(parm) || anyNA(parm) || any(parm < 1 | parm > length(nm) | parm != round(parm))) {
    stop_arg("confint.rddist_r3d: parm must be coefficient names or positions between 1 and ", length(nm))
  }
  as.integer(parm)
}

# The uniform band at another level, from the kept draws (computed by the core, in the
# fit's band shape).
band_at_level <- function(object, level) {
  if (is.null(object$draws)) {
    stop_arg("confint.rddist_r3d: the uniform band at a level other than the fit's (",
             format(1 - object$boot$alpha), ") needs the bootstrap draws; refit with keep_draws = TRUE")
  }
  call_core(.rddist_band(object$tau, object$draws$tau, object$se, object$boot$band_type,
                         1 - level, "confint.rddist_r3d"))
}

#' Side quantile functions and effect at any quantile level
#'
#' Evaluates the estimated quantile functions just above (\eqn{m_+}) and just below
#' (\eqn{m_-}) the cutoff, and the effect \eqn{\tau}, at the requested levels by linear
#' interpolation between the levels of the fit's grid. Outside the grid the curves are
#' extended flat (the value at the nearest end of the grid), the convention the
#' functionals use. At levels of the grid the values are the fit's own.
#'
#' @param object An `r3d` fit.
#' @param q Levels in \[0, 1\] (default: the fit's grid).
#' @param ... Ignored.
#' @return A data frame with columns `q`, `m_plus`, `m_minus` and `tau`. In a fuzzy design
#'   `m_plus` and `m_minus` are the outcome curves of the two sides (not divided by the
#'   first stage) and `tau` is the complier effect.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 300, draws = 30, delta = 1, seed = 6)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), boot = FALSE)
#' predict(fit, q = c(0.25, 0.5, 0.75))
#' @export
predict.rddist_r3d <- function(object, q = object$q_grid, ...) {
  if (!is.numeric(q) || length(q) == 0L || any(!is.finite(q)) || any(q < 0 | q > 1)) {
    stop_arg("predict.rddist_r3d: q must be numeric levels in [0, 1]")
  }
  grid <- as.numeric(object$q_grid)
  at <- function(curve) call_core(.rddist_interpolate(grid, as.numeric(curve), as.numeric(q)))
  data.frame(q = q, m_plus = at(object$m_plus), m_minus = at(object$m_minus), tau = at(object$tau))
}

#' @rdname coef.rddist_r3d
#' @export
nobs.rddist_r3d <- function(object, ...) object$n

# p-values of bootstrap tests as computed: in paper mode (k + 1)/(B + 1), never 0; a zero
# share of draws (compatibility mode) is reported as < 1/B.
format_p <- function(p, B) {
  out <- format.pval(p, digits = 3, eps = 0)
  zero <- !is.na(p) & p == 0
  if (any(zero)) out[zero] <- paste0("<", format(if (is.na(B)) 0 else 1 / B, digits = 3))
  out
}
