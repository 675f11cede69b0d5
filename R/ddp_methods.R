#' Print, summarise and plot a ddp solution
#'
#' `print()` shows the objective, its value according to the dynamic program and with the
#' true stock, and how the problem was solved. `summary()` adds summaries of the optimal
#' return distribution next to those of the expected-return-maximising (risk-neutral)
#' policy. `plot()` (or `autoplot()`) draws the two cumulative distribution functions with
#' ggplot2, titled with what was optimised.
#'
#' @param x,object An object of class `rddist_ddp` (or `summary.rddist_ddp`).
#' @param digits Significant digits.
#' @param ... Ignored.
#' @return `print()` returns `x` invisibly; `summary()` returns an object of class
#'   `summary.rddist_ddp` with the table `distributions` (rows: optimal, risk-neutral;
#'   columns: mean, sd, quantiles) and the fields of `x` it reports; `plot()` and
#'   `autoplot()` return a ggplot object (drawn when printed).
#' @examples
#' tr <- data.frame(
#'   state = c("s", "s", "s"), action = c("S", "R", "R"),
#'   prob = c(1, 0.9, 0.1), reward = c(0, 10, -50), next_state = NA
#' )
#' fit <- ddp_solve(tr, gamma = 1, objective = ddp_cvar(0.5), representation = "exact")
#' print(fit)
#' summary(fit)
#' plot(fit)
#' @name ddp_methods
NULL

#' @rdname ddp_methods
#' @export
print.rddist_ddp <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("Distributional dynamic programming with stock augmentation\n")
  cat("  objective:", x$objective$label, "\n")
  cat(sprintf("  value: %s (dynamic program)", format(x$value, digits = digits)))
  ts <- x$true_stock
  if (ts$method != "none") {
    how <- if (ts$method == "exact") "exact" else
      sprintf("Monte Carlo, %d episodes, seed %s, s.e. %s", as.integer(ts$episodes),
              format(ts$seed), format(ts$std_error, digits = 2))
    cat(sprintf("; %s with the true stock (%s)", format(ts$value, digits = digits), how))
  }
  cat("\n")
  cat(sprintf("  start: state %s, stock %s\n", format(x$start_state),
              format(x$start_stock, digits = digits)))
  rep <- if (is.null(x$atoms)) x$representation else
    sprintf("%s (%d atoms on [%s, %s])", x$representation, x$atoms,
            format(x$support[1], digits = digits), format(x$support[2], digits = digits))
  stock <- if (x$stock == "exact") sprintf("exact (%d reachable nodes)", x$nodes) else
    sprintf("grid of %d points on [%s, %s]", length(x$stock_grid),
            format(min(x$stock_grid), digits = digits), format(max(x$stock_grid), digits = digits))
  if (!is.null(x$atoms)) {
    rep <- sprintf("%s; distributions within W1 %s of the policy's", rep,
                   format(x$law_error_bound, digits = 2))
  }
  cat("  representation:", rep, "\n")
  cat("  stock:", stock, "\n")
  how <- if (x$stock == "exact") "backward induction over the reachable stocks" else
    if (!is.null(x$horizon)) sprintf("backward induction, %d steps", x$iterations) else
      sprintf("%s, %d iteration(s), %s (last change %s)", sub("_", " ", x$method), x$iterations,
              if (x$converged) "converged" else "NOT converged", format(x$residual, digits = 2))
  cat(sprintf("  gamma = %s%s; %s\n", format(x$gamma),
              if (is.null(x$horizon)) "" else sprintf(", horizon %d", x$horizon), how))
  cat(sprintf("  mean return %s (risk-neutral policy: %s); policy table of %d rows in $policy\n",
              format(x$mean, digits = digits), format(x$risk_neutral_mean, digits = digits),
              nrow(x$policy)))
  invisible(x)
}

