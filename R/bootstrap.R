#' Multiplier bootstrap: uniform bands, tests and functionals
#'
#' Adds inference to an [r3d()] fit with the multiplier bootstrap of the paper (Sec. 2.6):
#' pointwise standard errors and confidence intervals, a uniform confidence band over the
#' quantile grid, tests of nullity and homogeneity of the effect on ranges of quantiles, a
#' test of equal Gini indices, and confidence intervals for functionals of the two side
#' distributions.
#'
#' Each unit inside a bandwidth window contributes its intercept weight times its
#' residual; multipliers are standard normal, one per unit or one per `cluster`. With
#' Gaussian multipliers the bootstrap process is exactly a Gaussian process with the
#' covariance of these contributions, and the default `sampler = "gaussian"` draws it
#' from that covariance (much faster for many units); `sampler = "multipliers"` forms the
#' literal sums with one random stream per unit. Both have the same distribution. Given
#' `xi`, the literal sums use exactly those multipliers.
#'
#' @param fit A fit from [r3d()] (class `rddist_r3d`).
#' @param B Number of bootstrap draws.
#' @param alpha Level: bands and intervals have coverage `1 - alpha`.
#' @param seed Seed of the multipliers; `NULL` takes one from R's generator, so
#'   `set.seed()` makes the call reproducible. The same seed gives the same draws in R,
#'   C++ and the command-line tool, whatever the order of the units.
#' @param xi Optional `n x B` matrix of multipliers (row = unit, in the order of the data).
#' @param cluster Optional cluster identifier per unit (any atomic vector): units of a
#'   cluster share their multiplier.
#' @param test Tests to run: any of `"nullity"` (\eqn{\tau(q) = 0} on a range),
#'   `"homogeneity"` (\eqn{\tau(q)} constant on a range), `"gini"` (equal Gini indices of
#'   the two side distributions), or `"none"`.
#' @param test_ranges `NULL` (the whole grid) or a list of numeric vectors; a vector
#'   `c(a, b)` is the range \[a, b\], a longer vector `c(a, b, c)` the ranges \[a, b\] and
#'   \[b, c\].
#' @param functionals Functionals of the side distributions: a character vector of
#'   `"mean"`, `"gini"`, quantile spreads such as `"q90-q10"`, and tail means
#'   `"lower_mean:0.1"` (mean below the 10th percentile) or `"upper_mean:0.9"`; and/or a
#'   named list of functions `f(q, Q)` of a quantile function `Q` on the grid `q`. Each is
#'   reported above and below the cutoff with a bootstrap interval for the difference.
#' @param keep_draws Keep the `B x M` bootstrap processes in the result.
#' @param sampler `"gaussian"` (default) or `"multipliers"` (see Details).
#' @param vce Residuals of the multiplier process: `"hc0"` (raw: the paper's process),
#'   `"hc2"` or `"hc3"` (scaled by \eqn{1/\sqrt{1-h_{ii}}} or \eqn{1/(1-h_{ii})}, with
#'   \eqn{h_{ii}} the unit's leverage in its side's weighted local polynomial fit; with
#'   clusters the leave-cluster-out analogues CR2 and CR3). `NULL` (default) means `"hc2"`
#'   in paper mode — the adjustment whose band coverage was closest to 95% in the Monte
#'   Carlo study `validation/vce_mc.R` — and `"hc0"` in compatibility mode, which allows
#'   nothing else. `vce = "hc0"` gives the paper's original procedure.
#' @param threads Threads for generating multipliers (default `getOption("rddist.threads", 1)`).
#' @param verbose Print a short line when the bootstrap finishes (default silent).
#' @return `fit` with the inference added: `se`, `conf_low`, `conf_high` (pointwise),
#'   `band` (a data frame `q, lower, upper`), `crit_val` (the band's half-width),
#'   `crit_val_sides` (`c(plus = , minus = )`: half-widths of the uniform bands of the two
#'   side curves, \eqn{\hat m_\pm(q) \pm \hat c_\pm}),
#'   `vcov` (the M x M covariance of the bootstrap process across the levels of the grid,
#'   divisor `B - 1`, whose diagonal is `se^2`; see [vcov.rddist_r3d()]), `se_plus`, `se_minus`
#'   (pointwise standard errors of the two side curves),
#'   `tests` (a data frame `test, range_low, range_high, statistic, crit_val, p_value`),
#'   `functionals` (a data frame), `seed`, `boot` (settings) and, if asked, `draws`.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 300, draws = 40, delta = 1, seed = 1)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), boot = FALSE)
#' fit <- r3d_bootstrap(fit, B = 499, seed = 42, functionals = c("mean", "q90-q10"))
#' fit$tests
#' fit$functionals
#' @export
r3d_bootstrap <- function(fit, B = 2000, alpha = 0.05, seed = NULL, xi = NULL, cluster = NULL,
                          test = c("nullity", "homogeneity"), test_ranges = NULL,
                          functionals = NULL, keep_draws = FALSE,
                          sampler = c("gaussian", "multipliers"), vce = NULL,
                          threads = default_threads(), verbose = FALSE) {
  if (!inherits(fit, "rddist_r3d")) stop_arg("r3d_bootstrap: fit must be a fit from r3d() (class rddist_r3d)")
  sampler <- match.arg(sampler)
  vce <- resolve_vce(vce, fit$compat)
  n <- fit$n
  check_number(alpha, "alpha", "r3d_bootstrap")
  if (!(alpha > 0 && alpha < 1)) stop_arg("r3d_bootstrap: alpha must lie strictly between 0 and 1")
  check_flag(keep_draws, "keep_draws", "r3d_bootstrap")
  check_flag(verbose, "verbose", "r3d_bootstrap")
  check_number(threads, "threads", "r3d_bootstrap", positive = TRUE, integer = TRUE)
  if (!is.null(xi)) {
    if (!is.matrix(xi) || !is.numeric(xi) || nrow(xi) != n) {
      stop_arg("r3d_bootstrap: xi must be a numeric matrix with one row per unit (", n, ")")
    }
    storage.mode(xi) <- "double"
    B <- ncol(xi)
  }
  check_number(B, "B", "r3d_bootstrap", positive = TRUE, integer = TRUE)
  seed <- resolve_seed(seed, "r3d_bootstrap")
  cluster_codes <- cluster_ids(cluster, n)
  tests <- test_specs(test, test_ranges, fit$q_grid)
  funs <- functional_specs(functionals)

  b <- call_core(.rddist_bootstrap(
    fit$data$X, fit$data$Q, as.numeric(fit$q_grid), fit$data$T, fit$cutoff, fit$method,
    fit$p, fit$kernel, fit$compat, fit$fuzzy, as.numeric(fit$h$num),
    if (fit$fuzzy) fit$h$den else NA_real_, B, alpha, seed, xi, cluster_codes,
    tests$type, tests$ranges, funs$builtin, keep_draws || length(funs$user) > 0,
    sampler, vce, as.integer(threads), verbose))
  emit_warnings(b$warnings)
  fit$se <- b$se
  fit$conf_low <- b$conf_low
  fit$conf_high <- b$conf_high
  fit$band <- data.frame(q = fit$q_grid, lower = b$band_low, upper = b$band_high)
  fit$crit_val <- b$crit_val
  fit$crit_val_sides <- b$crit_val_sides
  fit$vcov <- b$covariance
  fit$se_plus <- b$se_plus
  fit$se_minus <- b$se_minus
  fit$tests <- b$tests
  fit$functionals <- rbind(b$functionals, user_functionals(funs$user, fit, b, alpha))
  fit$seed <- seed
  fit$boot <- list(B = as.integer(b$draws), alpha = alpha, sampler = b$sampler, vce = vce,
                   clusters = if (b$clusters > 0) as.integer(b$clusters) else NULL)
  fit$draws <- if (keep_draws) list(tau = b$process, nu_plus = b$nu_plus, nu_minus = b$nu_minus) else NULL
  fit
}

