# The RD toolkit in R: donut, bandwidths per side and the selector's rule "two", unit
# weights, covariates through the formula and long interfaces, placebo cutoffs and the
# mass-point warning. Each behaviour is checked against an exact answer computed another
# way: the same fit on a subset, on replicated units, or through the other interface.

toolkit_data <- function(n = 300, draws = 30, seed = 7) {
  set.seed(seed)
  x <- runif(n, -1, 1)
  z <- rnorm(n)
  g <- sample(c("a", "b", "c"), n, replace = TRUE)
  y <- lapply(seq_len(n), function(i) rnorm(draws, 0.5 * x[i] + 0.8 * z[i] + 0.3 * (x[i] >= 0), 1))
  list(x = x, z = z, g = g, y = y)
}

long_rows <- function(d) {
  data.frame(unit = rep(seq_along(d$x), lengths(d$y)), x = rep(d$x, lengths(d$y)),
             y = unlist(d$y), z = rep(d$z, lengths(d$y)), g = rep(d$g, lengths(d$y)),
             w = rep(seq_along(d$x) %% 3 + 1, lengths(d$y)), stringsAsFactors = FALSE)
}

test_that("a donut equals the fit on the units outside it, and is counted and printed", {
  d <- toolkit_data()
  fit <- r3d(d$x, d$y, donut = 0.1, bandwidths = 0.6, boot = FALSE)
  keep <- abs(d$x) >= 0.1
  ref <- r3d(d$x[keep], d$y[keep], bandwidths = 0.6, boot = FALSE)
  expect_equal(fit$tau, ref$tau, tolerance = 1e-12)
  expect_identical(fit$n_donut, sum(!keep))
  expect_output(print(fit), "donut")
  expect_error(r3d(d$x, d$y, donut = -1, bandwidths = 0.6, boot = FALSE), "donut")
  expect_error(r3d(d$x, d$y, donut = 2, bandwidths = 0.6, boot = FALSE), "donut")
})

test_that("bandwidths per side are used as given, each side its own", {
  d <- toolkit_data()
  fit <- r3d(d$x, d$y, bandwidths = list(plus = 0.5, minus = 0.8), boot = FALSE, method = "simple")
  # Each side's intercept is the side's own local fit, so widening only the left window
  # changes only the left intercept.
  wide <- r3d(d$x, d$y, bandwidths = list(plus = 0.5, minus = 0.9), boot = FALSE, method = "simple")
  expect_equal(fit$m_plus, wide$m_plus, tolerance = 1e-12)
  expect_false(isTRUE(all.equal(fit$m_minus, wide$m_minus)))
  common <- r3d(d$x, d$y, bandwidths = 0.5, boot = FALSE, method = "simple")
  expect_equal(fit$m_plus, common$m_plus, tolerance = 1e-12)
  expect_output(print(fit), "0.8")
})

test_that("bwselect = 'two' picks a bandwidth per side and the fit uses them", {
  d <- toolkit_data(n = 600)
  bw <- r3d_bwselect(d$x, d$y, bwselect = "two")
  h <- bw$h_num
  expect_true(all(is.finite(unlist(h))))
  fit <- r3d(d$x, d$y, bwselect = "two", boot = FALSE)
  expect_equal(fit$bandwidth_rule, "two")
  given <- r3d(d$x, d$y, bandwidths = list(plus = bw$h_num, minus = bw$h_num_below), boot = FALSE)
  expect_equal(fit$tau, given$tau, tolerance = 1e-12)
  expect_error(r3d(d$x, d$y, bwselect = "three", boot = FALSE), "bwselect")
})

test_that("integer unit weights give the estimate of replicated units", {
  d <- toolkit_data()
  w <- seq_along(d$x) %% 3 + 1
  fit <- r3d(d$x, d$y, unit_weights = w, bandwidths = 0.6, boot = FALSE)
  rep_index <- rep(seq_along(d$x), w)
  # replicated units repeat values of the running variable by construction
  ref <- suppressWarnings(r3d(d$x[rep_index], d$y[rep_index], bandwidths = 0.6, boot = FALSE))
  expect_equal(fit$tau, ref$tau, tolerance = 1e-10)
  expect_error(r3d(d$x, d$y, unit_weights = w[-1], bandwidths = 0.6, boot = FALSE), "unit_weights")
  expect_error(r3d(d$x, d$y, unit_weights = -w, bandwidths = 0.6, boot = FALSE), "weight")
})

test_that("covariates through the formula interface equal the list interface", {
  d <- toolkit_data()
  long <- long_rows(d)
  fit <- r3d(y ~ x, data = long, unit = "unit", covs = c("z", "g"), unit_weights = "w",
             bandwidths = 0.6, B = 199, seed = 3)
  covs <- data.frame(z = d$z, g = d$g)
  ref <- r3d(d$x, d$y, covs = covs, unit_weights = seq_along(d$x) %% 3 + 1, bandwidths = 0.6,
             B = 199, seed = 3)
  expect_equal(fit$tau, ref$tau, tolerance = 1e-10)
  expect_equal(fit$se, ref$se, tolerance = 1e-10)
  expect_equal(unname(fit$gamma), unname(ref$gamma), tolerance = 1e-10)
  expect_equal(ncol(as.matrix(ref$gamma)) + nrow(as.matrix(ref$gamma)) > 0, TRUE)
})

