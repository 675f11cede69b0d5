# The scalar limit against rdrobust: with one draw per unit every quantile of a unit is its
# outcome, so each level's fit is rdrobust's conventional local polynomial estimate, with
# covariates, bandwidths per side and fuzzy designs alike, and the bootstrap's exact
# variance (equally, the sum of squares of the draws under identity multipliers) is
# rdrobust's HC0/HC2/HC3 conventional variance. Both solve the same small least-squares
# systems, so they agree to rounding (1e-8 relative leaves room for their different
# factorisations).
skip_if_not_installed("rdrobust")

senate <- local({
  e <- new.env()
  utils::data("rdrobust_RDsenate", package = "rdrobust", envir = e)
  d <- e$rdrobust_RDsenate
  d <- d[stats::complete.cases(d[c("vote", "margin", "class", "termshouse", "termssenate",
                                   "population")]), ]
  d$population <- d$population / 1e6
  d
})
covs <- as.matrix(senate[c("class", "termshouse", "termssenate", "population")])
y_list <- as.list(senate$vote)

conventional <- function(r) c(tau = r$coef[1, 1], se = r$se[1, 1])

test_that("sharp estimates with covariates equal rdrobust's, every order, kernel and side bandwidth", {
  for (kernel in c("triangular", "epanechnikov", "uniform")) {
    for (p in 1:2) {
      for (h in list(15, c(12, 20))) {
        ref <- rdrobust::rdrobust(senate$vote, senate$margin, covs = covs, p = p, h = h,
                                  kernel = kernel, vce = "hc0")
        bw <- if (length(h) == 1L) h else list(minus = h[1], plus = h[2])
        fit <- r3d(senate$margin, y_list, covs = covs, p = p, bandwidths = bw, kernel = kernel,
                   method = "simple", q_grid = c(0.25, 0.5, 0.75), boot = TRUE, B = 99,
                   seed = 1, vce = "hc0")
        expect_equal(fit$tau, rep(ref$coef[1, 1], 3), tolerance = 1e-8)
        expect_equal(fit$se, rep(ref$se[1, 1], 3), tolerance = 1e-8)
      }
    }
  }
})

test_that("the exact variance equals rdrobust's HC0, HC2 and HC3 variance with covariates", {
  for (vce in c("hc0", "hc2", "hc3")) {
    ref <- rdrobust::rdrobust(senate$vote, senate$margin, covs = covs, p = 1, h = c(14, 22),
                              vce = vce)
    fit <- r3d(senate$margin, y_list, covs = covs, p = 1, method = "simple",
               bandwidths = list(plus = 22, minus = 14), q_grid = 0.5, B = 99, seed = 1, vce = vce)
    expect_equal(fit$se, ref$se[1, 1], tolerance = 1e-8)
  }
})

test_that("identity multipliers give draws whose squares sum to rdrobust's variance", {
  n <- length(y_list)
  fit <- r3d(senate$margin, y_list, covs = covs, p = 1, method = "simple", bandwidths = 15,
             q_grid = 0.5, xi = diag(n), keep_draws = TRUE, vce = "hc2", sampler = "multipliers")
  ref <- rdrobust::rdrobust(senate$vote, senate$margin, covs = covs, p = 1, h = 15, vce = "hc2")
  expect_equal(sqrt(sum(fit$draws$tau^2)), ref$se[1, 1], tolerance = 1e-8)
})

test_that("fuzzy estimates with covariates equal rdrobust's", {
  set.seed(5)
  treated <- as.numeric(ifelse(senate$margin >= 0, stats::runif(nrow(senate)) < 0.85,
                               stats::runif(nrow(senate)) < 0.15))
  for (p in 1:2) {
    ref <- rdrobust::rdrobust(senate$vote, senate$margin, fuzzy = treated, covs = covs, p = p,
                              h = 18, vce = "hc1")
    ref0 <- rdrobust::rdrobust(senate$vote, senate$margin, fuzzy = treated, covs = covs, p = p,
                               h = 18, vce = "hc0")
    fit <- r3d(senate$margin, y_list, T = treated, covs = covs, p = p, method = "simple",
               bandwidths = list(num = 18, den = 18), q_grid = 0.5, B = 99, seed = 1, vce = "hc0")
    expect_equal(fit$tau, ref$coef[1, 1], tolerance = 1e-8)
    expect_equal(fit$se, ref0$se[1, 1], tolerance = 1e-8)
  }
})

test_that("without covariates the scalar limit is rdrobust's estimate too", {
  ref <- rdrobust::rdrobust(senate$vote, senate$margin, p = 2, h = 16, vce = "hc3")
  fit <- r3d(senate$margin, y_list, p = 2, method = "frechet", bandwidths = 16, q_grid = 0.5,
             B = 99, seed = 1, vce = "hc3")
  expect_equal(unname(c(fit$tau, fit$se)), unname(conventional(ref)), tolerance = 1e-8)
})

test_that("factor covariates expand to dummies, as rdrobust's model matrix does", {
  cls <- factor(senate$class)
  dummies <- stats::model.matrix(~cls)[, -1]
  ref <- rdrobust::rdrobust(senate$vote, senate$margin, covs = dummies, p = 1, h = 15)
  fit <- r3d(senate$margin, y_list, covs = data.frame(class = cls), p = 1, method = "simple",
             bandwidths = 15, q_grid = 0.5, boot = FALSE)
  expect_equal(fit$tau, ref$coef[1, 1], tolerance = 1e-8)
  expect_equal(rownames(fit$gamma), c("class2", "class3"))
})

test_that("on simulated covariates too: sharp and fuzzy, sides apart, every vce", {
  set.seed(11)
  n <- 800
  x <- stats::runif(n, -1, 1)
  z <- cbind(z1 = stats::rnorm(n), z2 = stats::rbinom(n, 1, 0.4))
  y <- 1 + 0.7 * x + 0.4 * (x >= 0) + z %*% c(0.5, -0.3) + stats::rnorm(n, sd = 0.5)
  treated <- as.numeric(stats::runif(n) < ifelse(x >= 0, 0.8, 0.2))
  for (vce in c("hc0", "hc2", "hc3")) {
    ref <- rdrobust::rdrobust(y, x, covs = z, p = 1, h = c(0.45, 0.6), vce = vce)
    fit <- r3d(x, as.list(y), covs = z, p = 1, method = "simple", q_grid = 0.5,
               bandwidths = list(minus = 0.45, plus = 0.6), B = 99, seed = 1, vce = vce)
    expect_equal(unname(c(fit$tau, fit$se)), unname(conventional(ref)), tolerance = 1e-8)
  }
  ref <- rdrobust::rdrobust(y, x, fuzzy = treated, covs = z, p = 2, h = 0.7, vce = "hc0")
  fit <- r3d(x, as.list(y), T = treated, covs = z, p = 2, method = "simple", q_grid = 0.5,
             bandwidths = list(num = 0.7, den = 0.7), B = 99, seed = 1, vce = "hc0")
  expect_equal(unname(c(fit$tau, fit$se)), unname(conventional(ref)), tolerance = 1e-8)
})