# Integer codes 1..G for the cluster labels (any atomic vector), or NULL.
cluster_ids <- function(cluster, n) {
  if (is.null(cluster)) return(NULL)
  if (!is.atomic(cluster) || length(cluster) != n) {
    stop_arg("r3d_bootstrap: cluster must be a vector with one label per unit (", n, ")")
  }
  if (anyNA(cluster)) stop_arg("r3d_bootstrap: cluster has missing labels")
  match(cluster, unique(cluster))
}

# Test types and their ranges as a two-column matrix.
test_specs <- function(test, test_ranges, q_grid) {
  if (is.null(test) || identical(test, "none") || length(test) == 0L) {
    return(list(type = character(0), ranges = matrix(0, 0, 2)))
  }
  if (!is.character(test) || !all(test %in% c("nullity", "homogeneity", "gini", "none"))) {
    stop_arg("r3d_bootstrap: test must be among \"nullity\", \"homogeneity\", \"gini\", \"none\"")
  }
  test <- unique(setdiff(test, "none"))
  ranges <- if (is.null(test_ranges)) list(range(q_grid)) else test_ranges
  if (!is.list(ranges)) stop_arg("r3d_bootstrap: test_ranges must be a list of numeric vectors")
  pairs <- list()
  for (r in ranges) {
    if (!is.numeric(r) || length(r) < 2L || anyNA(r) || any(r < 0 | r > 1)) {
      stop_arg("r3d_bootstrap: each test range must be numeric, of length >= 2, within [0, 1]")
    }
    r <- sort(r)
    for (k in seq_len(length(r) - 1L)) pairs[[length(pairs) + 1L]] <- r[k:(k + 1L)]
  }
  type <- character(0)
  rows <- list()
  for (t in test) {
    use <- if (t == "gini") list(range(q_grid)) else pairs
    for (p in use) {
      type <- c(type, t)
      rows[[length(rows) + 1L]] <- p
    }
  }
  list(type = type, ranges = do.call(rbind, rows))
}

