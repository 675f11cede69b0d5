#' Multiplier bootstrap: uniform bands, tests and functionals
#'
#' Adds inference to an [r3d()] fit with the multiplier bootstrap of the paper (Sec. 2.6):
#' pointwise standard errors, confidence intervals and p-values, a uniform confidence band
#' over the quantile grid with a uniform p-value at each level, uniform tests of the effect
#' on ranges of quantiles (nullity, homogeneity, and the one-sided tests that it is
#' nonnegative or nonpositive everywhere), a test of equal Gini indices, and confidence
#' intervals for functionals of the two side distributions (means, Gini indices, spreads,
#' tail means, the distribution function at a value).
#'
#' Each unit inside a bandwidth window contributes its intercept weight times its
#' residual; multipliers are standard normal, one per unit or one per `cluster`. With
#' Gaussian multipliers the bootstrap process is exactly a Gaussian process with the
#' covariance of these contributions, and the default `sampler = "gaussian"` draws it
#' from that covariance (much faster for many units); `sampler = "multipliers"` forms the
#' literal sums with one random stream per unit. Both have the same distribution. Given
#' `xi`, the literal sums use exactly those multipliers. Standard errors are the exact
#' standard deviations of that Gaussian process, without Monte Carlo noise.
#'
#' The band is studentized by default: \eqn{\hat\tau(q) \pm \hat c\,\hat s(q)}, with
#' \eqn{\hat s(q)} the standard error and \eqn{\hat c} the bootstrap quantile of
#' \eqn{\sup_q |\hat G(q)|/\hat s(q)}, so it is narrow where the effect is estimated
#' precisely and wide where it is not. `band_type = "constant"` gives the paper's band
#' \eqn{\hat\tau(q) \pm \hat c} with one half-width. The tests follow the band's shape
#' and use the statistic `test_statistic`.
#' Levels where the bootstrap has no variation at all (identical or noiseless outcomes)
#' get `NA` intervals and p-values with a warning, never a zero-width interval.
#'
#' @param fit A fit from [r3d()] (class `rddist_r3d`).
#' @param B Number of bootstrap draws (default 2000).
#' @param alpha Level: bands and intervals have coverage `1 - alpha` (default 0.05).
#' @param seed Seed of the multipliers; `NULL` takes one from R's generator, so
#'   `set.seed()` makes the call reproducible. The same seed gives the same draws in R,
#'   C++ and the command-line tool, whatever the order of the units.
#' @param xi Optional `n x B` matrix of multipliers (row = unit, in the order of the data).
#' @param cluster Optional cluster identifier per unit (any atomic vector): units of a
#'   cluster share their multiplier. `NULL` (default) keeps the clusters the fit was given
#'   (`cluster` of [r3d()]), if any; to bootstrap a clustered fit without clusters, refit
#'   it without them.
#' @param test Tests to run: any of `"nullity"` (\eqn{\tau(q) = 0} on a range),
#'   `"homogeneity"` (\eqn{\tau(q)} constant on a range), `"nonnegative"` (the null that
#'   \eqn{\tau(q) \ge 0} at every level of the range: rejecting it says the treatment lowers
#'   some quantile), `"nonpositive"` (\eqn{\tau(q) \le 0} everywhere), `"gini"` (equal Gini
#'   indices of the two side distributions, always on the whole grid), or `"none"`. `NULL`
#'   (default): nullity and homogeneity (nullity alone on a one-level grid). The one-sided
#'   tests are calibrated at the least favourable point \eqn{\tau = 0} of their null, the
#'   distributional analogue of a stochastic-dominance test.
#' @param test_ranges `NULL` (the whole grid) or a list of numeric vectors; a vector
#'   `c(a, b)` is the range \[a, b\], a longer vector `c(a, b, c)` the ranges \[a, b\] and
#'   \[b, c\]. Each test runs on each range.
#' @param functionals Functionals of the side distributions: a character vector of
#'   `"mean"`, `"gini"`, quantile spreads such as `"q90-q10"`, and tail means
#'   `"lower_mean:0.1"` (mean below the 10th percentile) or `"upper_mean:0.9"`, and the
#'   distribution function at a value, `"cdf:1"` (\eqn{P(Y \le 1)}, e.g. a poverty
#'   headcount; its difference is the change in that share at the cutoff); and/or a named
#'   list of functions `f(q, Q)` of a quantile function `Q` on the grid `q`. Each is
#'   reported above and below the cutoff with a bootstrap interval for the difference. The
#'   distribution function is read off the side quantile functions, linear between the
#'   levels of the grid: exact where they are linear there, otherwise within the grid's
#'   spacing, and defined only for values between the curves' lowest and highest levels.
#' @param keep_draws Keep the `B x M` bootstrap processes in the result.
#' @param sampler `"gaussian"` (the default) or `"multipliers"` (see Details).
#' @param vce Residuals of the multiplier process: `"hc0"` (raw: the paper's process),
#'   `"hc2"` or `"hc3"` (scaled by \eqn{1/\sqrt{1-h_{ii}}} or \eqn{1/(1-h_{ii})}, with
#'   \eqn{h_{ii}} the unit's leverage in its side's weighted local polynomial fit; with
#'   clusters the leave-cluster-out analogues CR2 and CR3). `NULL` (default) means `"hc3"`
#'   in paper mode — with the studentized band, the narrowest choice that covered at least
#'   94% in every design with n >= 500 of the Monte Carlo study `validation/band_mc.R` —
#'   and `"hc0"` in compatibility mode, which allows nothing else. `vce = "hc0"` gives the paper's original procedure.
#' @param band_type `"studentized"` (the default in paper mode; see Details) or
#'   `"constant"` (the paper's band; the only one in compatibility mode).
#'   `band_type = "constant", vce = "hc0"` is the paper's original procedure.
#' @param test_statistic How the nullity, homogeneity and one-sided tests sum up the
#'   deviations \eqn{t(q)} of the estimate over the tested levels, in the band's scale
#'   (\eqn{t = \hat\tau/\hat s} for the studentized band): `"sup"`, their largest value
#'   (the band excludes zero at some level exactly when the sup nullity test rejects),
#'   `"cvm"`, their mean square over the range (Cramér–von Mises), which gathers evidence
#'   spread over many levels, or `"minp"`, the smaller of those two statistics' p-values,
#'   calibrated by the same draws (each draw's min-p among the draws); its `statistic` is
#'   that smaller p-value and its `crit_val` the `alpha` quantile of the draws' (it rejects
#'   below). `NULL` (default) means `"minp"` with the studentized band and `"sup"` with
#'   the constant band (the paper's tests) and in compatibility mode, which allows nothing
#'   else. In the Monte Carlo study `validation/test_statistic_mc.R`, `"cvm"` rejects a
#'   shift of the whole distribution more often than `"sup"` (DGP 1, n = 500: 84-86%
#'   against 81-84%) but far less often an effect confined to part of the distribution;
#'   `"minp"` lies between them on each design (82-85% there) and matches `"sup"` on
#'   average, with sizes at most 6.8%. With `"minp"` the nullity test no longer rejects
#'   exactly when the band excludes zero somewhere; `"sup"` keeps that duality.
#' @param threads Threads for generating multipliers (default `getOption("rddist.threads", 1)`).
#' @param verbose Feedback during the computation, as in [r3d()] (progress bar when
#'   interactive, `TRUE` stage lines, `FALSE` silent).
#' @return `fit` with the inference added: `se`, `conf_low`, `conf_high` (pointwise),
#'   `statistic` (\eqn{\hat\tau/\hat s}), `p_value` (pointwise, two-sided) and
#'   `p_value_uniform` (the smallest level at which the uniform band excludes zero there) per
#'   level, `band` (a data frame `q, lower, upper`), `crit_val` (the band's critical value:
#'   its half-width for a constant band, in standard errors for a studentized one),
#'   `band_sides` (uniform bands of the two side curves, a data frame `q, plus_lower,
#'   plus_upper, minus_lower, minus_upper`) and their critical values `crit_val_sides`,
#'   `vcov` (the exact M x M covariance of the bootstrap process across the levels of the
#'   grid, whose diagonal is `se^2`; see [vcov.rddist_r3d()]), `se_plus`, `se_minus`
#'   (pointwise standard errors of the two side curves),
#'   `tests` (a data frame `test, range_low, range_high, statistic, crit_val, p_value`),
#'   `functionals` (a data frame), `seed`, `boot` (settings, with `band_type`; in fuzzy
#'   designs also `first_stage_se` and `first_stage_f`, the standard error of the
#'   first-stage jump and its F = (jump / se)^2, below 10 with a warning) and, if asked,
#'   `draws`.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 300, draws = 40, delta = 1, seed = 1)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), boot = FALSE)
#' fit <- r3d_bootstrap(fit, B = 499, seed = 42, functionals = c("mean", "q90-q10"))
#' fit$tests
#' fit$functionals
#' @export
r3d_bootstrap <- function(fit, B = NULL, alpha = NULL, seed = NULL, xi = NULL, cluster = NULL,
                          test = NULL, test_ranges = NULL, functionals = NULL, keep_draws = FALSE,
                          sampler = NULL, vce = NULL, band_type = NULL, test_statistic = NULL,
                          threads = default_threads(), verbose = NULL) {
  if (!inherits(fit, "rddist_r3d")) {
    stop_arg("r3d_bootstrap: fit must be a fit from r3d() (class rddist_r3d)")
  }
  if (is.null(cluster)) cluster <- fit_clusters(fit)
  args <- c(fit_source(fit),
            model_args(fit$cutoff, fit$method, fit$p, fit$q_grid, fit$fuzzy, fit$kernel,
                       fit$compat, fit$quantile_type),
            bandwidth_args(fit$h, NULL, NULL, where = "r3d_bootstrap"),
            inference_args(B, alpha, seed, xi, cluster, fit$n, test, test_ranges, functionals,
                           keep_draws, sampler, vce, band_type, test_statistic,
                           "r3d_bootstrap"))
  res <- call_core(.rddist_r3d(c(args, list(stage = "inference", where = "r3d_bootstrap",
                                            threads = threads),
                                 core_feedback(verbose, "r3d_bootstrap"))))
  emit_warnings(res$warnings)
  fit$data$cluster <- cluster
  add_inference(fit, res$inference, args)
}

