# Bad input gives an R error that says what to change, never a crash.

units <- local({
  set.seed(11)
  X <- runif(120, -1, 1)
  list(X = X, Y = lapply(X, function(x) rnorm(20, x + (x >= 0))))
})
q <- seq(0.1, 0.9, 0.1)

test_that("lengths must agree", {
  expect_error(r3d(units$X[-1], units$Y, bandwidths = 0.5), "same length")
  expect_error(r3d(units$X, units$Y, T = rep(1, 3), bandwidths = list(num = 0.5, den = 0.5)),
               "same length")
})

test_that("missing or infinite running variable is refused", {
  X <- units$X
  X[5] <- NA
  expect_error(r3d(X, units$Y, bandwidths = 0.5), "non-finite value\\(s\\) \\(first at unit 5\\)")
  X[5] <- Inf
  expect_error(r3d(X, units$Y, bandwidths = 0.5), "non-finite")
})

test_that("empty or missing draws are refused naming the unit", {
  Y <- units$Y
  Y[[7]] <- numeric(0)
  expect_error(r3d(units$X, Y, bandwidths = 0.5), "unit 7 .*no draws")
  Y[[7]] <- c(1, NA)
  expect_error(r3d(units$X, Y, bandwidths = 0.5), "unit 7 .*missing draw \\(position 2\\).*na.rm = TRUE")
  Y[[7]] <- c(1, Inf)
  expect_error(r3d(units$X, Y, bandwidths = 0.5), "unit 7 .*non-finite draw .*\\(position 2\\).*remove or fix")
  Y[[7]] <- "a"
  expect_error(r3d(units$X, Y, bandwidths = 0.5), "not a numeric vector")
})

test_that("the cutoff must lie inside the data with units on both sides", {
  expect_error(r3d(units$X, units$Y, cutoff = 3, bandwidths = 0.5), "outside the range")
  expect_error(r3d(units$X, units$Y, cutoff = min(units$X), bandwidths = 0.5),
               "no units lie below")
})

test_that("quantile levels must lie in (0, 1) and increase", {
  expect_error(r3d(units$X, units$Y, q_grid = c(0, 0.5), bandwidths = 0.5), "between 0 and 1")
  expect_error(r3d(units$X, units$Y, q_grid = c(0.5, 1.2), bandwidths = 0.5), "between 0 and 1")
  expect_error(r3d(units$X, units$Y, q_grid = c(0.6, 0.5), bandwidths = 0.5), "q_grid must increase strictly")
})

test_that("bandwidths must be positive and of a valid length", {
  expect_error(r3d(units$X, units$Y, q_grid = q, bandwidths = 0), "positive")
  expect_error(r3d(units$X, units$Y, q_grid = q, bandwidths = -1), "positive")
  expect_error(r3d(units$X, units$Y, q_grid = q, bandwidths = c(0.3, 0.4)), "one per level")
  expect_error(r3d(units$X, units$Y, q_grid = q, bandwidths = seq(0.3, 0.7, 0.05)),
               "one bandwidth")
  expect_error(r3d(units$X, units$Y, T = as.numeric(units$X >= 0), q_grid = q,
                   bandwidths = list(num = 0.5, den = -1)), "bandwidths\\$den must be a positive number")
  expect_error(r3d(units$X, units$Y, q_grid = q, bandwidths = list(den = 0.5)), "num")
})

test_that("too few units in the window is an error naming side, bandwidth and count", {
  expect_error(r3d(units$X, units$Y, q_grid = q, bandwidths = 0.01),
               "distinct value\\(s\\) of the running variable lie (above|below) the cutoff within bandwidth h = 0.01")
})

test_that("other argument mistakes are caught", {
  expect_error(r3d(units$X, units$Y, bandwidths = 0.5, bootstrap = TRUE), "unknown argument")
  expect_error(r3d(units$X, units$Y, bandwidths = 0.5, kernel = "gaussian"),
               "unknown kernel 'gaussian'; kernel must be triangular, epanechnikov or uniform")
  expect_error(r3d(units$X, units$Y, bandwidths = 0.5, p = 1.5), "whole number")
  expect_error(r3d(units$X, units$Y, bandwidths = 0.5, quantile_type = 4), "7 or 1")
  expect_error(r3d(units$X, units$Y, T = rep(0.5, 120), q_grid = q,
                   bandwidths = list(num = 0.5, den = 0.5)), "no jump")
  expect_error(r3d(as.character(units$X), units$Y, bandwidths = 0.5), "numeric vector")
})

test_that("the simulation designs follow the core's rules, as on the command line", {
  # DGP 1 has no exponential rate, so delta_lambda does not matter there; DGP 2 needs
  # positive rates (rddist simulate applies the same rule).
  expect_length(r3d_simulate(dgp = 1, n = 20, draws = 5, delta_lambda = -1, seed = 1)$X, 20)
  expect_error(r3d_simulate(dgp = 2, n = 20, draws = 5, delta_lambda = -1, seed = 1),
               "r3d_simulate: delta_lambda must exceed -0.5")
  expect_error(r3d_simulate(dgp = 3, n = 20, draws = 5, seed = 1), "dgp must be 1 or 2")
  expect_error(r3d_simulate(dgp = 1, n = 1, draws = 5, seed = 1), "number of units n must be")
})

test_that("R3D 0.1.0's argument names point to rddist's", {
  sim <- r3d_simulate(dgp = 1, n = 100, draws = 10, seed = 1)
  expect_error(r3d(sim$X, sim$Y_list, boot_reps = 100), "boot_reps is R3D 0.1.0's name; rddist calls it B")
  expect_error(r3d(sim$X, sim$Y_list, kernel_fun = "epanechnikov"), "rddist calls it kernel")
})

test_that("degenerate or malformed inputs found by fuzzing are refused or reported as NA", {
  sim <- r3d_simulate(1, n = 300, draws = 30, seed = 1)
  q <- seq(0.1, 0.9, 0.1)
  # A quantile matrix whose rows run backwards is not quantiles.
  Q <- t(sapply(sim$Y_list, stats::quantile, probs = q, names = FALSE))
  expect_error(r3d(sim$X, Q[, 9:1], q_grid = q, boot = FALSE),
               "r3d: the quantiles of unit 1 decrease .*cannot decrease")
  # Constant multiplier columns would make a zero-width band.
  fit <- r3d(sim$X, Q, q_grid = q, boot = FALSE)
  expect_error(r3d_bootstrap(fit, xi = matrix(0, 300, 99)),
               "column 1 of the multiplier matrix xi is constant")
  # A tail beyond the grid is not estimated.
  expect_error(r3d(sim$X, Q, q_grid = q, B = 99, seed = 1, functionals = "lower_mean:0.05"),
               "that tail is not estimated")
  # Noiseless outcomes: standard errors are NA, not rounding noise reported as numbers.
  flat <- suppressWarnings(r3d(sim$X, lapply(sim$Y_list, function(y) rep(1, 30)), q_grid = q,
                               B = 99, seed = 1))
  expect_true(all(is.na(flat$se)))
  expect_true(all(is.na(confint(flat, level = 0.9)[, 2])))
  # Messages name the function the user called.
  expect_error(r3d_bwselect(as.character(sim$X), sim$Y_list), "^r3d_bwselect: X must be")
})
