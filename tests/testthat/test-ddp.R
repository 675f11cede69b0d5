# ddp_solve() reproduces the exact answers of the worked examples T1-T10 (doc/ddp.md §7).

test_that("T1: the chain returns 2.75 through stocks 0, 2 and 8", {
  fit <- ddp_solve(ddp_chain, gamma = 0.5, representation = "exact", closed_form = FALSE)
  expect_identical(fit$policy$stock, c(0, 2, 8))
  expect_identical(fit$value, 2.75)
  expect_identical(fit$return_distribution$value, 2.75)
  expect_identical(fit$value_true_stock, 2.75)
  expect_identical(ddp_solve(ddp_chain, gamma = 0.5, objective = ddp_threshold(2.75),
                             representation = "exact")$value, 1)
})

test_that("T2: CVaR of the bandit prefers S below tau = 0.6 and R above", {
  cvar_r <- function(tau) if (tau <= 0.1) -50 else (-5 + 10 * (tau - 0.1)) / tau
  for (tau in c(0.05, 0.3, 0.5, 0.6, 0.8, 1)) {
    fit <- ddp_solve(ddp_bandit, gamma = 1, objective = ddp_cvar(tau), representation = "exact")
    # Decimal tau: the search computes -c + V / tau in floating point.
    expect_equal(fit$value, max(0, cvar_r(tau)), tolerance = 1e-12)
    expect_equal(fit$value_true_stock, max(0, cvar_r(tau)), tolerance = 1e-12)
    act <- ddp_action(fit, "s", fit$start_stock)
    if (tau < 0.6) expect_identical(act, "S")
    if (tau > 0.6) expect_identical(act, "R")
  }
  p0 <- ddp_solve(ddp_bandit, gamma = 1, objective = ddp_threshold(0), representation = "exact")
  expect_identical(p0$value, 1)
  expect_identical(ddp_action(p0, "s", 0), "S")
  p5 <- ddp_solve(ddp_bandit, gamma = 1, objective = ddp_threshold(5), representation = "exact")
  expect_equal(p5$value, 0.9, tolerance = 1e-15)
  expect_identical(ddp_action(p5, "s", -5), "R")
})

test_that("T3: reaching 8 has probability 0.75 with the stock, 0.5 for stock-blind policies", {
  tr <- ddp_two_step("G")
  fit <- ddp_solve(tr, gamma = 1, objective = ddp_threshold(8), representation = "exact")
  expect_identical(fit$value, 0.75)
  expect_identical(ddp_action(fit, "s1", 2), "S")
  expect_identical(ddp_action(fit, "s1", -8), "G")
  # A stock-blind policy is an MDP with one action at s1.
  for (keep in c("S", "G")) {
    blind <- tr[tr$state != "s1" | tr$action == keep, ]
    expect_identical(ddp_solve(blind, gamma = 1, objective = ddp_threshold(8),
                               representation = "exact")$value, 0.5)
  }
})

test_that("T4: two-step CVaR_1/2 is 5 at c0 = -10; stock-blind 2.5; risk-neutral mean 10", {
  tr <- ddp_two_step("R")
  fit <- ddp_solve(tr, gamma = 1, objective = ddp_cvar(0.5), representation = "exact")
  expect_identical(fit$value, 5)
  expect_identical(fit$start_stock, -10)
  expect_identical(ddp_action(fit, "s1", -10), "R")
  expect_identical(ddp_action(fit, "s1", 0), "S")
  expect_identical(sum(fit$risk_neutral$value * fit$risk_neutral$prob), 10)
  blind <- function(keep) {
    ddp_solve(tr[tr$state != "s1" | tr$action == keep, ], gamma = 1, objective = ddp_cvar(0.5),
              representation = "exact")$value
  }
  expect_identical(blind("R"), 2.5)
  expect_identical(blind("S"), 0)
})

test_that("T5: the coin's categorical and quantile fixed points", {
  # Without the closed form the stocks (c +- 1)/0.5 leave the grid; the values there extend
  # those of the end stocks linearly (exact for the mean), and the solver says so.
  coin <- function(...) {
    expect_warning(fit <- ddp_solve(ddp_coin, gamma = 0.5, stock_points = 5, closed_form = FALSE,
                                    tolerance = 1e-14, law_tolerance = 1e-14, ...),
                   "outside the grid")
    fit
  }
  cat5 <- coin(atoms = 5)
  # Converged to 1e-14 at rate 1/2: probabilities within 1e-13.
  expect_equal(cat5$return_distribution$prob, c(1, 2, 2, 2, 1) / 8, tolerance = 1e-13)
  q4 <- coin(representation = "quantile", atoms = 4)
  expect_identical(q4$return_distribution$value, c(-1.5, -0.5, 0.5, 1.5))
  q5 <- coin(representation = "quantile", atoms = 5)
  expect_equal(q5$return_distribution$value, c(-1.6, -0.8, 0, 0.8, 1.6), tolerance = 1e-13)
})

