# Bad input to ddp_solve() gives an R error saying what to change, never a crash.

test_that("the transition table must be a data frame with the five columns", {
  expect_error(ddp_solve(list(), gamma = 0.9), "must be a data frame")
  expect_error(ddp_solve(ddp_bandit[, -5], gamma = 0.9), "lacks column\\(s\\) next_state")
  expect_error(ddp_solve(ddp_bandit[0, ], gamma = 0.9), "no rows")
  bad <- ddp_bandit
  bad$prob[2] <- NA
  expect_error(ddp_solve(bad, gamma = 1), "prob is missing or not finite in row 2")
  bad <- ddp_bandit
  bad$state[3] <- NA
  expect_error(ddp_solve(bad, gamma = 1), "state is missing in row 3")
  bad <- ddp_bandit
  bad$reward <- as.character(bad$reward)
  expect_error(ddp_solve(bad, gamma = 1), "reward must be numeric")
})

test_that("probabilities, next states and the discount are validated by the core", {
  bad <- ddp_bandit
  bad$prob[3] <- 0.2
  expect_error(ddp_solve(bad, gamma = 1), "state 's', action 'R': probabilities sum to 1.1")
  bad <- ddp_chain
  bad$next_state[2] <- "nowhere"
  expect_error(ddp_solve(bad, gamma = 0.5), "row 2: next_state 'nowhere' never appears")
  expect_error(ddp_solve(ddp_chain, gamma = 1.5), "outside \\(0, 1\\]")
  expect_error(ddp_solve(ddp_gambler, gamma = 1), "never ends; give a horizon")
  expect_error(ddp_solve(ddp_chain, gamma = "a"), "gamma must be a finite number")
})

test_that("options are checked", {
  expect_error(ddp_solve(ddp_chain, gamma = 0.5, horizon = 1.5), "horizon must be a whole number")
  expect_error(ddp_solve(ddp_chain, gamma = 0.5, start_state = "zz"), "start_state 'zz' is not a state")
  expect_error(ddp_solve(ddp_chain, gamma = 0.5, objective = "mean"), "objective must be made by")
  expect_error(ddp_solve(ddp_chain, gamma = 0.5, bogus = 1), "unknown argument\\(s\\): bogus")
  expect_error(ddp_solve(ddp_coin, gamma = 0.5, representation = "exact"),
               "exact representation needs exact stock enumeration")
  expect_error(ddp_solve(ddp_coin, gamma = 0.5, stock = "exact"), "needs a horizon or an acyclic")
  expect_error(ddp_solve(ddp_coin, gamma = 0.5, stock_grid = c(1, 0)), "strictly increasing")
  expect_error(ddp_solve(ddp_coin, gamma = 0.5, representation = "bogus"), "should be one of")
  expect_error(ddp_cvar(0), "tau must lie in \\(0, 1\\]")
  expect_error(ddp_quantile(1), "tau must lie in \\(0, 1\\)")
  expect_error(ddp_mean_cvar(2, 0.5), "lambda must lie in")
  expect_error(ddp_exponential(0), "beta must be non-zero")
  expect_error(ddp_utility(1), "f must be a function")
})

test_that("a custom utility that misbehaves is reported, not crashed on", {
  expect_error(ddp_solve(ddp_bandit, gamma = 1, representation = "exact",
                         objective = ddp_utility(function(z) 1)),
               "must return a numeric vector as long as its argument")
  expect_error(ddp_solve(ddp_bandit, gamma = 1, representation = "exact",
                         objective = ddp_utility(function(z) stop("boom"))),
               "boom")
  expect_error(ddp_solve(ddp_coin, gamma = 0.5, objective = ddp_utility(function(z) exp(-z))),
               "has no gamma-property")
  expect_error(ddp_solve(ddp_bandit, gamma = 1, representation = "exact",
                         objective = ddp_utility(function(z) suppressWarnings(log(z)))),
               "non-finite value")
})

test_that("messages name ddp_solve() and its arguments, not C++ functions or fields", {
  err <- tryCatch(ddp_solve(ddp_expo, gamma = 0.5, objective = ddp_exponential(1),
                            representation = "exact"),
                  error = function(e) conditionMessage(e))
  expect_match(err, "^ddp_solve: refusing objective")
  expect_match(err, "or use force = TRUE to solve it greedily anyway", fixed = TRUE)
  expect_false(grepl("SolveOptions", err, fixed = TRUE))
  expect_warning(ddp_solve(ddp_expo, gamma = 0.5, objective = ddp_exponential(1),
                           representation = "exact", force = TRUE),
                 "^ddp_solve: objective exponential.* solved greedily because of force = TRUE")
  expect_error(ddp_solve(ddp_coin, gamma = 0.5, representation = "exact"),
               "instead of representation = \"exact\" use representation = \"categorical\"",
               fixed = TRUE)
  expect_error(ddp_solve(ddp_gambler, gamma = 0.5, horizon = 6, stock = "exact", max_nodes = 1,
                         objective = ddp_threshold(1)),
               "raise max_nodes, shorten the horizon")
})