# The cluster labels of a fit's units (in the order of fit$data$X), or NULL: those given
# to r3d() or r3d_bootstrap(), else those of the formula interface's units.
fit_clusters <- function(fit) {
  if (!is.null(fit$data$cluster)) fit$data$cluster else fit$units$cluster
}

# The units and design of a fit, as the core takes them again: its quantile matrix,
# covariates, unit weights, donut and (placebo fits) true cutoff.
fit_source <- function(fit) {
  list(source = "quantiles", X = fit$data$X, T = fit$data$T, Q = fit$data$Q,
       covs = fit$data$covs, unit_weights = fit$data$unit_weights, donut = fit$donut,
       true_cutoff = fit$true_cutoff)
}

# The bootstrap's options as the core takes them (NULL: the core's default).
inference_args <- function(B, alpha, seed, xi, cluster, n, test, test_ranges, functionals,
                           keep_draws, sampler, vce, band_type = NULL, test_statistic = NULL,
                           where = "r3d") {
  check_flag(keep_draws, "keep_draws", where)
  if (!is.null(xi)) {
    if (!is.matrix(xi) || !is.numeric(xi)) stop_arg(where, ": xi must be a numeric matrix")
    storage.mode(xi) <- "double"
  }
  funs <- functional_specs(functionals, where)
  list(B = B, alpha = alpha, seed = resolve_seed(seed, where), xi = xi,
       cluster_units = cluster_codes(cluster, n, where), tests = test_names(test, where),
       test_ranges = range_pairs(test_ranges, where), functionals = funs$builtin,
       user_functionals = funs$user, keep_draws = keep_draws, sampler = sampler, vce = vce,
       band_type = band_type, test_statistic = test_statistic)
}