test_that("T6: with f(z) = z the value is c0 + classic value and the policy ignores the stock", {
  set.seed(6)
  S <- 4; A <- 2; H <- 3
  rows <- expand.grid(k = 1:3, action = seq_len(A), state = seq_len(S))
  rows$prob <- ave(runif(nrow(rows)), rows$state, rows$action, FUN = function(p) p / sum(p))
  rows$reward <- round(runif(nrow(rows), -1, 1), 3)
  rows$next_state <- sample(S, nrow(rows), replace = TRUE)
  tr <- rows[, c("state", "action", "prob", "reward", "next_state")]
  # Classic backward induction.
  v <- matrix(0, S, H + 1)
  best <- matrix(0L, S, H)
  for (t in H:1) for (x in seq_len(S)) {
    q <- sapply(seq_len(A), function(a) {
      r <- tr[tr$state == x & tr$action == a, ]
      sum(r$prob * (r$reward + 0.9 * v[r$next_state, t + 1]))
    })
    v[x, t] <- max(q)
    best[x, t] <- which.max(q)
  }
  for (c0 in c(-2, 0, 1.5)) {
    fit <- ddp_solve(tr, gamma = 0.9, objective = ddp_hinge(1, 1, start_stock = c0),
                     representation = "exact", horizon = H, closed_form = FALSE)
    expect_equal(fit$value, c0 + v[1, 1], tolerance = 1e-12)
    p <- fit$policy
    expect_identical(as.integer(p$action), best[cbind(p$state, p$time + 1L)])
  }
})

test_that("T7: homeostasis to 7 prefers the sure 6", {
  fit <- ddp_solve(ddp_homeo, gamma = 1, objective = ddp_homeostatic(7, 1),
                   representation = "exact")
  expect_identical(fit$value, -1)
  expect_identical(ddp_action(fit, "s", -7), "A")
})

test_that("T8: the gambler's success probabilities are 1/2, 1/4, 1/8 and 0", {
  expected <- c(`0.5` = 0.5, `1` = 0.5, `1.25` = 0.25, `1.5` = 0.25, `1.75` = 0.125, `2` = 0)
  for (b in names(expected)) {
    exact <- ddp_solve(ddp_gambler, gamma = 0.5, objective = ddp_threshold(as.numeric(b)),
                       representation = "exact", horizon = 8)
    expect_identical(exact$value, expected[[b]])
    # Infinite horizon on the dyadic grid: no rounding, so exact too.
    grid <- ddp_solve(ddp_gambler, gamma = 0.5, objective = ddp_threshold(as.numeric(b)),
                      stock_grid = seq(-2, 2, by = 1 / 8), atoms = 33, episodes = 4000)
    expect_identical(grid$value, expected[[b]])
  }
  p <- grid$policy
  expect_true(all(p$action[p$stock > -2 & p$stock < -0.5] == "gamble"))
  expect_true(all(p$action[p$stock >= 0 & p$stock < 1] == "safe"))
})

test_that("T9: exponential utility at gamma = 1/2 is refused; forced, greedy takes A", {
  expect_error(ddp_solve(ddp_expo, gamma = 0.5, objective = ddp_exponential(1),
                         representation = "exact"),
               "ddp_solve: refusing objective exponential.*no gamma-property")
  expect_warning(
    fit <- ddp_solve(ddp_expo, gamma = 0.5, objective = ddp_exponential(1),
                     representation = "exact", force = TRUE),
    "need not be optimal")
  expect_identical(ddp_action(fit, "s1", 0), "A")
  # B is better: (1 - exp(-2))/2 = 0.432 > 1 - exp(-0.45) = 0.362.
  only_b <- ddp_expo[ddp_expo$action != "A", ]
  expect_warning(fb <- ddp_solve(only_b, gamma = 0.5, objective = ddp_exponential(1),
                                 representation = "exact", force = TRUE), "need not be optimal")
  expect_gt(fb$value_true_stock, fit$value_true_stock)
})

test_that("T10: quantile maximisation via thresholds returns 5; the direct median is refused", {
  fit <- ddp_solve(ddp_median, gamma = 1, objective = ddp_quantile(0.5), representation = "exact")
  expect_identical(fit$value, 5)
  expect_identical(fit$value_true_stock, 5)
  expect_identical(ddp_action(fit, "s1", -5), "b")
  expect_error(ddp_solve(ddp_median, gamma = 1, objective = ddp_quantile(0.5, direct = TRUE),
                         representation = "exact"),
               "not an expected utility")
})

