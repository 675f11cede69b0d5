# The multiplier bootstrap: parity with R3D 0.1.0 given its multipliers, reproducibility,
# clusters, coherence of bands, intervals and tests.

reference_fit <- function() {
  d <- wide_units("ref_data_sharp_simple_20.csv")
  r3d(d$X, d$Q, q_grid = d$q, method = "simple", kernel = "epanechnikov",
      compat = "r3d-0.1.0", boot = FALSE)
}

test_that("with R3D's multipliers the band, process and p-values match R3D", {
  fit <- reference_fit()
  xi <- as.matrix(fixture("ref_xi_matrix.csv"))
  fit <- r3d_bootstrap(fit, xi = xi, keep_draws = TRUE)
  band <- fixture("ref_bootstrap_deterministic.csv")
  expect_lte(max_rel_error(fit$band$lower, band$cb_lower), 1e-8)
  expect_lte(max_rel_error(fit$band$upper, band$cb_upper), 1e-8)
  expect_lte(abs(fit$crit_val / band$crit_val[1] - 1), 1e-8)
  taus <- as.matrix(fixture("ref_bootstrap_taus.csv"))
  expect_lte(max_rel_error(t(fit$draws$tau), taus), 1e-8)
  p <- fixture("ref_pvalues_deterministic.csv")
  # p-values are counts of draws at or above the statistic, out of 200: they are compared
  # exactly because no draw statistic lies within 1e-6 (relative) of the statistic, far
  # beyond any rounding difference between machines.
  centred <- sweep(fit$draws$tau, 1, rowMeans(fit$draws$tau))
  draw_stats <- list(apply(abs(fit$draws$tau), 1, max), apply(abs(centred), 1, max))
  for (k in 1:2) {
    expect_gt(min(abs(draw_stats[[k]] / fit$tests$statistic[k] - 1)), 1e-6)
  }
  expect_identical(fit$tests$p_value, p$p_value)
  expect_lte(max_rel_error(fit$tests$statistic, p$test_stat), 1e-8)
  expect_identical(fit$boot$B, 200L)
})

test_that("seeds reproduce, and set.seed() governs a NULL seed", {
  sim <- r3d_simulate(1, n = 300, draws = 30, delta = 1, seed = 2)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.5, boot = FALSE)
  a <- r3d_bootstrap(fit, B = 199, seed = 5)
  b <- r3d_bootstrap(fit, B = 199, seed = 5)
  expect_identical(a$crit_val, b$crit_val)
  expect_identical(a$seed, 5)
  # Another seed draws other multipliers; the standard errors are exact, so they do not move.
  other <- r3d_bootstrap(fit, B = 199, seed = 6)
  expect_false(identical(other$crit_val, a$crit_val))
  expect_identical(other$se, a$se)
  set.seed(1)
  c1 <- r3d_bootstrap(fit, B = 199)
  set.seed(1)
  c2 <- r3d_bootstrap(fit, B = 199)
  expect_identical(c1$se, c2$se)
  expect_identical(c1$seed, c2$seed)
  for (sampler in c("gaussian", "multipliers")) {
    m1 <- r3d_bootstrap(fit, B = 99, seed = 3, sampler = sampler)
    m2 <- r3d_bootstrap(fit, B = 99, seed = 3, sampler = sampler)
    expect_identical(m1$crit_val, m2$crit_val)
  }
})

test_that("clusters of size one equal the unclustered bootstrap", {
  sim <- r3d_simulate(1, n = 300, draws = 30, delta = 1, seed = 3)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.5, boot = FALSE)
  for (sampler in c("gaussian", "multipliers")) {
    plain <- r3d_bootstrap(fit, B = 199, seed = 9, sampler = sampler)
    single <- r3d_bootstrap(fit, B = 199, seed = 9, sampler = sampler,
                            cluster = paste0("unit", seq_len(300)))
    expect_equal(single$se, plain$se, tolerance = 1e-12)
    expect_equal(single$crit_val, plain$crit_val, tolerance = 1e-12)
    expect_identical(single$boot$clusters, 300L)
  }
  states <- rep(1:30, each = 10)
  clustered <- r3d_bootstrap(fit, B = 199, seed = 9, cluster = states)
  expect_identical(clustered$boot$clusters, 30L)
})

