# broom-style tidiers. rddist does not depend on broom or generics: tidy.rddist_r3d() and
# glance.rddist_r3d() are exported as plain functions and, when the generics package is loaded
# (broom loads it), registered as methods of generics::tidy() and generics::glance()
# (see .onLoad in zzz.R).

#' Tidy and glance at an r3d fit (broom conventions)
#'
#' `tidy()` gives one row per level of the quantile grid; `glance()` one row describing
#' the fit. They follow the conventions of the broom package and work as `broom::tidy(fit)`
#' and `broom::glance(fit)` (or `generics::tidy()`) when broom or generics is installed;
#' rddist does not depend on either.
#'
#' @param x An `r3d` fit.
#' @param ... Ignored.
#' @return `tidy()`: a data frame with columns `term` (always `"tau"`), `quantile`,
#'   `estimate`, `std.error`, `statistic` (the t-statistic), `p.value` (pointwise,
#'   two-sided), `p.value.uniform` (the smallest level at which the uniform band excludes
#'   zero at that quantile), `conf.low`, `conf.high` (pointwise interval) and `band.low`,
#'   `band.high` (uniform band); the inference columns are `NA` without the bootstrap.
#'
#'   `glance()`: a one-row data frame with `n` (units), `n_plus`, `n_minus` (units with
#'   positive kernel weight above and below the cutoff), `bandwidth` (the common outcome
#'   bandwidth, `NA` when there is one per level), `bandwidth.min`, `bandwidth.max`,
#'   `bandwidth.treatment` (fuzzy), `method`, `fuzzy`, `kernel`, `p`, `cutoff`, `B`,
#'   `alpha`, `crit_val` (half-width of the uniform band), one `p.value.<test>` column per
#'   test (`p.value.<test>.<low>-<high>` when a test was run on several ranges), and
#'   `compat`.
#' @examples
#' sim <- r3d_simulate(dgp = 1, n = 300, draws = 30, delta = 1, seed = 7)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), B = 299, seed = 8)
#' tidy.rddist_r3d(fit)
#' glance.rddist_r3d(fit)
#' @export
tidy.rddist_r3d <- function(x, ...) {
  m <- length(x$q_grid)
  na <- rep(NA_real_, m)
  boot <- !is.null(x$se)
  data.frame(
    term = rep("tau", m), quantile = x$q_grid, estimate = x$tau,
    std.error = if (boot) x$se else na,
    statistic = if (boot) x$statistic else na,
    p.value = if (boot) x$p_value else na,
    p.value.uniform = if (boot) x$p_value_uniform else na,
    conf.low = if (boot) x$conf_low else na, conf.high = if (boot) x$conf_high else na,
    band.low = if (boot) x$band$lower else na, band.high = if (boot) x$band$upper else na,
    stringsAsFactors = FALSE
  )
}

#' @rdname tidy.rddist_r3d
#' @export
glance.rddist_r3d <- function(x, ...) {
  h <- unlist(x$h$num)
  h_den <- unlist(x$h$den)
  boot <- !is.null(x$boot)
  out <- data.frame(
    n = as.integer(x$n), n_plus = as.integer(x$n_plus), n_minus = as.integer(x$n_minus),
    bandwidth = if (length(unique(h)) == 1L) h[1L] else NA_real_,
    bandwidth.min = min(h), bandwidth.max = max(h),
    bandwidth.treatment = if (x$fuzzy && length(unique(h_den)) == 1L) h_den[1L] else NA_real_,
    method = x$method, fuzzy = x$fuzzy, kernel = x$kernel, p = as.integer(x$p),
    cutoff = x$cutoff,
    B = if (boot) as.integer(x$boot$B) else NA_integer_,
    alpha = if (boot) x$boot$alpha else NA_real_,
    crit_val = if (boot) x$crit_val else NA_real_,
    stringsAsFactors = FALSE
  )
  tests <- x$tests
  if (!is.null(tests) && nrow(tests) > 0L) {
    several <- tests$test %in% tests$test[duplicated(tests$test)]
    label <- ifelse(several,
                    sprintf("p.value.%s.%s-%s", tests$test, format_level(tests$range_low),
                            format_level(tests$range_high)),
                    paste0("p.value.", tests$test))
    for (k in seq_len(nrow(tests))) out[[label[k]]] <- tests$p_value[k]
  }
  out$compat <- x$compat
  out
}

format_level <- function(v) format(v, trim = TRUE, drop0trailing = TRUE, digits = 10)
