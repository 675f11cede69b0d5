#' Placebo cutoffs
#'
#' Re-estimates a fit at false cutoffs, where the effect should be zero. Each placebo
#' analysis uses only the units on its own side of the true cutoff, so that the real
#' discontinuity cannot leak into it, and otherwise the fit's options: method, order,
#' kernel, grid, covariates, unit weights, donut, and its bootstrap settings. Bandwidths
#' the fit selected are selected anew at each placebo cutoff (with the same rule); given
#' bandwidths are reused. For a fuzzy fit the placebo estimates are those of the outcome's
#' jump (the reduced form), since the treatment does not jump at a false cutoff.
#'
#' @param fit A fit from [r3d()].
#' @param cutoffs The false cutoffs. `NULL` (default): the medians of the running
#'   variable below and above the true cutoff.
#' @param cluster Optional cluster labels of the fit's units (in the order of
#'   `fit$data$X`); `NULL` (default): the fit's own clusters, if it was given any.
#' @param verbose,threads As in [r3d()].
#' @return An object of class `rddist_placebo`: a data frame with one row per cutoff and
#'   level (`cutoff`, `placebo` — `FALSE` for the rows of the fit itself —, `quantile`,
#'   `estimate`, `std.error`, `conf.low`, `conf.high`, `band.low`, `band.high`,
#'   `p.value`, `p.value.uniform`, `p.value.nullity` (the uniform test of a zero effect at
#'   that cutoff), `n` (units used) and `bandwidth`). `plot()` and `autoplot()` draw
#'   \eqn{\hat\tau(q)} with its band per cutoff.
#' @examples
#' sim <- r3d_simulate(dgp = 1, n = 400, draws = 30, delta = 1, seed = 1)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), B = 299, seed = 2)
#' pl <- r3d_placebo(fit, cutoffs = c(-0.5, 0.5))
#' pl[pl$quantile == 0.5, ]
#' plot(pl)
#' @export
r3d_placebo <- function(fit, cutoffs = NULL, cluster = NULL, verbose = NULL,
                        threads = default_threads()) {
  where <- "r3d_placebo"
  if (!inherits(fit, "rddist_r3d")) stop_arg(where, ": fit must be a fit from r3d() (class rddist_r3d)")
  if (!is.null(fit$true_cutoff)) stop_arg(where, ": fit is itself a placebo fit")
  X <- fit$data$X
  if (is.null(cutoffs)) {
    cutoffs <- c(stats::median(X[X < fit$cutoff]), stats::median(X[X >= fit$cutoff]))
  }
  if (!is.numeric(cutoffs) || length(cutoffs) == 0L || anyNA(cutoffs)) {
    stop_arg(where, ": cutoffs must be numbers")
  }
  if (is.null(cluster)) cluster <- fit_clusters(fit)
  rows <- lapply(sort(unique(cutoffs)), function(cutoff) {
    placebo_rows(placebo_fit(fit, cutoff, cluster, verbose, threads), TRUE)
  })
  if (!is.null(fit$se)) rows <- c(rows, list(placebo_rows(fit, FALSE)))
  out <- do.call(rbind, rows)
  out <- out[order(out$cutoff, out$quantile), ]
  rownames(out) <- NULL
  attr(out, "true_cutoff") <- fit$cutoff
  attr(out, "level") <- if (is.null(fit$boot)) NA_real_ else 1 - fit$boot$alpha
  class(out) <- c("rddist_placebo", "data.frame")
  out
}

# The fit at one false cutoff.
placebo_fit <- function(fit, cutoff, cluster, verbose, threads) {
  src <- fit_source(fit)
  src$T <- NULL
  src$true_cutoff <- fit$cutoff
  given <- if (is.null(fit$bwselect)) fit$h["num"] else NULL
  bw <- fit$bwselect
  args <- c(src, model_args(cutoff, fit$method, fit$p, fit$q_grid, FALSE, fit$kernel, fit$compat,
                            fit$quantile_type),
            bandwidth_args(given$num, bw$s, bw$coverage, bwselect = fit$bandwidth_rule,
                           where = "r3d_placebo"))
  boot <- !is.null(fit$boot)
  if (boot) {
    b <- fit$boot
    args <- c(args, inference_args(b$B, b$alpha, fit$seed, NULL, cluster, length(fit$data$X),
                                   "nullity", NULL, NULL, FALSE, b$sampler, b$vce, b$band_type,
                                   b$test_statistic, "r3d_placebo"))
  }
  fit_r3d(args, if (boot) "inference" else "estimate", "r3d_placebo", verbose, threads, NULL)
}

# The rows of one fit in the placebo table.
placebo_rows <- function(f, placebo) {
  d <- tidy.rddist_r3d(f)
  nullity <- if (is.null(f$tests)) NULL else f$tests[f$tests$test == "nullity", ]
  h <- unlist(f$h$num)
  data.frame(cutoff = f$cutoff, placebo = placebo, d[, setdiff(names(d), "term"), drop = FALSE],
             p.value.nullity = if (is.null(nullity) || nrow(nullity) == 0L) NA_real_ else nullity$p_value[1L],
             n = as.integer(f$n), bandwidth = if (length(unique(h)) == 1L) h[1L] else NA_real_,
             stringsAsFactors = FALSE)
}

#' @rdname r3d_placebo
#' @param x,object An `rddist_placebo` table.
#' @param ... Ignored.
#' @export
plot.rddist_placebo <- function(x, ...) {
  d <- as.data.frame(x)
  label <- sprintf("%s cutoff %s", ifelse(d$placebo, "placebo", "true"),
                   trimws(format(d$cutoff, digits = 4, drop0trailing = TRUE)))
  d$panel <- factor(label, levels = unique(label))
  g <- ggplot2::ggplot(d, ggplot2::aes(x = .data$quantile))
  level <- attr(x, "level")
  if (!all(is.na(d$band.low))) {
    g <- g + ggplot2::geom_ribbon(ggplot2::aes(ymin = .data$band.low, ymax = .data$band.high),
                                  fill = col_band)
  }
  g +
    ggplot2::geom_hline(yintercept = 0, linetype = "dashed", colour = "grey40") +
    ggplot2::geom_line(ggplot2::aes(y = .data$estimate), colour = col_effect, linewidth = 0.9) +
    ggplot2::facet_wrap(~panel) +
    ggplot2::labs(x = "quantile level q", y = expression(hat(tau)(q)),
                  title = "Effects at placebo cutoffs",
                  subtitle = if (is.na(level)) NULL else
                    sprintf("%s%% uniform bands; each placebo uses the units on its side of the true cutoff",
                            format(100 * level))) +
    plot_theme()
}

#' @rdname r3d_placebo
#' @export
autoplot.rddist_placebo <- function(object, ...) plot.rddist_placebo(object, ...)