test_that("re-bootstrapping a clustered fit keeps its clusters", {
  sim <- r3d_simulate(1, n = 300, draws = 30, delta = 1, seed = 3)
  states <- rep(1:30, each = 10)
  q <- seq(0.1, 0.9, 0.1)
  fit <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, cluster = states, B = 199,
             seed = 9)
  again <- r3d_bootstrap(fit, B = 199, seed = 9)
  expect_identical(again$boot$clusters, 30L)
  expect_equal(again$se, fit$se, tolerance = 1e-12)
  # clusters given to a fit without bootstrap are kept for the later bootstrap
  later <- r3d_bootstrap(r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, cluster = states,
                             boot = FALSE), B = 199, seed = 9)
  expect_equal(later$se, fit$se, tolerance = 1e-12)
  # clusters given to r3d_bootstrap replace the fit's, and stay for the next call
  single <- r3d_bootstrap(fit, B = 199, seed = 9, cluster = seq_len(300))
  expect_identical(single$boot$clusters, 300L)
  expect_identical(r3d_bootstrap(single, B = 199, seed = 9)$boot$clusters, 300L)
  expect_error(r3d(sim$X, sim$Y_list, cluster = 1:3, boot = FALSE), "one label per unit")
  # r3d_placebo() uses them too: as if given, and unlike an unclustered fit's placebo.
  kept <- r3d_placebo(fit, cutoffs = -0.5)
  expect_identical(kept, r3d_placebo(fit, cutoffs = -0.5, cluster = states))
  plain <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, B = 199, seed = 9)
  expect_false(isTRUE(all.equal(kept$std.error, r3d_placebo(plain, cutoffs = -0.5)$std.error)))
})

test_that("the band contains the estimate and p-values lie in [0, 1]", {
  sim <- r3d_simulate(1, n = 400, draws = 40, delta = 1, seed = 4)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), B = 499, seed = 1,
             test = c("nullity", "homogeneity", "gini"),
             test_ranges = list(c(0.1, 0.5, 0.9)))
  expect_true(all(fit$band$lower <= fit$tau & fit$tau <= fit$band$upper))
  expect_true(all(fit$conf_low <= fit$tau & fit$tau <= fit$conf_high))
  expect_true(all(fit$band$upper - fit$band$lower >= fit$conf_high - fit$conf_low))
  expect_true(all(fit$tests$p_value >= 0 & fit$tests$p_value <= 1))
  expect_identical(fit$tests$test, c("nullity", "nullity", "homogeneity", "homogeneity", "gini"))
  expect_identical(fit$tests$range_low[1:2], c(0.1, 0.5))
  expect_named(fit$tests, c("test", "range_low", "range_high", "statistic", "crit_val", "p_value"))
  expect_named(fit$band, c("q", "lower", "upper"))
})

test_that("a fuzzy design with a perfect first stage bootstraps like the sharp one", {
  sim <- r3d_simulate(1, n = 300, draws = 30, delta = 1, seed = 5)
  q <- seq(0.1, 0.9, 0.1)
  sharp <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, B = 199, seed = 2,
               sampler = "multipliers")
  fuzzy <- r3d(sim$X, sim$Y_list, T = as.numeric(sim$X >= 0), q_grid = q,
               bandwidths = list(num = 0.5, den = 0.5), boot = FALSE)
  fuzzy <- r3d_bootstrap(fuzzy, B = 199, seed = 2, sampler = "multipliers")
  expect_equal(fuzzy$tau, sharp$tau, tolerance = 1e-12)
  expect_equal(fuzzy$se, sharp$se, tolerance = 1e-10)
})

