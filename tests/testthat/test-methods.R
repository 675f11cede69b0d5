# S3 methods: summary, coef, vcov, confint, predict, nobs, tidy, glance, verbose output.

fit_data <- local({
  sim <- r3d_simulate(dgp = 2, n = 400, draws = 40, delta = 1, seed = 21)
  list(X = sim$X, Y = sim$Y_list)
})
q <- seq(0.1, 0.9, 0.1)
fit <- r3d(fit_data$X, fit_data$Y, q_grid = q, B = 299, seed = 4, keep_draws = TRUE,
           test = c("nullity", "homogeneity"), functionals = c("mean", "q90-q10"))
lean <- r3d(fit_data$X, fit_data$Y, q_grid = q, B = 299, seed = 4)
bare <- r3d(fit_data$X, fit_data$Y, q_grid = q, boot = FALSE)

test_that("coef and nobs", {
  expect_identical(unname(coef(fit)), fit$tau)
  expect_identical(names(coef(fit))[c(1, 9)], c("tau(0.1)", "tau(0.9)"))
  expect_identical(nobs(fit), 400L)
})

test_that("vcov is the process's exact covariance and does not need the draws", {
  v <- vcov(lean)
  expect_equal(dim(v), c(9L, 9L))
  expect_identical(rownames(v), names(coef(fit)))
  expect_equal(unname(sqrt(diag(v))), lean$se, tolerance = 1e-10)
  # The draws' covariance estimates it: with 299 draws a variance has a relative Monte
  # Carlo sd of sqrt(2/299) = 8%, so 30% is beyond four of them.
  expect_equal(unname(vcov(fit)), stats::cov(fit$draws$tau), tolerance = 0.3)
  expect_identical(vcov(fit), v)  # keeping the draws changes nothing
  expect_null(lean$draws)
  expect_error(vcov(bare), "no bootstrap")
})

test_that("confint gives the stored intervals, other levels and the uniform band", {
  ci <- confint(fit)
  expect_identical(colnames(ci), c("2.5 %", "97.5 %"))
  expect_identical(unname(ci[, 1]), fit$conf_low)
  expect_identical(unname(confint(fit, type = "uniform")[, 2]), fit$band$upper)
  ci90 <- confint(fit, parm = c("tau(0.1)", "tau(0.5)"), level = 0.9)
  expect_identical(rownames(ci90), c("tau(0.1)", "tau(0.5)"))
  expect_equal(unname(ci90[, 2]), fit$tau[c(1, 5)] + stats::qnorm(0.95) * fit$se[c(1, 5)])
  expect_true(all(confint(fit, level = 0.9)[, 2] < ci[, 2]))
  # The uniform band at another level from the kept draws, with the core's rule.
  u90 <- confint(fit, type = "uniform", level = 0.9)
  expect_true(all(u90[, 2] - u90[, 1] < fit$band$upper - fit$band$lower))
  same <- confint(fit, type = "uniform", level = 0.95)
  expect_identical(unname(same[, 1]), fit$band$lower)
  sup <- sort(apply(abs(sweep(fit$draws$tau, 2, fit$se, "/")), 1, max))
  expect_equal(unname(u90[1, 2]) - fit$tau[1], sup[ceiling(0.9 * 300)] * fit$se[1])
  expect_equal(unname(confint(fit, 3)[, 1]), fit$conf_low[3])
  expect_error(confint(lean, type = "uniform", level = 0.9), "keep_draws = TRUE")
  expect_error(confint(bare), "no bootstrap")
  expect_error(confint(fit, parm = "tau(0.55)"), "unknown coefficient")
  expect_error(confint(fit, parm = 12), "positions between 1 and 9")
  expect_error(confint(fit, level = 1.5), "strictly between 0 and 1")
})

test_that("predict interpolates the side curves and agrees with the fit on the grid", {
  p <- predict(fit)
  expect_named(p, c("q", "m_plus", "m_minus", "tau"))
  expect_identical(p$m_plus, fit$m_plus)
  expect_identical(p$tau, fit$tau)
  mid <- predict(fit, q = c(0.15, 0.05, 0.95))
  expect_equal(mid$m_minus[1], (fit$m_minus[1] + fit$m_minus[2]) / 2)
  expect_equal(mid$m_plus[2], fit$m_plus[1])   # flat below the grid
  expect_equal(mid$tau[3], fit$tau[9])         # flat above the grid
  expect_equal(mid$tau, mid$m_plus - mid$m_minus)
  expect_error(predict(fit, q = 1.2), "levels in \\[0, 1\\]")
})