# Built-in functionals (names the core parses) and user functions as a named list.
functional_specs <- function(functionals) {
  out <- list(builtin = character(0), user = list())
  if (is.null(functionals)) return(out)
  items <- if (is.list(functionals)) functionals else as.list(functionals)
  labels <- names(items)
  if (is.null(labels)) labels <- rep("", length(items))
  for (k in seq_along(items)) {
    f <- items[[k]]
    if (is.function(f)) {
      if (!nzchar(labels[k])) stop_arg("r3d_bootstrap: give user functionals names, e.g. list(top = f)")
      out$user[[labels[k]]] <- f
      next
    }
    if (!is.character(f) || length(f) != 1L) {
      stop_arg("r3d_bootstrap: functionals must be names such as \"mean\" or functions")
    }
    out$builtin <- c(out$builtin, f)
  }
  out
}

# User functionals evaluated on the kept draws: basic bootstrap intervals.
user_functionals <- function(user, fit, b, alpha) {
  if (length(user) == 0L) return(NULL)
  q <- fit$q_grid
  rows <- lapply(names(user), function(name) {
    f <- user[[name]]
    plus <- f(q, fit$m_plus)
    minus <- f(q, fit$m_minus)
    if (!is.numeric(plus) || length(plus) != 1L || !is.numeric(minus) || length(minus) != 1L) {
      stop_arg("r3d_bootstrap: functional ", name, " must return a single number")
    }
    if (!is.finite(plus) || !is.finite(minus)) {
      stop_arg("r3d_bootstrap: functional ", name, " is not finite at the estimated quantile ",
               "functions (", format(plus), " above, ", format(minus), " below the cutoff)")
    }
    dev <- vapply(seq_len(nrow(b$nu_plus)), function(k) {
      f(q, fit$m_plus + b$nu_plus[k, ]) - f(q, fit$m_minus + b$nu_minus[k, ])
    }, numeric(1)) - (plus - minus)
    bad <- sum(!is.finite(dev))
    if (bad > length(dev) - 2L) {
      stop_arg("r3d_bootstrap: functional ", name, " is not finite in ", bad, " of ",
               length(dev), " bootstrap draws; no interval can be formed")
    }
    if (bad > 0L) {
      warning("r3d_bootstrap: functional ", name, " is not finite in ", bad, " of ",
              length(dev), " bootstrap draws; its interval uses the other draws", call. = FALSE)
    }
    dev <- dev[is.finite(dev)]
    data.frame(functional = name, plus = plus, minus = minus, difference = plus - minus,
               std.error = stats::sd(dev),
               conf.low = plus - minus - unname(stats::quantile(dev, 1 - alpha / 2)),
               conf.high = plus - minus - unname(stats::quantile(dev, alpha / 2)),
               stringsAsFactors = FALSE)
  })
  do.call(rbind, rows)
}

# The residual adjustment: the given one, or the mode's default (hc2 in paper mode, the
# reference package's raw residuals in compatibility mode).
resolve_vce <- function(vce, compat) {
  if (is.null(vce)) return(if (identical(compat, "paper")) "hc2" else "hc0")
  if (!is.character(vce) || length(vce) != 1L || !vce %in% c("hc0", "hc2", "hc3")) {
    stop_arg("r3d_bootstrap: vce must be \"hc0\", \"hc2\" or \"hc3\" (or NULL for the default)")
  }
  vce
}