test_that("a fuzzy fit reports its first stage's strength and warns when it is weak", {
  sim <- r3d_simulate(1, n = 400, draws = 30, delta = 1, seed = 5)
  q <- seq(0.1, 0.9, 0.1)
  set.seed(11)
  strong <- as.numeric(runif(400) < ifelse(sim$X >= 0, 0.9, 0.1))
  fit <- r3d(sim$X, sim$Y_list, T = strong, q_grid = q, bandwidths = list(num = 0.5, den = 0.5),
             B = 199, seed = 2)
  expect_true(fit$boot$first_stage_f > 10)
  expect_equal(fit$boot$first_stage_f, (fit$first_stage$jump / fit$boot$first_stage_se)^2)
  expect_output(print(fit), "first stage: jump in treatment probability .*\\(se .*, F = ")
  # A treatment unrelated to the side: the jump is noise, its F small, and r3d says so.
  unrelated <- as.numeric(runif(400) < 0.5)
  expect_warning(weak <- r3d(sim$X, sim$Y_list, T = unrelated, q_grid = q,
                             bandwidths = list(num = 0.5, den = 0.5), B = 199, seed = 2),
                 "F = .*below 10.*reduced form \\(the design without T\\)")
  expect_true(weak$boot$first_stage_f < 10)
  # A sharp fit has no first stage.
  expect_null(r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, B = 199,
                  seed = 2)$boot$first_stage_se)
})

test_that("functionals: built-ins and user functions agree where they should", {
  sim <- r3d_simulate(2, n = 400, draws = 40, delta = 1, seed = 6)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.05, 0.95, 0.05), B = 299, seed = 3,
             functionals = list("mean", "q90-q10", "lower_mean:0.2",
                                spread = function(q, Q) {
                                  Q[which.min(abs(q - 0.9))] - Q[which.min(abs(q - 0.1))]
                                }))
  f <- fit$functionals
  expect_identical(f$functional, c("mean", "q90-q10", "lower_mean:0.2", "spread"))
  expect_equal(f$difference[f$functional == "spread"], f$difference[f$functional == "q90-q10"],
               tolerance = 1e-12)
  expect_equal(f$std.error[f$functional == "spread"], f$std.error[f$functional == "q90-q10"],
               tolerance = 1e-10)
  expect_true(all(f$conf.low <= f$difference & f$difference <= f$conf.high))
})

test_that("the bands' critical values are order statistics of the scaled draws", {
  sim <- r3d_simulate(2, n = 300, draws = 30, delta = 1, seed = 8)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.5, B = 199,
             seed = 3, keep_draws = TRUE)
  k <- ceiling(0.95 * 200)  # the k-th smallest of the B sup statistics
  crit <- function(draws, s) sort(apply(abs(sweep(draws, 2, s, "/")), 1, max))[k]
  expect_identical(fit$boot$band_type, "studentized")
  expect_equal(fit$crit_val_sides[["plus"]], crit(fit$draws$nu_plus, fit$se_plus))
  expect_equal(fit$crit_val_sides[["minus"]], crit(fit$draws$nu_minus, fit$se_minus))
  expect_equal(fit$crit_val, crit(fit$draws$tau, fit$se))
  expect_equal(fit$band$upper, fit$tau + fit$crit_val * fit$se)
  expect_equal(fit$band_sides$plus_upper, fit$m_plus + fit$crit_val_sides[["plus"]] * fit$se_plus)
  # The paper's constant band: one half-width, the order statistic of sup |draws|.
  constant <- r3d_bootstrap(fit, B = 199, seed = 3, keep_draws = TRUE, band_type = "constant")
  ones <- rep(1, length(fit$q_grid))
  expect_equal(constant$crit_val, crit(constant$draws$tau, ones))
  expect_equal(constant$band$upper - constant$band$lower, rep(2 * constant$crit_val, 9))
  expect_equal(constant$crit_val_sides[["plus"]], crit(constant$draws$nu_plus, ones))
  expect_error(r3d_bootstrap(r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.5,
                                 boot = FALSE, compat = "r3d-0.1.0"), band_type = "studentized"),
               "compat = \"r3d-0.1.0\" reproduces R3D's constant band")
})

