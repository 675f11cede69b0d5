# The estimator against R3D 0.1.0: local polynomial fits, fixed-bandwidth estimates and
# the long-format files through the whole pipeline (draws -> quantiles -> estimate).

test_that("local polynomial coefficients and weights match R3D for every kernel", {
  d <- wide_units("ref_data_sharp_simple_20.csv")
  for (kernel in c("triangular", "epanechnikov", "uniform")) {
    h <- fixture(sprintf("ref_locpoly_bw_%s.csv", kernel))$h
    fit <- r3d(d$X, d$Q, q_grid = d$q, method = "simple", kernel = kernel, bandwidths = h)
    for (side in c("plus", "minus")) {
      alpha <- as.matrix(fixture(sprintf("ref_locpoly_alpha_%s_%s.csv", side, kernel)))
      w <- as.matrix(fixture(sprintf("ref_locpoly_w_%s_%s.csv", side, kernel)))
      expect_lte(max_rel_error(fit[[paste0("coef_", side)]], alpha), 1e-8)
      expect_lte(max_rel_error(fit[[paste0("weights_", side)]], w), 1e-8)
    }
  }
})

test_that("sharp simple with h = 0.5 matches R3D in compatibility mode", {
  d <- wide_units("ref_data_sharp_simple_20.csv")
  ref <- fixture("ref_results_sharp_simple_fixedbw.csv")
  fit <- r3d(d$X, d$Q, q_grid = d$q, method = "simple", kernel = "epanechnikov",
             bandwidths = 0.5, compat = "r3d-0.1.0")
  expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
  expect_lte(max_rel_error(fit$m_plus, ref$int_plus), 1e-8)
  expect_lte(max_rel_error(fit$m_minus, ref$int_minus), 1e-8)
  expect_length(fit$weights_plus, length(d$X))
})

test_that("long-format sharp frechet (h = 0.4) matches R3D from raw draws", {
  u <- long_units("long_sharp_data.csv")
  ref <- fixture("long_sharp_frechet_tri_h040.csv")
  fit <- r3d(u$X, u$Y, q_grid = ref$q, bandwidths = 0.4)
  expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
  expect_lte(max_rel_error(fit$m_plus, ref$int_plus), 1e-8)
  expect_lte(max_rel_error(fit$m_minus, ref$int_minus), 1e-8)
})

test_that("long-format sharp simple (h = 0.4) matches R3D in compatibility mode", {
  u <- long_units("long_sharp_data.csv")
  ref <- fixture("long_sharp_simple_tri_h040.csv")
  fit <- r3d(u$X, u$Y, q_grid = ref$q, method = "simple", bandwidths = 0.4, compat = "r3d-0.1.0")
  expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
  expect_lte(max_rel_error(fit$m_plus, ref$int_plus), 1e-8)
})

test_that("long-format fuzzy frechet (h = 0.5 / 0.5) matches R3D", {
  u <- long_units("long_fuzzy_data.csv")
  ref <- fixture("long_fuzzy_frechet_tri_h050.csv")
  fit <- r3d(u$X, u$Y, T = u$T, q_grid = ref$q, bandwidths = list(num = 0.5, den = 0.5),
             boot = FALSE)
  expect_true(fit$fuzzy)
  expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
  expect_lte(max_rel_error(fit$m_plus, ref$int_plus), 1e-8)
  expect_lte(max_rel_error(fit$m_minus, ref$int_minus), 1e-8)
})

test_that("the fit carries the documented fields with the documented shapes", {
  u <- long_units("long_sharp_data.csv")
  q <- seq(0.1, 0.9, 0.1)
  fit <- r3d(u$X, u$Y, q_grid = q, bandwidths = 0.4)
  expect_s3_class(fit, "rddist_r3d")
  for (f in c("tau", "q_grid", "m_plus", "m_minus", "h", "coef_plus", "coef_minus",
              "weights_plus", "weights_minus", "n", "n_plus", "n_minus", "method", "fuzzy",
              "p", "kernel", "cutoff", "compat", "call")) {
    expect_true(f %in% names(fit), info = f)
  }
  expect_equal(dim(fit$coef_plus), c(3L, 9L))
  expect_equal(fit$n, 300L)
  expect_equal(fit$n_plus, sum(u$X >= 0 & u$X < 0.4))
  expect_equal(sum(fit$weights_plus), 1, tolerance = 1e-12)
  expect_identical(fit$h$num, 0.4)
  per_level <- r3d(u$X, u$Y, q_grid = q, method = "simple", bandwidths = seq(0.3, 0.7, 0.05))
  expect_equal(dim(per_level$weights_plus), c(300L, 9L))
  expect_output(print(fit), "sharp design, method frechet")
})

test_that("the row order of the units does not change the estimate", {
  u <- long_units("long_sharp_data.csv")
  q <- seq(0.1, 0.9, 0.1)
  perm <- rev(seq_along(u$X))
  a <- r3d(u$X, u$Y, q_grid = q, bandwidths = 0.4)
  b <- r3d(u$X[perm], u$Y[perm], q_grid = q, bandwidths = 0.4)
  expect_equal(a$tau, b$tau, tolerance = 1e-12)
})
