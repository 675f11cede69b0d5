# Plots with ggplot2: the effect curve with its band, the two side quantile functions,
# and the RD plot of binned unit quantiles against the running variable.

# Colours: effect line and ribbons (blues), the two sides, the levels of rd_plot().
col_effect <- "#08306b"
col_ci <- "#4a90c8"
col_band <- "#c6dbef"
col_sides <- c(above = "#c2410c", below = "#0f766e")
col_levels <- c("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                "#a6761d", "#666666")

#' Plot an r3d fit
#'
#' `type = "effect"` draws the estimated effect \eqn{\hat\tau(q)} against the quantile
#' level with the uniform confidence band (light ribbon) and the pointwise confidence
#' intervals (darker ribbon) from the bootstrap, and a dashed line at zero.
#' `type = "sides"` draws the two side quantile functions \eqn{\hat m_+(q)} (just above the
#' cutoff) and \eqn{\hat m_-(q)} (just below) with, from the bootstrap draws of each side,
#' pointwise intervals (\eqn{\pm z_{1-\alpha/2}} times their standard errors;
#' `band = "pointwise"`) or uniform bands (\eqn{\pm \hat c_\pm}, the
#' \eqn{1-\alpha} quantile of the side process's supremum; `band = "uniform"`). Without
#' the bootstrap only the curves are drawn. `autoplot()` is the same for ggplot2 users.
#'
#' @param x,object An `r3d` fit.
#' @param type `"effect"` or `"sides"`.
#' @param band For `type = "sides"`: `"pointwise"` intervals or `"uniform"` bands.
#' @param ... Ignored.
#' @return A ggplot object (drawn when printed; add layers or themes with `+`).
#' @seealso [rd_plot()] for the data against the running variable.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 300, draws = 30, delta = 1, seed = 9)
#' fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.05, 0.95, 0.05), B = 299, seed = 10)
#' plot(fit)
#' plot(fit, type = "sides")
#' plot(fit, type = "sides", band = "uniform")
#' @export
plot.rddist_r3d <- function(x, type = c("effect", "sides"), band = c("pointwise", "uniform"), ...) {
  type <- match.arg(type)
  band <- match.arg(band)
  if (type == "effect") effect_plot(x) else sides_plot(x, band)
}

#' @rdname plot.rddist_r3d
#' @importFrom ggplot2 autoplot
#' @export
autoplot.rddist_r3d <- function(object, type = c("effect", "sides"), band = c("pointwise", "uniform"),
                         ...) {
  plot.rddist_r3d(object, type = type, band = band, ...)
}

level_text <- function(fit) paste0(format(100 * (1 - fit$boot$alpha)), "%")

# The design in one line, as the command line's SVG subtitle gives it.
design_text <- function(fit) {
  paste0(fit$method, ", ", fit$kernel, " kernel, p = ", fit$p, ", h = ",
         bandwidth_text(fit$h$num, 4),
         if (fit$fuzzy) ", fuzzy" else "", ", ", fit$n, " units, cutoff ", format(fit$cutoff))
}

effect_plot <- function(fit) {
  d <- tidy.rddist_r3d(fit)
  g <- ggplot2::ggplot(d, ggplot2::aes(x = .data$quantile))
  subtitle <- design_text(fit)
  if (!is.null(fit$se)) {
    lev <- level_text(fit)
    fills <- stats::setNames(c(col_band, col_ci),
                             c(paste(lev, "uniform band"), paste(lev, "pointwise CI")))
    g <- g +
      ggplot2::geom_ribbon(ggplot2::aes(ymin = .data$band.low, ymax = .data$band.high,
                                        fill = names(fills)[1])) +
      ggplot2::geom_ribbon(ggplot2::aes(ymin = .data$conf.low, ymax = .data$conf.high,
                                        fill = names(fills)[2]), alpha = 0.55) +
      ggplot2::scale_fill_manual(values = fills, breaks = names(fills), name = NULL)
    subtitle <- sprintf("%s\nmultiplier bootstrap, B = %d", subtitle, fit$boot$B)
  }
  g +
    ggplot2::geom_hline(yintercept = 0, linetype = "dashed", colour = "grey40") +
    ggplot2::geom_line(ggplot2::aes(y = .data$estimate), colour = col_effect, linewidth = 0.9) +
    ggplot2::labs(x = "quantile level q", y = expression(hat(tau)(q)),
                  title = paste0("Effect on the outcome distribution",
                                 if (fit$fuzzy) " (compliers)" else ""),
                  subtitle = subtitle) +
    plot_theme()
}

sides_plot <- function(fit, band = "pointwise") {
  q <- fit$q_grid
  labels <- c(above = "above the cutoff", below = "below the cutoff")
  d <- data.frame(quantile = c(q, q), value = c(fit$m_plus, fit$m_minus),
                  side = factor(rep(labels, each = length(q)), levels = labels))
  colours <- stats::setNames(unname(col_sides), labels)
  g <- ggplot2::ggplot(d, ggplot2::aes(x = .data$quantile, y = .data$value,
                                       colour = .data$side, fill = .data$side))
  subtitle <- NULL
  if (!is.null(fit$se_plus)) {
    if (band == "uniform") {
      d$low <- c(fit$band_sides$plus_lower, fit$band_sides$minus_lower)
      d$high <- c(fit$band_sides$plus_upper, fit$band_sides$minus_upper)
    } else {
      half <- stats::qnorm(1 - fit$boot$alpha / 2) * c(fit$se_plus, fit$se_minus)
      d$low <- d$value - half
      d$high <- d$value + half
    }
    g <- g + ggplot2::geom_ribbon(data = d, ggplot2::aes(ymin = .data$low, ymax = .data$high),
                                  alpha = 0.18, colour = NA)
    subtitle <- paste(level_text(fit), if (band == "uniform") "uniform bands" else
                                          "pointwise intervals")
  }
  g +
    ggplot2::geom_line(linewidth = 0.9) +
    ggplot2::scale_colour_manual(values = colours, name = NULL) +
    ggplot2::scale_fill_manual(values = colours, name = NULL) +
    ggplot2::labs(x = "quantile level q", y = "quantile function at the cutoff",
                  title = "Quantile functions just above and below the cutoff",
                  subtitle = subtitle) +
    plot_theme()
}

plot_theme <- function() {
  ggplot2::theme_bw(base_size = 11) +
    ggplot2::theme(legend.position = "bottom", panel.grid.minor = ggplot2::element_blank(),
                   plot.title = ggplot2::element_text(face = "bold", size = 12))
}

#' RD plot for distribution-valued outcomes
#'
#' The regression discontinuity plot of the paper for distributions: for each chosen
#' quantile level \eqn{q}, the units' empirical quantiles \eqn{\hat Q_i(q)} are averaged
#' within bins of the running variable on each side of the cutoff (points), and a global
#' polynomial of order `p` in the running variable is fitted to the units' quantiles on
#' each side (lines). A jump of the lines at the cutoff (dashed vertical line) is the
#' discontinuity in that quantile.
#'
#' Bins are formed separately on each side. `binning = "equal"` splits
#' \[min X, cutoff) and \[cutoff, max X\] into `bins` intervals of equal width (empty bins
#' are dropped); `binning = "quantile"` puts the breaks at quantiles of the running
#' variable on that side, so each bin holds about the same number of units. A point sits
#' at the mean running variable of its bin's units. Every unit counts once.
#'
#' @param X The running variable (default method), a formula `outcome ~ running` (formula
#'   method, with `data` and `unit` as in [r3d()]), or an `r3d` fit (whose units'
#'   quantiles on its grid are interpolated linearly to `q`).
#' @param Y_list List of draws per unit, as in [r3d()].
#' @param cutoff The cutoff.
#' @param q Quantile levels to show, in (0, 1).
#' @param bins Number of bins on each side: one number, or `c(below, above)`.
#' @param binning `"equal"` (equal-width bins) or `"quantile"` (equal-count bins).
#' @param p Order of the global polynomial fitted on each side (4 as in `rdrobust::rdplot`,
#'   2 for a smoother fit).
#' @param weights Sampling weights of the draws: a list parallel to `Y_list`, or for the
#'   formula method a column name.
#' @param quantile_type 7 or 1, as in [r3d()].
#' @param na.rm In the formula interface, drop rows with a missing outcome, as in [r3d()].
#' @param facet `FALSE`: all levels in one panel, one colour each; `TRUE`: one panel per
#'   level with its own y scale.
#' @param threads Threads for the per-unit quantiles.
#' @param ... Further arguments of the default method (formula and `r3d` methods).
#' @inheritParams r3d
#' @return A ggplot object. Its data (`$data`) hold the bins: `side`, `quantile`, `x`
#'   (mean running variable), `value` (mean unit quantile) and `units`.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 400, draws = 30, delta = 1, seed = 11)
#' rd_plot(sim$X, sim$Y_list, q = c(0.1, 0.5, 0.9), bins = 15)
#' # the same from a long data frame, two panels of their own scale
#' long <- data.frame(id = rep(seq_along(sim$X), each = 30), x = rep(sim$X, each = 30),
#'                    y = unlist(sim$Y_list))
#' rd_plot(y ~ x, data = long, unit = "id", q = c(0.25, 0.75), facet = TRUE, p = 2)
#' @export
rd_plot <- function(X, ...) UseMethod("rd_plot")

#' @rdname rd_plot
#' @export
rd_plot.default <- function(X, Y_list, cutoff = 0, q = c(0.1, 0.5, 0.9), bins = 20,
                            binning = c("equal", "quantile"), p = 4, weights = NULL,
                            quantile_type = NULL, facet = FALSE, ..., threads = default_threads()) {
  check_dots(..., where = "rd_plot")
  binning <- match.arg(binning)
  q <- check_plot_levels(q)
  source <- unit_source(X, Y_list, NULL, weights, where = "rd_plot")
  u <- plot_units(c(source, list(q_grid = q, quantile_type = quantile_type)), threads)
  rd_plot_units(u$X, u$Q, q, cutoff, bins, binning, p, facet, "running variable", "outcome")
}

#' @rdname rd_plot
#' @export
rd_plot.formula <- function(X, data, unit, weights = NULL, cutoff = 0, q = c(0.1, 0.5, 0.9),
                            quantile_type = NULL, na.rm = FALSE, ..., threads = default_threads()) {
  q <- check_plot_levels(q)
  long <- long_source(X, data, unit, NULL, weights, NULL, "rd_plot", na.rm)
  u <- plot_units(c(long$source, list(q_grid = q, quantile_type = quantile_type)), threads)
  args <- rd_plot_args(list(...))
  rd_plot_units(u$X, u$Q, q, cutoff, args$bins, args$binning, args$p, args$facet, long$running,
                long$outcome)
}

# The units' quantiles at the plotted levels, computed by the core.
plot_units <- function(args, threads) {
  res <- call_core(.rddist_r3d(c(args, list(stage = "units", where = "rd_plot", threads = threads))))
  emit_warnings(res$warnings)
  res
}

#' @rdname rd_plot
#' @export
rd_plot.rddist_r3d <- function(X, q = c(0.1, 0.5, 0.9), ...) {
  q <- check_plot_levels(q)
  Q <- call_core(.rddist_interpolate_rows(as.numeric(X$q_grid), X$data$Q, as.numeric(q)))
  args <- rd_plot_args(list(...))
  names <- fit_variable_names(X)
  rd_plot_units(X$data$X, Q, q, X$cutoff, args$bins, args$binning, args$p, args$facet,
                names$running, names$outcome)
}

# The names of a fit's running variable and outcome: the formula's sides, or the
# expressions given as X and Y_list in the call; generic words otherwise.
fit_variable_names <- function(fit) {
  if (inherits(fit$formula, "formula") && length(fit$formula) == 3L) {
    return(list(outcome = deparse1(fit$formula[[2L]]), running = deparse1(fit$formula[[3L]])))
  }
  call <- fit$call
  given <- function(name, fallback) {
    if (is.null(call) || is.null(call[[name]])) fallback else deparse1(call[[name]])
  }
  list(running = given("X", "running variable"), outcome = given("Y_list", "outcome"))
}

rd_plot_args <- function(args) {
  known <- c("bins", "binning", "p", "facet")
  extra <- setdiff(names(args), known)
  if (length(extra) || (length(args) && is.null(names(args)))) {
    stop_arg("rd_plot: unknown argument(s): ", paste(if (length(extra)) extra else "<unnamed>",
                                                     collapse = ", "))
  }
  list(bins = if (is.null(args$bins)) 20 else args$bins,
       binning = match.arg(if (is.null(args$binning)) "equal" else args$binning,
                           c("equal", "quantile")),
       p = if (is.null(args$p)) 4 else args$p,
       facet = if (is.null(args$facet)) FALSE else args$facet)
}

check_plot_levels <- function(q) {
  if (!is.numeric(q) || length(q) == 0L || any(!is.finite(q)) || any(q <= 0 | q >= 1)) {
    stop_arg("rd_plot: q must be quantile levels strictly between 0 and 1")
  }
  sort(unique(q))
}

rd_plot_units <- function(X, Q, q, cutoff, bins, binning, p, facet, xlab, ylab) {
  check_number(cutoff, "cutoff", "rd_plot")
  check_number(p, "p", "rd_plot", integer = TRUE)
  if (p < 0) stop_arg("rd_plot: p must be 0 or more")
  check_flag(facet, "facet", "rd_plot")
  if (!is.numeric(bins) || !(length(bins) %in% 1:2) || any(!is.finite(bins)) ||
      any(bins < 1 | bins != round(bins))) {
    stop_arg("rd_plot: bins must be one whole number >= 1, or two (below, above)")
  }
  bins <- rep_len(bins, 2L)
  above <- X >= cutoff
  if (!any(above) || all(above)) {
    stop_arg("rd_plot: the cutoff ", cutoff, " must have units on both sides")
  }
  qlab <- paste0("q = ", format_level(q))
  points <- list()
  lines <- list()
  for (side in c("below", "above")) {
    in_side <- if (side == "above") above else !above
    x <- X[in_side]
    distinct <- length(unique(x))
    if (distinct <= p) {
      stop_arg("rd_plot: only ", distinct, " distinct value(s) of the running variable lie ",
               side, " the cutoff; a polynomial of order ", p, " needs at least ", p + 1,
               " (lower p)")
    }
    nb <- bins[if (side == "below") 1L else 2L]
    lo <- if (side == "below") min(x) else cutoff
    hi <- if (side == "below") cutoff else max(x)
    breaks <- if (binning == "equal") seq(lo, hi, length.out = nb + 1L) else
      unique(stats::quantile(x, probs = seq(0, 1, length.out = nb + 1L), names = FALSE))
    bin <- if (length(breaks) < 2L) rep(1L, length(x)) else
      findInterval(x, breaks, rightmost.closed = TRUE, all.inside = TRUE)
    count <- tabulate(bin)
    used <- which(count > 0)
    sums <- rowsum(cbind(x, Q[in_side, , drop = FALSE]), bin, reorder = TRUE)
    means <- sums / count[used]
    # Global polynomial on the side's units, on a centred and scaled regressor.
    scale <- max(abs(x - cutoff))
    design <- function(v) outer((v - cutoff) / scale, 0:p, `^`)
    grid <- seq(lo, hi, length.out = 200L)
    coef <- qr.solve(qr(design(x)), Q[in_side, , drop = FALSE])
    fitted <- design(grid) %*% coef
    for (k in seq_along(q)) {
      points[[length(points) + 1L]] <- data.frame(side = side, quantile = qlab[k], x = means[, 1L],
                                                  value = means[, k + 1L], units = count[used])
      lines[[length(lines) + 1L]] <- data.frame(side = side, quantile = qlab[k], x = grid,
                                                value = fitted[, k])
    }
  }
  pts <- do.call(rbind, points)
  fits <- do.call(rbind, lines)
  pts$quantile <- factor(pts$quantile, levels = qlab)
  fits$quantile <- factor(fits$quantile, levels = qlab)
  fits$group <- paste(fits$side, fits$quantile)
  colours <- stats::setNames(if (length(q) <= length(col_levels)) col_levels[seq_along(q)] else
    grDevices::hcl.colors(length(q), "Dark 3"), qlab)
  g <- ggplot2::ggplot(pts, ggplot2::aes(x = .data$x, y = .data$value, colour = .data$quantile)) +
    ggplot2::geom_vline(xintercept = cutoff, linetype = "dashed", colour = "grey35") +
    ggplot2::geom_point(size = 1.8, alpha = 0.85) +
    ggplot2::geom_line(data = fits, ggplot2::aes(group = .data$group), linewidth = 0.9) +
    ggplot2::scale_colour_manual(values = colours, name = NULL) +
    ggplot2::labs(x = xlab, y = paste0("unit quantiles of ", ylab, " (bin means)"),
                  title = "RD plot of the units' quantiles",
                  subtitle = sprintf("%s bins (%d below, %d above); global polynomials of order %d",
                                     if (binning == "equal") "equal-width" else "equal-count",
                                     bins[1], bins[2], p)) +
    plot_theme()
  if (facet) {
    g <- g + ggplot2::facet_wrap(ggplot2::vars(.data$quantile), scales = "free_y", nrow = 1L) +
      ggplot2::theme(legend.position = "none")
  }
  g
}