test_that("a user functional that is not finite is an error or a warning, never a silent NaN", {
  sim <- r3d_simulate(1, n = 300, draws = 30, delta = 1, seed = 4)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.5, boot = FALSE)
  expect_error(r3d_bootstrap(fit, B = 99, functionals = list(bad = function(q, Q) NaN)),
               "functional bad is not finite at the estimated quantile functions")
  # Finite at the estimate, not finite in some draws: those draws are left out, with a warning.
  m0 <- fit$m_plus[5]
  flaky <- function(q, Q) if (Q[5] > m0 + 0.05) Inf else Q[5]
  expect_warning(b <- r3d_bootstrap(fit, B = 199, seed = 1, functionals = list(flaky = flaky)),
                 "functional flaky is not finite in [0-9]+ of 199 bootstrap draws")
  expect_true(is.finite(b$functionals$std.error))
  expect_error(r3d_bootstrap(fit, B = 99, functionals = list(inf = function(q, Q) {
    if (identical(Q, fit$m_plus) || identical(Q, fit$m_minus)) 1 else Inf
  })), "not finite in 99 of 99 bootstrap draws")
})

test_that("the row order of the units does not change the inference", {
  sim <- r3d_simulate(1, n = 250, draws = 30, delta = 1, seed = 7)
  q <- seq(0.1, 0.9, 0.1)
  perm <- sample(250)
  a <- r3d(sim$X, sim$Y_list, q_grid = q, B = 199, seed = 8)
  b <- r3d(sim$X[perm], sim$Y_list[perm], q_grid = q, B = 199, seed = 8)
  expect_identical(a$tau, b$tau)
  expect_identical(a$se, b$se)
  expect_identical(a$tests, b$tests)
})

test_that("bootstrap arguments are checked", {
  sim <- r3d_simulate(1, n = 200, draws = 20, seed = 8)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.6, boot = FALSE)
  expect_error(r3d_bootstrap(fit, B = 10), "too few")
  expect_error(r3d_bootstrap(fit, alpha = 2), "alpha")
  expect_error(r3d_bootstrap(fit, xi = matrix(0, 3, 99)), "one row per unit")
  expect_error(r3d_bootstrap(fit, cluster = 1:3), "one label per unit")
  expect_error(r3d_bootstrap(fit, test = "shape"), "test must be")
  expect_error(r3d_bootstrap(fit, test_ranges = list(c(0.5, 0.52)), test = "homogeneity"),
               "at least 2")
  expect_error(r3d_bootstrap(fit, functionals = "variance"), "not a functional")
  expect_error(r3d_bootstrap(fit, seed = -1), "seed")
  expect_error(r3d_bootstrap(list(), B = 99), "fit from r3d()", fixed = TRUE)
})

test_that("vce: leverage-adjusted residuals widen the band; compat keeps hc0", {
  sim <- r3d_simulate(2, n = 300, draws = 30, delta = 1, seed = 12)
  q <- seq(0.1, 0.9, 0.1)
  fit <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, boot = FALSE)
  h0 <- r3d_bootstrap(fit, B = 999, seed = 1, vce = "hc0")
  h2 <- r3d_bootstrap(fit, B = 999, seed = 1, vce = "hc2")
  h3 <- r3d_bootstrap(fit, B = 999, seed = 1, vce = "hc3")
  expect_true(h0$crit_val < h2$crit_val && h2$crit_val < h3$crit_val)
  expect_identical(h3$boot$vce, "hc3")
  single <- r3d_bootstrap(fit, B = 999, seed = 1, vce = "hc3", cluster = seq_along(sim$X))
  expect_equal(single$se, h3$se, tolerance = 1e-10)
  compat <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, compat = "r3d-0.1.0", boot = FALSE)
  expect_error(r3d_bootstrap(compat, B = 99, vce = "hc3"), "raw residuals")
  expect_error(r3d_bootstrap(fit, B = 99, vce = "hc1"), "vce must be")
  expect_identical(r3d_bootstrap(fit, B = 99, seed = 1)$boot$vce, "hc3")  # the default in paper mode (validation/band_mc.R)
  expect_identical(r3d_bootstrap(compat, B = 99, seed = 1)$boot$vce, "hc0")
})

