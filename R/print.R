#' Print an r3d fit
#'
#' Shows the design, the bandwidth(s), the units on each side and the estimated effect at
#' up to nine levels of the quantile grid (the deciles when they are on the grid).
#'
#' @param x An object of class `r3d`.
#' @param digits Significant digits.
#' @param ... Ignored.
#' @return `x`, invisibly.
#' @export
print.r3d <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("Regression discontinuity with distribution-valued outcomes\n")
  cat(sprintf("  %s design, method %s, p = %d, %s kernel, cutoff %s%s\n",
              if (x$fuzzy) "fuzzy" else "sharp", x$method, x$p, x$kernel,
              format(x$cutoff, digits = digits),
              if (x$compat == "paper") "" else paste0(", compatibility mode ", x$compat)))
  cat(sprintf("  units: %d (%d above and %d below the cutoff within the bandwidth)\n",
              x$n, as.integer(x$n_plus), as.integer(x$n_minus)))
  h <- x$h$num
  h_text <- if (length(h) == 1L) format(h, digits = digits) else
    sprintf("%s to %s (one per level)", format(min(h), digits = digits), format(max(h), digits = digits))
  cat("  bandwidth:", h_text)
  if (x$fuzzy) cat(";  treatment bandwidth:", format(x$h$den, digits = digits))
  if (!is.null(x$bwselect)) {
    cat(if (x$method == "frechet") "  (IMSE-optimal" else "  (MSE-optimal",
        if (isTRUE(x$bwselect$coverage)) ", coverage-error shrinkage)" else ")", sep = "")
  }
  cat("\n")
  for (note in x$bwselect$notes) cat("  note:", note, "\n")
  if (x$fuzzy) {
    cat(sprintf("  first stage: jump in treatment probability %s\n",
                format(x$first_stage$jump, digits = digits)))
  }
  rows <- display_levels(x$q_grid)
  tab <- data.frame(q = x$q_grid[rows], tau = x$tau[rows], m_plus = x$m_plus[rows],
                    m_minus = x$m_minus[rows])
  cat("\n")
  print(format(tab, digits = digits), row.names = FALSE)
  invisible(x)
}

# Indices of at most nine levels to display: the deciles when present, else evenly spaced.
display_levels <- function(q) {
  deciles <- match(round(seq(0.1, 0.9, 0.1), 10), round(q, 10))
  if (!anyNA(deciles)) return(deciles)
  if (length(q) <= 9L) return(seq_along(q))
  unique(round(seq(1, length(q), length.out = 9)))
}
