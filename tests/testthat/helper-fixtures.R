# Golden files of the reference package R3D 0.1.0 (fixtures/README.md). They live here,
# inside the package's tests, so that R CMD check (which runs from the tarball) reads the
# same copy as the C++ and command-line tests; SHA256SUMS guards them against edits.
fixture <- function(name) {
  d <- utils::read.csv(test_path("fixtures", name), check.names = FALSE)
  if (nzchar(parity_log())) parity$read <- c(list(list(file = name, data = d)), parity$read)
  d
}

# Parity logging (validation/parity_report.R): with RDDIST_PARITY_LOG set to a file name,
# fixture() remembers the files it read and every max_rel_error() appends a line: the
# golden file, the compared quantity and the error.
parity <- new.env()
parity_log <- function() Sys.getenv("RDDIST_PARITY_LOG")

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
  if (length(parity$read) > 0L) parity$read[[1]]$file else ""
}

# Largest relative error; a reference value of exactly zero must be matched exactly.
# `golden` names the golden file in the parity log (default: found by golden_source()).
max_rel_error <- function(actual, expected, golden = NULL) {
  what <- deparse1(substitute(actual))
  log <- parity_log()
  if (nzchar(log) && is.null(golden)) golden <- golden_source(expected)
  actual <- as.numeric(actual)
  expected <- as.numeric(expected)
  stopifnot(length(actual) == length(expected))
  err <- ifelse(expected == 0, ifelse(actual == 0, 0, Inf), abs(actual - expected) / abs(expected))
  if (nzchar(log)) cat(sprintf("%s\t%s\t%.3g\n", golden, what, max(err)), file = log, append = TRUE)
  max(err)
}

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