test_that("labels keep their type and methods print, summarise and plot", {
  g <- data.frame(state = 1L, action = c(1L, 2L, 2L), prob = c(1, 0.5, 0.5),
                  reward = c(0, 1, -1), next_state = 1L)
  fit <- ddp_solve(g, gamma = 0.5, objective = ddp_threshold(1), stock_points = 17, atoms = 17,
                   episodes = 1000)
  expect_type(fit$policy$state, "integer")
  expect_type(fit$policy$action, "integer")
  expect_s3_class(fit, "rddist_ddp")
  expect_output(print(fit), "Monte Carlo")
  s <- summary(fit)
  expect_s3_class(s, "summary.rddist_ddp")
  expect_identical(rownames(s$distributions), c("optimal", "risk-neutral"))
  expect_output(print(s), "Return distribution")
  expect_s3_class(plot(fit), "ggplot")
  fac <- ddp_bandit
  fac$action <- factor(fac$action, levels = c("S", "R"))
  expect_s3_class(ddp_solve(fac, gamma = 1, representation = "exact")$policy$action, "factor")
})

test_that("a custom R utility is checked and used", {
  fit <- ddp_solve(ddp_two_step("R"), gamma = 1, representation = "exact",
                   objective = ddp_utility(function(z) pmin(z, 0), start_stock = -10))
  expect_identical(fit$value, -2.5)  # E min(-10 + G, 0) of (R after 0, S after 10)
  expect_output(print(ddp_utility(function(z) z, name = "id")), "id")
})

test_that("mean-CVaR and squared homeostasis follow the hand-derived values", {
  # T4 with lambda = tau = 1/2: 0.5 * 7.5 + 0.5 * 5 = 0.5 * 10 + 0.5 * 2.5 = 6.25.
  fit <- ddp_solve(ddp_two_step("R"), gamma = 1, objective = ddp_mean_cvar(0.5, 0.5),
                   representation = "exact")
  expect_identical(fit$value, 6.25)
  expect_s3_class(fit$search, "data.frame")
  # T7 with p = 2: A gives -1, B -49.
  sq <- ddp_solve(ddp_homeo, gamma = 1, objective = ddp_homeostatic(7, 2), representation = "exact")
  expect_identical(sq$value, -1)
})

test_that("a return hitting the threshold exactly counts (issue 16's smallest case)", {
  tr <- data.frame(state = "s", action = "a", prob = c(0.7, 0.3), reward = c(3, -1),
                   next_state = NA)
  for (rep in c("auto", "exact", "categorical", "quantile")) {
    fit <- suppressWarnings(ddp_solve(tr, gamma = 1, objective = ddp_threshold(3),
                                      representation = rep))
    expect_identical(fit$value, 0.7)
    expect_identical(fit$value_true_stock, 0.7)
  }
})

test_that("the README's example is solved exactly whatever the representation", {
  for (rep in c("auto", "exact", "categorical", "quantile")) {
    q <- suppressWarnings(ddp_solve(ddp_readme, gamma = 1, objective = ddp_quantile(0.5),
                                    representation = rep))
    expect_identical(q$value, 10)
    s <- suppressWarnings(ddp_solve(ddp_readme, gamma = 1, objective = ddp_threshold(10),
                                    representation = rep))
    expect_identical(s$value, 0.75)
    expect_identical(s$value_true_stock, 0.75)
  }
  expect_identical(ddp_solve(ddp_readme, gamma = 1)$representation, "exact")
  # A categorical law that cannot resolve the threshold says so, with the numbers.
  expect_warning(ddp_solve(ddp_readme, gamma = 1, objective = ddp_threshold(10), atoms = 12,
                           representation = "categorical"),
                 "b = 10 lies between the atoms .* while the dynamic program gives 0.75")
})

test_that("verbose reports each stage, and an interrupt is answered within a second", {
  tr <- ddp_random(120)
  expect_output(fit <- ddp_solve(tr, gamma = 0.95, objective = ddp_cvar(0.25), verbose = TRUE),
                "value iteration done")
  expect_gt(fit$law_error_bound, 0)
  # R checks its elapsed-time limit where it checks for Esc (R_CheckUserInterrupt, which the
  # solver polls every 50 ms of work): the solve, several seconds long, must stop within a
  # second of the limit. The bound allows for a busy machine (measured: 0.06-0.24 s late).
  started <- Sys.time()
  stopped <- tryCatch({
    setTimeLimit(elapsed = 0.5, transient = TRUE)
    ddp_solve(ddp_random(300), gamma = 0.95, objective = ddp_cvar(0.25))
    FALSE
  }, interrupt = function(e) TRUE, error = function(e) grepl("time limit", conditionMessage(e)),
  finally = setTimeLimit())
  expect_true(stopped)
  expect_lt(as.numeric(Sys.time() - started, units = "secs"), 1.5)
})