# Integer codes 0..G-1 of the cluster labels (any atomic vector), or NULL.
cluster_codes <- function(cluster, n, where) {
  if (is.null(cluster)) return(NULL)
  if (!is.atomic(cluster)) stop_arg(where, ": cluster must be a vector with one label per unit")
  if (anyNA(cluster)) stop_arg(where, ": cluster has missing labels")
  match(cluster, unique(cluster)) - 1L
}

# The tests as named (NULL: the core's default tests; "none": no test).
test_names <- function(test, where) {
  if (is.null(test)) return(NULL)
  if (!is.character(test)) stop_arg(where, ": test must be a character vector of test names")
  unique(setdiff(test, "none"))
}

# The ranges as a k x 2 matrix of (low, high): c(a, b, c) stands for [a, b] and [b, c].
range_pairs <- function(test_ranges, where) {
  if (is.null(test_ranges)) return(NULL)
  if (!is.list(test_ranges)) stop_arg(where, ": test_ranges must be a list of numeric vectors")
  pairs <- lapply(test_ranges, function(r) {
    if (!is.numeric(r) || length(r) < 2L || anyNA(r)) {
      stop_arg(where, ": each test range must be a numeric vector of at least two levels")
    }
    cbind(r[-length(r)], r[-1L])
  })
  do.call(rbind, pairs)
}

# Built-in functionals (names the core parses) and user functions as a named list.
functional_specs <- function(functionals, where) {
  out <- list(builtin = NULL, user = NULL)
  if (is.null(functionals)) return(out)
  items <- if (is.list(functionals)) functionals else as.list(functionals)
  labels <- names(items)
  if (is.null(labels)) labels <- rep("", length(items))
  for (k in seq_along(items)) {
    f <- items[[k]]
    if (is.function(f)) {
      out$user <- c(out$user, stats::setNames(list(f), labels[k]))
    } else if (is.character(f) && length(f) == 1L) {
      out$builtin <- c(out$builtin, f)
    } else {
      stop_arg(where, ": functionals must be names such as \"mean\" or functions")
    }
  }
  out
}