test_that("with its own random multipliers the band and p-values agree with R3D's random run", {
  # R3D drew its 500 multiplier vectors from R's generator, so only the distribution can be
  # compared. The critical value is the 95% quantile of 500 sup statistics: its Monte Carlo
  # relative sd is a few percent, so two independent runs agree within 15%. The homogeneity
  # p-value 0.064 has binomial sd 0.011 per run; 0.07 is over four sd of the difference.
  fit <- r3d_bootstrap(reference_fit(), B = 500, seed = 7)
  ref <- fixture("ref_results_bootstrap_sharp.csv")
  expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
  half_width <- (ref$cb_upper - ref$cb_lower) / 2
  expect_lte(abs(fit$crit_val / half_width[1] - 1), 0.15)
  p <- fixture("ref_pvalues_bootstrap_sharp.csv")
  expect_lte(max(abs(fit$tests$p_value - p$p_value)), 0.07)
})

test_that("one-sided uniform tests, per-level p-values and the cdf functional", {
  sim <- r3d_simulate(1, n = 600, draws = 40, delta = 2, seed = 12)
  q <- seq(0.1, 0.9, 0.1)
  fit <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.6, B = 999, seed = 1,
             test = c("nullity", "nonnegative", "nonpositive"), functionals = "cdf:6")
  tests <- stats::setNames(fit$tests$p_value, fit$tests$test)
  expect_lt(tests[["nullity"]], 0.01)      # tau = 2 everywhere
  expect_gt(tests[["nonnegative"]], 0.5)   # not negative anywhere
  expect_lt(tests[["nonpositive"]], 0.01)  # but positive
  expect_true(all(fit$p_value_uniform < 0.05))
  expect_true(all(fit$p_value_uniform >= fit$p_value - 1e-12))
  # The distribution function at 6 falls at the cutoff (the treated are shifted up).
  cdf <- fit$functionals
  expect_identical(cdf$functional, "cdf:6")
  expect_lt(cdf$difference, 0)
  expect_lt(cdf$conf.high, 0)
  expect_error(r3d_bootstrap(fit, functionals = "cdf:100"), "lies outside")
  expect_error(r3d_bootstrap(fit, band_type = "wide"), "band_type must be studentized or constant")
  expect_error(r3d_bootstrap(fit, test_ranges = list(c(0.9, 0.1))), "from a lower to a higher level")
})

test_that("Cramér-von Mises tests: mean squares of the studentized deviations", {
  sim <- r3d_simulate(2, n = 500, draws = 50, delta = 0.5, seed = 4)
  q <- seq(0.1, 0.9, 0.1)  # evenly spaced: every level weighs the same
  fit <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, B = 999, seed = 2,
             test = c("nullity", "homogeneity", "nonpositive", "nonnegative"),
             test_statistic = "cvm", keep_draws = TRUE)
  expect_identical(fit$boot$test_statistic, "cvm")
  s <- sqrt(diag(fit$vcov))
  centre <- diag(9) - 1 / 9
  s_c <- sqrt(diag(centre %*% fit$vcov %*% centre))
  z <- list(nullity = fit$tau / s, homogeneity = (fit$tau - mean(fit$tau)) / s_c,
            nonpositive = pmax(fit$tau / s, 0), nonnegative = pmax(-fit$tau / s, 0))
  zb <- list(nullity = sweep(fit$draws$tau, 2, s, "/"),
             homogeneity = sweep(fit$draws$tau %*% centre, 2, s_c, "/"),
             nonpositive = pmax(sweep(fit$draws$tau, 2, s, "/"), 0),
             nonnegative = pmax(sweep(-fit$draws$tau, 2, s, "/"), 0))
  for (k in seq_len(nrow(fit$tests))) {
    test <- fit$tests$test[k]
    stat <- mean(z[[test]]^2)
    draws <- rowMeans(zb[[test]]^2)
    expect_equal(fit$tests$statistic[k], stat, tolerance = 1e-10, info = test)
    # p-value: (#{draws >= statistic} + 1) / (B + 1), up to draws within rounding of it.
    count <- fit$tests$p_value[k] * 1000 - 1
    expect_gte(count, sum(draws >= stat * (1 + 1e-10)) - 1e-9)
    expect_lte(count, sum(draws >= stat * (1 - 1e-10)) + 1e-9)
  }
  expect_output(print(fit), "Tests \\(Cram.r-von Mises statistic\\)")
  sup <- r3d_bootstrap(fit, B = 999, seed = 2, test = "nullity", test_statistic = "sup")
  expect_identical(sup$boot$test_statistic, "sup")
  expect_equal(sup$tests$p_value, min(sup$p_value_uniform), tolerance = 1e-12)
  expect_error(r3d_bootstrap(fit, test_statistic = "ks"), "test_statistic must be sup, cvm or minp")
  expect_error(r3d(sim$X, sim$Y_list, q_grid = q, compat = "r3d-0.1.0", B = 99, seed = 1,
                   test_statistic = "cvm"), "sup statistic")
  # r3d_placebo() keeps the fit's statistic.
  placebo <- r3d_placebo(fit, cutoffs = -0.3)
  expect_true(all(is.finite(placebo$p.value.nullity)))
})

