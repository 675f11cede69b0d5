# One call into the core per r3d(), r3d_bwselect() and r3d_bootstrap(): the core selects
# what is not given, estimates once and bootstraps, and reports the values it used.

count_core_calls <- function(expr) {
  counter <- new.env()
  counter$n <- 0L
  increment <- function() counter$n <- counter$n + 1L
  suppressMessages(trace(".rddist_r3d", tracer = bquote(.(increment)()),
                         where = asNamespace("rddist"), print = FALSE))
  on.exit(suppressMessages(untrace(".rddist_r3d", where = asNamespace("rddist"))))
  force(expr)
  counter$n
}

test_that("each entry point crosses into C++ once", {
  sim <- r3d_simulate(dgp = 1, n = 300, draws = 20, delta = 1, seed = 4)
  q <- seq(0.1, 0.9, 0.2)
  expect_identical(count_core_calls(r3d(sim$X, sim$Y_list, q_grid = q, B = 99, seed = 1)), 1L)
  long <- data.frame(id = rep(seq_along(sim$X), each = 20), x = rep(sim$X, each = 20),
                     y = unlist(sim$Y_list))
  expect_identical(count_core_calls(r3d(y ~ x, data = long, unit = "id", q_grid = q, B = 99,
                                        seed = 1)), 1L)
  fit <- r3d(sim$X, sim$Y_list, q_grid = q, boot = FALSE)
  expect_identical(count_core_calls(r3d_bootstrap(fit, B = 99, seed = 2)), 1L)
  expect_identical(count_core_calls(r3d_bwselect(sim$X, sim$Y_list, q_grid = q)), 1L)
})

test_that("the defaults are the core's and the fit reports them", {
  sim <- r3d_simulate(dgp = 1, n = 300, draws = 20, delta = 1, seed = 4)
  fit <- r3d(sim$X, sim$Y_list, seed = 1)
  expect_equal(fit$q_grid, seq(0.01, 0.99, 0.01))
  expect_identical(fit$boot$B, 2000L)
  expect_identical(fit$boot$alpha, 0.05)
  expect_identical(fit$boot$vce, "hc3")
  expect_identical(fit$method, "frechet")
  expect_identical(fit$kernel, "triangular")
  expect_identical(fit$p, 2L)
  expect_identical(fit$tests$test, c("nullity", "homogeneity"))
  expect_equal(c(fit$tests$range_low[1], fit$tests$range_high[1]), c(0.01, 0.99))
  expect_false(is.null(fit$bwselect))
  # A fuzzy design with a given outcome bandwidth selects only the treatment bandwidth,
  # which equals the full selection's.
  fz <- r3d_simulate(dgp = 1, n = 400, draws = 20, delta = 1, fuzzy = TRUE, seed = 5)
  full <- r3d_bwselect(fz$X, fz$Y_list, T = fz$T, q_grid = q <- seq(0.1, 0.9, 0.1))
  part <- r3d(fz$X, fz$Y_list, T = fz$T, q_grid = q, bandwidths = 0.5, boot = FALSE)
  expect_identical(part$h$num, 0.5)
  expect_equal(part$h$den, full$h_den, tolerance = 1e-14)
})

test_that("progress reaches a function given as the rddist.progress option, and verbose = FALSE silences it", {
  seen <- new.env()
  seen$reports <- list()
  old <- options(rddist.progress = function(stage, fraction) {
    seen$reports[[length(seen$reports) + 1L]] <- list(stage = stage, fraction = fraction)
  })
  on.exit(options(old))
  sim <- r3d_simulate(dgp = 1, n = 300, draws = 20, delta = 1, seed = 4)
  fit <- r3d(sim$X, sim$Y_list, B = 199, seed = 1)
  stages <- vapply(seen$reports, `[[`, "", "stage")
  fractions <- vapply(seen$reports, `[[`, 0, "fraction")
  expect_true(all(c("bandwidth selection", "estimate", "bootstrap") %in% stages))
  expect_true(all(fractions >= 0 & fractions <= 1))
  expect_equal(fractions[stages == "bootstrap"][sum(stages == "bootstrap")], 1)
  seen$reports <- list()
  fit <- r3d(sim$X, sim$Y_list, B = 199, seed = 1, verbose = FALSE)
  expect_length(seen$reports, 0)
  expect_error(r3d(sim$X, sim$Y_list, boot = FALSE, verbose = "yes"), "verbose")
})

test_that("the cli progress bar runs through every stage without output when not interactive", {
  skip_if_not_installed("cli")
  report <- rddist:::cli_progress_reporter()
  expect_silent({
    report("bootstrap", 0)
    report("bootstrap", 0.5)
    report("bootstrap", 1)
    report("estimate", 1)
  })
  sim <- r3d_simulate(dgp = 1, n = 200, draws = 20, delta = 1, seed = 4)
  expect_silent(r3d(sim$X, sim$Y_list, B = 99, seed = 1))  # not interactive: no bar
})