test_that("bad covariates are refused with the column and the unit", {
  d <- toolkit_data()
  long <- long_rows(d)
  bad <- long
  bad$z[bad$unit == 5][1] <- 99
  expect_error(r3d(y ~ x, data = bad, unit = "unit", covs = "z", bandwidths = 0.6, boot = FALSE),
               "z.*5|5.*z")
  bad <- long
  bad$z[3] <- NA
  expect_error(r3d(y ~ x, data = bad, unit = "unit", covs = "z", bandwidths = 0.6, boot = FALSE), "z")
  expect_error(r3d(y ~ x, data = long, unit = "unit", covs = "nope", bandwidths = 0.6, boot = FALSE),
               "nope")
  expect_error(r3d(d$x, d$y, covs = cbind(z = d$z, z2 = 2 * d$z), bandwidths = 0.6, boot = FALSE),
               "z2")
  expect_error(r3d(d$x, d$y, covs = cbind(k = rep(1, length(d$x))), bandwidths = 0.6, boot = FALSE),
               "k")
  expect_error(r3d(d$x, d$y, covs = matrix("a", length(d$x), 1), bandwidths = 0.6, boot = FALSE),
               "numeric")
  expect_error(r3d(d$x, d$y, covs = d$z[-1], bandwidths = 0.6, boot = FALSE), "rows")
})

test_that("a predictive covariate narrows the band", {
  d <- toolkit_data(n = 500)
  plain <- r3d(d$x, d$y, bandwidths = 0.6, B = 499, seed = 1)
  adjusted <- r3d(d$x, d$y, covs = d$z, bandwidths = 0.6, B = 499, seed = 1)
  expect_lt(mean(adjusted$se), 0.8 * mean(plain$se))
})

test_that("placebo cutoffs equal the fit on one side's units at the false cutoff", {
  d <- toolkit_data(n = 600)
  fit <- r3d(d$x, d$y, bandwidths = 0.4, B = 199, seed = 2)
  tab <- r3d_placebo(fit, cutoffs = c(-0.5, 0.5))
  expect_s3_class(tab, "rddist_placebo")
  expect_setequal(unique(tab$cutoff), c(-0.5, 0, 0.5))
  right <- d$x >= 0
  ref <- r3d(d$x[right], d$y[right], cutoff = 0.5, bandwidths = 0.4, B = 199, seed = 2)
  got <- tab[tab$cutoff == 0.5, ]
  expect_equal(got$estimate, ref$tau, tolerance = 1e-10)
  expect_true(all(got$placebo))
  expect_false(any(tab$placebo[tab$cutoff == 0]))
  expect_s3_class(plot(tab), "ggplot")
  expect_error(r3d_placebo(fit, cutoffs = 0), "placebo|cutoff")
  expect_error(r3d_placebo(fit, cutoffs = 5), "cutoff")
  expect_error(r3d_placebo(list()), "rddist_r3d")
})

test_that("a running variable with mass points warns with the counts", {
  set.seed(4)
  x <- round(runif(400, -1, 1), 1)
  y <- lapply(x, function(v) rnorm(20, v))
  expect_warning(r3d(x, y, bandwidths = 0.7, boot = FALSE), "mass points.*distinct")
})

test_that("na.rm drops missing draws in the list interface as in the formula interface, with a report", {
  d <- toolkit_data(n = 200, draws = 10)
  y <- d$y
  y[[3]][2] <- NA
  y[[7]][c(1, 5)] <- NA
  expect_error(r3d(d$x, y, bandwidths = 0.6, boot = FALSE), "missing")
  expect_warning(fit <- r3d(d$x, y, bandwidths = 0.6, boot = FALSE, na.rm = TRUE),
                 "dropped 3 draws with a missing value in 2 units.*first: unit 3")
  expect_identical(fit$na_dropped, list(draws = 3, units = 2))
  clean <- lapply(y, function(v) v[!is.na(v)])
  ref <- r3d(d$x, clean, bandwidths = 0.6, boot = FALSE)
  expect_equal(fit$tau, ref$tau, tolerance = 1e-12)
  long <- long_rows(list(x = d$x, y = y, z = d$z, g = d$g))
  expect_warning(lf <- r3d(y ~ x, data = long, unit = "unit", bandwidths = 0.6, boot = FALSE,
                           na.rm = TRUE), "dropped 3 draws")
  expect_equal(lf$tau, fit$tau, tolerance = 1e-12)
  expect_identical(lf$na_dropped, fit$na_dropped)
  expect_silent(quiet <- r3d(d$x, d$y, bandwidths = 0.6, boot = FALSE, na.rm = TRUE))
  expect_null(quiet$na_dropped)
  y[[4]][] <- NA
  expect_error(r3d(d$x, y, bandwidths = 0.6, boot = FALSE, na.rm = TRUE), "unit 4 has no draws left")
  expect_error(r3d(d$x, y, bandwidths = 0.6, boot = FALSE, na.rm = NA), "na.rm")
  expect_warning(r3d_bwselect(d$x, lapply(d$y, function(v) c(v, NA)), na.rm = TRUE), "dropped 200")
})