test_that("min-p tests combine the sup and Cramer-von Mises p-values of the same draws", {
  sim <- r3d_simulate(1, n = 500, draws = 40, delta = 0.25, seed = 12)
  q <- seq(0.1, 0.9, 0.1)
  fit <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, B = 999, seed = 3,
             test = c("nullity", "nonnegative"), test_statistic = "minp", keep_draws = TRUE)
  expect_identical(fit$boot$test_statistic, "minp")
  s <- sqrt(diag(fit$vcov))
  z <- fit$tau / s
  zb <- sweep(fit$draws$tau, 2, s, "/")
  sign <- c(nullity = 1, nonnegative = -1)
  at_or_above <- function(draws, x) vapply(x, function(v) sum(draws >= v), numeric(1))
  for (k in seq_len(nrow(fit$tests))) {
    test <- fit$tests$test[k]
    t <- if (test == "nullity") abs(z) else sign[[test]] * z
    tb <- if (test == "nullity") abs(zb) else sign[[test]] * zb
    sup_b <- apply(tb, 1, max)
    cvm_b <- rowMeans(pmax(tb, 0)^2)
    minp <- min(at_or_above(sup_b, max(t)), at_or_above(cvm_b, mean(pmax(t, 0)^2))) / 999
    minp_b <- pmin(at_or_above(sup_b, sup_b), at_or_above(cvm_b, cvm_b)) / 999
    # one draw within rounding of another may fall on the other side here: 1/B allowed
    expect_lte(abs(fit$tests$statistic[k] - minp), 1 / 999 + 1e-12)
    expect_lte(abs(fit$tests$p_value[k] - (sum(minp_b <= minp + 1e-12) + 1) / 1000),
               1 / 1000 + 1e-12)
  }
  expect_output(print(fit), "Tests \\(min-p of the sup and Cram.r-von Mises statistics\\)")
  expect_output(print(fit), "nullity .*: min-p 0")
  expect_error(r3d(sim$X, sim$Y_list, q_grid = q, compat = "r3d-0.1.0", B = 99, seed = 1,
                   test_statistic = "minp"), "sup statistic")
})

test_that("a degenerate bootstrap gives NA inference and a warning, not certainty", {
  sim <- r3d_simulate(1, n = 200, draws = 20, seed = 1)
  flat <- lapply(sim$X, function(x) c(1, 2, 3) + 2 * (x >= 0))  # the same draws in every unit per side
  expect_warning(fit <- r3d(sim$X, flat, q_grid = c(0.25, 0.5, 0.75), bandwidths = 0.6, B = 99,
                            seed = 1), "degenerate at every level")
  expect_true(all(is.na(fit$conf_low)))
  expect_true(all(is.na(fit$band$lower)))
  expect_true(all(is.na(fit$tests$p_value)))
  expect_true(all(is.na(fit$p_value)))
})
