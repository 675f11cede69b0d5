# Golden files of the reference package R3D 0.1.0, copied from shared/reference so that
# R CMD check (which runs from the tarball) can read them. A ctest check keeps the
# copies identical to the originals.
parity <- new.env()
fixture <- function(name) {
  parity$file <- name
  d <- utils::read.csv(test_path("fixtures", name), check.names = FALSE)
  parity$read <- c(list(list(file = name, data = d)), parity$read)
  d
}

# The golden file (read most recently) having a column equal to the first column of
# `expected`; else the file read last.
golden_source <- function(expected) {
  first <- as.numeric(if (is.matrix(expected)) expected[, 1] else expected)
  for (r in parity$read) {
    for (col in r$data) {
      if (is.numeric(col) && length(col) == length(first) && isTRUE(all(col == first))) {
        return(r$file)
      }
    }
  }
  parity$file %||% ""
}

# Largest relative error; a reference value of exactly zero must be matched exactly.
# With RDDIST_PARITY_LOG set to a file name, each comparison appends a line: the golden
# file `golden` (by default the one holding `expected`, else the one read last), the
# compared quantity and the error (validation/parity_report.R).
max_rel_error <- function(actual, expected, golden = NULL) {
  what <- deparse1(substitute(actual))
  if (nzchar(Sys.getenv("RDDIST_PARITY_LOG"))) golden <- golden %||% golden_source(expected)
  actual <- as.numeric(actual)
  expected <- as.numeric(expected)
  stopifnot(length(actual) == length(expected))
  err <- ifelse(expected == 0, ifelse(actual == 0, 0, Inf), abs(actual - expected) / abs(expected))
  log <- Sys.getenv("RDDIST_PARITY_LOG")
  if (nzchar(log)) {
    cat(sprintf("%s\t%s\t%.3g\n", golden, what, max(err)), file = log, append = TRUE)
  }
  max(err)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

# Units of a long golden file: running variable, treatment and draws per unit.
long_units <- function(name) {
  d <- fixture(name)
  units <- unique(d$unit)
  rows <- split(seq_len(nrow(d)), factor(d$unit, levels = units))
  list(
    X = vapply(rows, function(r) d$x[r[1]], numeric(1)),
    T = if ("t" %in% names(d)) vapply(rows, function(r) d$t[r[1]], numeric(1)) else NULL,
    Y = lapply(rows, function(r) d$y[r])
  )
}

# The wide golden data: running variable (and treatment) plus quantiles at j/(M+1).
wide_units <- function(name) {
  d <- fixture(name)
  qcols <- grep("^Q[0-9]+$", names(d))
  list(X = d$X, T = d$T_treat, Q = as.matrix(d[, qcols]),
       q = seq_along(qcols) / (length(qcols) + 1))
}