test_that("tidy has the broom columns and glance one row", {
  td <- tidy.rddist_r3d(fit)
  expect_identical(names(td), c("term", "quantile", "estimate", "std.error", "statistic",
                                "p.value", "p.value.uniform", "conf.low", "conf.high",
                                "band.low", "band.high"))
  expect_identical(td$term, rep("tau", 9))
  expect_identical(td$std.error, fit$se)
  expect_identical(td$band.high, fit$band$upper)
  expect_equal(td$statistic, fit$tau / fit$se)
  expect_equal(td$p.value, 2 * stats::pnorm(-abs(fit$tau / fit$se)))
  # The uniform p-value is never below the pointwise one.
  expect_true(all(td$p.value.uniform >= td$p.value - 1e-12))
  expect_true(all(is.na(tidy.rddist_r3d(bare)$std.error)))
  gl <- glance.rddist_r3d(fit)
  expect_equal(nrow(gl), 1L)
  for (col in c("n", "n_plus", "n_minus", "bandwidth", "method", "fuzzy", "kernel", "p", "B",
                "alpha", "crit_val", "p.value.nullity", "p.value.homogeneity", "compat")) {
    expect_true(col %in% names(gl), info = col)
  }
  expect_identical(gl$crit_val, fit$crit_val)
  expect_identical(gl$p.value.nullity, fit$tests$p_value[1])
  expect_true(is.na(glance.rddist_r3d(bare)$B))
  several <- r3d_bootstrap(bare, B = 99, seed = 1, test = "nullity",
                           test_ranges = list(c(0.1, 0.5, 0.9)))
  expect_true(all(c("p.value.nullity.0.1-0.5", "p.value.nullity.0.5-0.9") %in% names(glance.rddist_r3d(several))))
  simple <- r3d(fit_data$X, fit_data$Y, q_grid = q, method = "simple", boot = FALSE)
  expect_true(is.na(glance.rddist_r3d(simple)$bandwidth))
  expect_equal(glance.rddist_r3d(simple)$bandwidth.max, max(simple$h$num))
})

test_that("tidy and glance are methods of the generics when generics is installed", {
  skip_if_not_installed("generics")
  expect_identical(generics::tidy(fit), tidy.rddist_r3d(fit))
  expect_identical(generics::glance(fit), glance.rddist_r3d(fit))
})

test_that("summary reports design, bandwidth, units, estimates, tests and functionals", {
  s <- summary(fit)
  expect_s3_class(s, "summary.rddist_r3d")
  expect_identical(names(s$estimates), c("quantile", "estimate", "std.error", "statistic",
                                         "p.value", "p.value.uniform", "conf.low", "conf.high",
                                         "band.low", "band.high"))
  expect_equal(nrow(s$estimates), 9L)
  out <- capture.output(print(s))
  expect_true(any(grepl("IMSE-optimal", out)))
  expect_true(any(grepl("Units:", out)))
  expect_true(any(grepl("nullity", out)))
  expect_true(any(grepl("q90-q10", out)))
  expect_true(any(grepl("Uniform band", out)))
  expect_equal(summary(fit, quantiles = c(0.3, 0.7))$estimates$quantile, c(0.3, 0.7))
  expect_equal(nrow(summary(fit, quantiles = "all")$estimates), 9L)
  expect_error(summary(fit, quantiles = 0.33), "not on the fit's quantile grid")
  expect_output(print(summary(bare)), "none \\(boot = FALSE\\)")
  fz <- r3d_simulate(dgp = 1, n = 300, draws = 30, delta = 1, fuzzy = TRUE, seed = 3)
  fzfit <- r3d(fz$X, fz$Y_list, T = fz$T, q_grid = q, B = 99, seed = 1)
  expect_output(print(summary(fzfit)), "First stage")
})

test_that("nothing is printed unless verbose = TRUE", {
  expect_silent(r3d(fit_data$X, fit_data$Y, q_grid = q, B = 99, seed = 1))
  out <- capture.output(r3d(fit_data$X, fit_data$Y, q_grid = q, B = 99, seed = 1, verbose = TRUE))
  expect_true(any(grepl("^rddist: quantiles done", out)))
  expect_true(any(grepl("^rddist: bandwidth selection done", out)))
  expect_true(any(grepl("^rddist: bootstrap done", out)))
  expect_equal(sum(grepl("bootstrap done", out)), 1L)
  expect_error(r3d(fit_data$X, fit_data$Y, verbose = NA), "verbose must be TRUE or FALSE")
})

test_that("print says how many levels it shows, and its p-values are glance()'s", {
  sim <- r3d_simulate(dgp = 1, n = 400, draws = 30, delta = 2, seed = 3)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.03, 0.97, 0.01), bandwidths = 0.6, B = 199, seed = 1)
  out <- capture.output(print(fit))
  expect_true(any(grepl("9 of 95 levels shown", out, fixed = TRUE)))
  g <- glance.rddist_r3d(fit)
  p <- fit$tests$p_value[fit$tests$test == "nullity"]
  expect_identical(g$p.value.nullity, p)
  expect_gt(p, 0)  # (k + 1)/(B + 1) in paper mode: 1/200 when no draw reaches the statistic
  expect_equal(p, 1 / 200)
  expect_true(any(grepl(format(p, digits = 3), out[grepl("nullity", out)], fixed = TRUE)))
  few <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.6, boot = FALSE)
  expect_false(any(grepl("levels shown", capture.output(print(few)))))
})

test_that("tidy() and glance() render as knitr tables, markdown and LaTeX, without glue", {
  skip_if_not_installed("knitr")
  sim <- r3d_simulate(dgp = 1, n = 300, draws = 20, delta = 1, seed = 5)
  fit <- r3d(sim$X, sim$Y_list, q_grid = c(0.25, 0.5, 0.75), bandwidths = 0.6, B = 199, seed = 1)
  md <- as.character(knitr::kable(tidy.rddist_r3d(fit), format = "pipe", digits = 3))
  expect_match(md[1], "term.*quantile.*estimate.*std.error.*p.value")
  expect_length(md, 2 + 3)  # header, rule, one row per level
  expect_true(all(grepl("^\\| *tau", md[-(1:2)])))
  tex <- paste(knitr::kable(glance.rddist_r3d(fit), format = "latex", digits = 3), collapse = "\n")
  expect_match(tex, "\\\\begin\\{tabular\\}")
  expect_match(tex, "p.value.nullity")
  expect_false(grepl("NaN|Inf", tex))
})
