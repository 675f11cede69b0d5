# Golden files of the reference package R3D 0.1.0, copied from shared/reference so that
# R CMD check (which runs from the tarball) can read them. A ctest check keeps the
# copies identical to the originals.
fixture <- function(name) {
  utils::read.csv(test_path("fixtures", name), check.names = FALSE)
}

# Largest relative error; a reference value of exactly zero must be matched exactly.
max_rel_error <- function(actual, expected) {
  actual <- as.numeric(actual)
  expected <- as.numeric(expected)
  stopifnot(length(actual) == length(expected))
  err <- ifelse(expected == 0, ifelse(actual == 0, 0, Inf), abs(actual - expected) / abs(expected))
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
