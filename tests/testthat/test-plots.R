# The plots build, render to PNG files and carry the intended layers.

png_of <- function(plot, width = 6, height = 4) {
  path <- tempfile(fileext = ".png")
  ggplot2::ggsave(path, plot, width = width, height = height, dpi = 72)
  path
}

sim <- r3d_simulate(dgp = 2, n = 300, draws = 30, delta = 1, seed = 31)
q <- seq(0.05, 0.95, 0.05)
fit <- r3d(sim$X, sim$Y_list, q_grid = q, B = 199, seed = 2)

test_that("the effect plot draws the band, the intervals, zero and the curve", {
  g <- plot(fit)
  expect_s3_class(g, "ggplot")
  geoms <- vapply(g$layers, function(l) class(l$geom)[1], character(1))
  expect_identical(geoms, c("GeomRibbon", "GeomRibbon", "GeomHline", "GeomLine"))
  path <- png_of(g)
  expect_true(file.exists(path))
  expect_gt(file.size(path), 1000)
  expect_s3_class(ggplot2::autoplot(fit), "ggplot")
  bare <- r3d(sim$X, sim$Y_list, q_grid = q, boot = FALSE)
  expect_identical(vapply(plot(bare)$layers, function(l) class(l$geom)[1], character(1)),
                   c("GeomHline", "GeomLine"))
  expect_gt(file.size(png_of(plot(bare))), 1000)
})

test_that("the sides plot draws both quantile functions with their intervals", {
  g <- plot(fit, type = "sides")
  built <- ggplot2::ggplot_build(g)
  expect_equal(nrow(built$data[[2]]), 2 * length(q))
  expect_gt(file.size(png_of(g)), 1000)
  expect_error(plot(fit, type = "density"), "should be one of")
  # Uniform bands: each side's ribbon is its band, crit_val_sides standard errors wide.
  u <- ggplot2::ggplot_build(plot(fit, type = "sides", band = "uniform"))$data[[1]]
  half <- (u$ymax - u$ymin) / 2
  expect_equal(sort(half), sort(c(fit$crit_val_sides[["plus"]] * fit$se_plus,
                                  fit$crit_val_sides[["minus"]] * fit$se_minus)))
  pointwise <- ggplot2::ggplot_build(g)$data[[1]]
  expect_true(all(u$ymax - u$ymin >= pointwise$ymax - pointwise$ymin))
  expect_gt(file.size(png_of(plot(fit, type = "sides", band = "uniform"))), 1000)
})

test_that("rd_plot bins each side and fits polynomials, from every kind of input", {
  g <- rd_plot(sim$X, sim$Y_list, q = c(0.9, 0.1, 0.5), bins = 10)
  expect_s3_class(g, "ggplot")
  expect_identical(levels(g$data$quantile), c("q = 0.1", "q = 0.5", "q = 0.9"))
  expect_lte(nrow(g$data), 3 * 20)
  expect_equal(sum(g$data$units) / 3, length(sim$X))
  # bin means of the units' quantiles
  Q <- t(vapply(sim$Y_list, stats::quantile, numeric(1), probs = 0.5, names = FALSE))
  expect_equal(weighted.mean(g$data$value[g$data$quantile == "q = 0.5"],
                             g$data$units[g$data$quantile == "q = 0.5"]), mean(Q))
  path <- png_of(g)
  expect_gt(file.size(path), 1000)
  long <- data.frame(id = rep(seq_along(sim$X), each = 30), x = rep(sim$X, each = 30),
                     y = unlist(sim$Y_list))
  g2 <- rd_plot(y ~ x, data = long, unit = "id", q = c(0.1, 0.5, 0.9), bins = 10)
  expect_equal(g2$data$value, g$data$value)
  g3 <- rd_plot(fit, q = c(0.1, 0.5, 0.9), bins = 10, binning = "quantile", p = 2, facet = TRUE)
  expect_s3_class(g3$facet, "FacetWrap")
  expect_true(all(abs(table(g3$data$side) / 3 - c(10, 10)) < 1e-9))
  expect_gt(file.size(png_of(g3, width = 9)), 1000)
  expect_error(rd_plot(sim$X, sim$Y_list, q = 1), "strictly between 0 and 1")
  expect_error(rd_plot(sim$X, sim$Y_list, bins = 0), "bins must be")
  expect_error(rd_plot(sim$X, sim$Y_list, cutoff = 5), "both sides")
  expect_error(rd_plot(fit, colour = "red"), "unknown argument")
})

test_that("a DDP solution plots the two distribution functions, titled with the objective", {
  dp <- ddp_solve(ddp_two_step("R"), gamma = 1, objective = ddp_cvar(0.5))
  g <- plot(dp)
  expect_s3_class(g, "ggplot")
  expect_identical(vapply(g$layers, function(l) class(l$geom)[1], character(1)), "GeomStep")
  expect_match(g$labels$title, "CVaR_0.5(G)", fixed = TRUE)
  built <- ggplot2::ggplot_build(g)$data[[1]]
  expect_identical(length(unique(built$group)), 2L)
  expect_true(all(built$y >= 0 & built$y <= 1))
  expect_s3_class(ggplot2::autoplot(dp), "ggplot")
  path <- png_of(g)
  expect_gt(file.size(path), 1000)
})

test_that("the effect plot is titled as the command line's, and rd_plot(fit) keeps the variables' names", {
  sim <- r3d_simulate(dgp = 1, n = 300, draws = 20, delta = 1, seed = 6)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.1), bandwidths = 0.5, B = 99, seed = 1)
  g <- plot(fit)
  expect_identical(g$labels$title, "Effect on the outcome distribution")
  expect_match(g$labels$subtitle, "frechet, triangular kernel, p = 2, h = 0.5, 300 units, cutoff 0")
  expect_match(g$labels$subtitle, "B = 99")
  expect_match(rd_plot(fit)$labels$x, "sim$X", fixed = TRUE)
  long <- data.frame(id = rep(seq_along(sim$X), each = 20), margin = rep(sim$X, each = 20),
                     income = unlist(sim$Y_list))
  lf <- r3d(income ~ margin, data = long, unit = "id", bandwidths = 0.5, boot = FALSE)
  rp <- rd_plot(lf)
  expect_match(rp$labels$x, "margin")
  expect_match(rp$labels$y, "income")
  treated <- as.numeric(sim$X >= 0)
  fz <- r3d(sim$X, sim$Y_list, T = treated, bandwidths = list(num = 0.5, den = 0.5), boot = FALSE)
  expect_identical(plot(fz)$labels$title, "Effect on the outcome distribution (compliers)")
})