#' @rdname ddp_methods
#' @export
summary.rddist_ddp <- function(object, ...) {
  describe <- function(d) {
    m <- law_mean(d)
    c(mean = m, sd = sqrt(max(0, sum(d$prob * (d$value - m)^2))),
      q05 = law_quantile(d, 0.05), q25 = law_quantile(d, 0.25), median = law_quantile(d, 0.5),
      q75 = law_quantile(d, 0.75), q95 = law_quantile(d, 0.95))
  }
  tab <- rbind(optimal = describe(object$return_distribution),
               `risk-neutral` = describe(object$risk_neutral))
  out <- object[c("objective", "value", "value_true_stock", "true_stock", "start_state",
                  "start_stock", "iterations", "converged", "residual", "search")]
  out$distributions <- tab
  class(out) <- "summary.rddist_ddp"
  out
}

#' @rdname ddp_methods
#' @export
print.summary.rddist_ddp <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("Distributional dynamic programming: summary\n")
  cat("  objective:", x$objective$label, "\n")
  cat(sprintf("  value %s (dynamic program), %s (true stock, %s)\n",
              format(x$value, digits = digits), format(x$value_true_stock, digits = digits),
              x$true_stock$method))
  cat(sprintf("  start state %s, stock %s; %d iteration(s), %s\n", format(x$start_state),
              format(x$start_stock, digits = digits), x$iterations,
              if (x$converged) "converged" else "not converged"))
  if (!is.null(x$search)) {
    cat(sprintf("  searched %d start stocks for the best\n", nrow(x$search)))
  }
  cat("\nReturn distribution from the start:\n")
  print(signif(x$distributions, digits))
  invisible(x)
}

#' @rdname ddp_methods
#' @export
plot.rddist_ddp <- function(x, ...) {
  d <- rbind(cdf_steps(x$return_distribution, "optimal policy"),
             cdf_steps(x$risk_neutral, "risk-neutral policy"))
  lim <- range(d$value)
  pad <- 0.05 * max(diff(lim), 1e-8)
  # Both steps start at 0 left of the smallest return and end at 1 right of the largest.
  d <- do.call(rbind, lapply(split(d, d$policy), function(s) {
    rbind(data.frame(value = lim[1] - pad, cdf = 0, policy = s$policy[1]), s,
          data.frame(value = lim[2] + pad, cdf = 1, policy = s$policy[1]))
  }))
  d$policy <- factor(d$policy, levels = c("optimal policy", "risk-neutral policy"))
  value <- sprintf("value %s (dynamic program)", format(x$value, digits = 4))
  if (x$true_stock$method != "none") {
    value <- sprintf("%s, %s with the true stock", value, format(x$value_true_stock, digits = 4))
  }
  ggplot2::ggplot(d, ggplot2::aes(x = .data$value, y = .data$cdf, colour = .data$policy,
                                  linetype = .data$policy)) +
    ggplot2::geom_step(direction = "hv", linewidth = 0.9) +
    ggplot2::scale_colour_manual(values = c("optimal policy" = col_effect,
                                            "risk-neutral policy" = "grey50"), name = NULL) +
    ggplot2::scale_linetype_manual(values = c("optimal policy" = "solid",
                                              "risk-neutral policy" = "dashed"), name = NULL) +
    ggplot2::coord_cartesian(ylim = c(0, 1)) +
    ggplot2::labs(x = "return G", y = "P(G <= g)",
                  title = paste("Return distribution maximising", x$objective$label),
                  subtitle = value,
                  caption = sprintf("start state %s; %s representation", format(x$start_state),
                                    x$representation)) +
    plot_theme()
}

#' @rdname ddp_methods
#' @export
autoplot.rddist_ddp <- function(object, ...) plot.rddist_ddp(object, ...)

# The distribution function of a finite law at its atoms (those with positive mass: a
# categorical law lists every support point).
cdf_steps <- function(law, policy) {
  law <- law[law$prob > 0, , drop = FALSE]
  o <- order(law$value)
  data.frame(value = law$value[o], cdf = pmin(1, cumsum(law$prob[o])), policy = policy)
}

law_mean <- function(d) sum(d$value * d$prob)

# Lower quantile inf{g : P(G <= g) >= p} of a finite law.
law_quantile <- function(d, p) {
  o <- order(d$value)
  F <- cumsum(d$prob[o])
  d$value[o][min(which(F >= p - 1e-12), length(F))]
}
