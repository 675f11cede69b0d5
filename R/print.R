#' Print an r3d fit
#'
#' Shows the design, the bandwidth(s), the units on each side and the estimated effect at
#' up to nine levels of the quantile grid (the deciles when they are on the grid).
#'
#' @param x A fit from [r3d()] (class `rddist_r3d`).
#' @param digits Significant digits.
#' @param ... Ignored.
#' @return `x`, invisibly.
#' @export
print.rddist_r3d <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("Regression discontinuity with distribution-valued outcomes\n")
  cat(sprintf("  %s design, method %s, p = %d, %s kernel, cutoff %s%s\n",
              if (x$fuzzy) "fuzzy" else "sharp", x$method, x$p, x$kernel,
              format(x$cutoff, digits = digits),
              if (x$compat == "paper") "" else paste0(", compatibility mode ", x$compat)))
  cat(sprintf("  units: %d (%d above and %d below the cutoff within the bandwidth)\n",
              x$n, as.integer(x$n_plus), as.integer(x$n_minus)))
  if (isTRUE(x$n_donut > 0L)) {
    cat(sprintf("  donut: %d unit(s) with |X - cutoff| < %s left out\n", x$n_donut,
                format(x$donut, digits = digits)))
  }
  if (!is.null(x$true_cutoff)) {
    cat(sprintf("  placebo cutoff: only the %d units on its side of the true cutoff %s\n", x$n,
                format(x$true_cutoff, digits = digits)))
  }
  if (!is.null(x$gamma)) {
    cat("  covariates (coefficients common to both sides):", paste(rownames(x$gamma), collapse = ", "), "\n")
  }
  cat("  bandwidth:", bandwidth_text(x$h$num, digits))
  if (x$fuzzy) cat(";  treatment bandwidth:", bandwidth_text(x$h$den, digits))
  if (!is.null(x$bwselect)) {
    cat(if (x$method == "frechet") "  (IMSE-optimal" else "  (MSE-optimal",
        if (isTRUE(x$bwselect$coverage)) ", coverage-error shrinkage)" else ")", sep = "")
  }
  cat("\n")
  for (note in x$bwselect$notes) cat("  note:", note, "\n")
  if (x$fuzzy) {
    strength <- if (is.null(x$boot$first_stage_se)) "" else
      sprintf(" (se %s, F = %s)", format(x$boot$first_stage_se, digits = digits),
              format(x$boot$first_stage_f, digits = digits))
    cat(sprintf("  first stage: jump in treatment probability %s%s\n",
                format(x$first_stage$jump, digits = digits), strength))
  }
  rows <- display_levels(x$q_grid)
  tab <- data.frame(q = x$q_grid[rows], tau = x$tau[rows])
  if (!is.null(x$se)) {
    level <- format(100 * (1 - x$boot$alpha))
    tab$se <- x$se[rows]
    tab[[paste0("ci_", level, "_low")]] <- x$conf_low[rows]
    tab[[paste0("ci_", level, "_high")]] <- x$conf_high[rows]
    tab$band_low <- x$band$lower[rows]
    tab$band_high <- x$band$upper[rows]
    tab$p_value <- format.pval(x$p_value[rows], digits = 3)  # normal approximation
    tab$p_uniform <- format_p(x$p_value_uniform[rows], x$boot$B)
  } else {
    tab$m_plus <- x$m_plus[rows]
    tab$m_minus <- x$m_minus[rows]
  }
  cat("\n")
  print(format(tab, digits = digits), row.names = FALSE)
  if (length(rows) < length(x$q_grid)) {
    cat(sprintf("(%d of %d levels shown; tidy.rddist_r3d() lists all)\n",
                length(rows), length(x$q_grid)))
  }
  if (!is.null(x$se)) {
    cat(sprintf("\nUniform %s%% band: %s  (multiplier bootstrap, B = %d%s)\n",
                format(100 * (1 - x$boot$alpha)), band_text(x, digits), x$boot$B,
                if (is.null(x$boot$clusters)) "" else sprintf(", %d clusters", x$boot$clusters)))
  }
  if (!is.null(x$tests) && nrow(x$tests) > 0) {
    cat(tests_heading(x$boot$test_statistic), "\n", sep = "")
    for (k in seq_len(nrow(x$tests))) {
      t <- x$tests[k, ]
      label <- if (identical(x$boot$test_statistic, "minp") && t$test != "gini") "min-p" else "statistic"
      cat(sprintf("  %-12s q in [%s, %s]: %s %s, p-value %s\n", t$test,
                  format(t$range_low, digits = 3), format(t$range_high, digits = 3), label,
                  format(t$statistic, digits = digits), format_p(t$p_value, x$boot$B)))
    }
  }
  invisible(x)
}

# Indices of at most nine levels to display: the deciles when present, else evenly spaced.
display_levels <- function(q) {
  deciles <- match(round(seq(0.1, 0.9, 0.1), 10), round(q, 10))
  if (!anyNA(deciles)) return(deciles)
  if (length(q) <= 9L) return(seq_along(q))
  unique(round(seq(1, length(q), length.out = 9)))
}

# "Tests (... statistic):" naming the statistic of the uniform tests.
tests_heading <- function(statistic) {
  name <- switch(if (is.null(statistic)) "sup" else statistic,
                 cvm = "Cram\u00e9r-von Mises statistic",
                 minp = "min-p of the sup and Cram\u00e9r-von Mises statistics",
                 "sup statistic")
  sprintf("Tests (%s):", name)
}

# The band in words: tau +/- c (constant) or tau +/- c * se (studentized).
band_text <- function(x, digits) {
  if (identical(x$boot$band_type, "constant")) {
    return(paste("tau +/-", format(x$crit_val, digits = digits)))
  }
  paste("tau +/-", format(x$crit_val, digits = digits), "x se (studentized)")
}
