# Bandwidth selection: exact reproduction of R3D 0.1.0 in compatibility mode (selector
# output, every layer-3 result and the long files), and the paper-mode selector.

test_that("compatibility mode reproduces R3D's selector output", {
  cases <- list(
    list(file = "ref_bwselect_sharp.csv", data = "ref_data_sharp_simple_20.csv", method = "simple"),
    list(file = "ref_bwselect_frechet.csv", data = "ref_data_sharp_simple_20.csv", method = "frechet"),
    list(file = "ref_bwselect_fuzzy.csv", data = "ref_data_fuzzy_simple_20.csv", method = "simple")
  )
  for (case in cases) {
    ref <- fixture(case$file)
    d <- wide_units(case$data)
    fuzzy <- !is.null(d$T)
    bw <- r3d_bwselect(d$X, d$Q, T = d$T, q_grid = ref$q, method = case$method,
                       compat = "r3d-0.1.0")
    expect_s3_class(bw, "rddist_bwselect")
    expect_lte(max_rel_error(rep_len(bw$h_num, nrow(ref)), ref$h_star_num), 1e-8)
    expect_lte(max_rel_error(rep_len(bw$pilot_num, nrow(ref)), ref$pilot_h_num), 1e-8)
    for (col in c("B_plus", "B_minus", "V_plus", "V_minus")) {
      expect_lte(max_rel_error(bw[[col]], ref[[col]]), 1e-8)
    }
    expect_lte(max_rel_error(rep(bw$f_x, nrow(ref)), ref$f_X_hat), 1e-8)
    if (fuzzy) {
      expect_lte(max_rel_error(rep(bw$h_den, nrow(ref)), ref$h_star_den), 1e-8)
      expect_lte(max_rel_error(rep(bw$pilot_den, nrow(ref)), ref$pilot_h_den), 1e-8)
    }
  }
})

test_that("Silverman densities match R3D for the three kernels", {
  ref <- fixture("ref_density_all.csv")
  d <- wide_units("ref_data_sharp_simple_20.csv")
  for (k in seq_len(nrow(ref))) {
    bw <- r3d_bwselect(d$X, d$Q, q_grid = d$q, kernel = ref$kernel[k], compat = "r3d-0.1.0")
    expect_lte(abs(bw$f_x / ref$f_X_hat[k] - 1), 1e-12)
  }
})

test_that("compatibility mode reproduces every R3D result with selected bandwidths", {
  cases <- list(
    list("ref_results_sharp_simple_epanechnikov.csv", "ref_data_sharp_simple_20.csv"),
    list("ref_results_sharp_simple_triangular.csv", "ref_data_sharp_simple_20.csv", kernel = "triangular"),
    list("ref_results_sharp_simple_uniform.csv", "ref_data_sharp_simple_20.csv", kernel = "uniform"),
    list("ref_results_sharp_simple_99.csv", "ref_data_sharp_simple_99.csv", kernel = "triangular"),
    list("ref_results_sharp_simple_p1.csv", "ref_data_sharp_simple_20.csv", p = 1),
    list("ref_results_sharp_simple_p3.csv", "ref_data_sharp_simple_20.csv", p = 3),
    list("ref_results_coverage.csv", "ref_data_sharp_simple_20.csv", coverage = TRUE),
    list("ref_results_small_sample.csv", "ref_data_small_sample.csv"),
    list("ref_results_large_nq.csv", "ref_data_large_nq.csv"),
    list("ref_results_dgp1.csv", "ref_data_dgp1.csv"),
    list("ref_results_dgp2.csv", "ref_data_dgp2.csv"),
    list("ref_results_sharp_frechet_20.csv", "ref_data_sharp_simple_20.csv", method = "frechet"),
    list("ref_results_fuzzy_simple_20.csv", "ref_data_fuzzy_simple_20.csv"),
    list("ref_results_fuzzy_frechet_20.csv", "ref_data_fuzzy_simple_20.csv", method = "frechet")
  )
  for (case in cases) {
    ref <- fixture(case[[1]])
    d <- wide_units(case[[2]])
    fit <- r3d(d$X, d$Q, T = d$T, q_grid = ref$q,
               method = if (is.null(case$method)) "simple" else case$method,
               kernel = if (is.null(case$kernel)) "epanechnikov" else case$kernel,
               p = if (is.null(case$p)) 2 else case$p,
               coverage = isTRUE(case$coverage), compat = "r3d-0.1.0", boot = FALSE)
    info <- case[[1]]
    expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
    expect_lte(max_rel_error(rep_len(fit$h$num, nrow(ref)), ref$bw_num), 1e-8)
    expect_lte(max_rel_error(fit$m_plus, ref$int_plus), 1e-8)
    expect_lte(max_rel_error(fit$m_minus, ref$int_minus), 1e-8)
    if (!is.null(d$T)) expect_lte(max_rel_error(rep(fit$h$den, nrow(ref)), ref$bw_den), 1e-8)
    expect_s3_class(fit$bwselect, "rddist_bwselect")
  }
})

test_that("compatibility mode reproduces the long-format files with selected bandwidths", {
  cases <- list(
    list("long_sharp_simple_tri_bwsel.csv", "long_sharp_data.csv", "simple"),
    list("long_sharp_frechet_tri_bwsel.csv", "long_sharp_data.csv", "frechet"),
    list("long_fuzzy_simple_tri_bwsel.csv", "long_fuzzy_data.csv", "simple")
  )
  for (case in cases) {
    ref <- fixture(case[[1]])
    u <- long_units(case[[2]])
    fit <- r3d(u$X, u$Y, T = u$T, q_grid = ref$q, method = case[[3]], compat = "r3d-0.1.0",
               boot = FALSE)
    expect_lte(max_rel_error(fit$tau, ref$tau), 1e-8)
    expect_lte(max_rel_error(rep_len(fit$h$num, nrow(ref)), ref$bw_num), 1e-8)
    expect_lte(max_rel_error(fit$m_plus, ref$int_plus), 1e-8)
    if (!is.null(u$T)) expect_lte(max_rel_error(rep(fit$h$den, nrow(ref)), ref$bw_den), 1e-8)
  }
})

test_that("paper mode selects one bandwidth per level (simple) or one overall (frechet)", {
  u <- long_units("long_sharp_data.csv")
  q <- seq(0.1, 0.9, 0.1)
  simple <- r3d_bwselect(u$X, u$Y, q_grid = q, method = "simple")
  frechet <- r3d_bwselect(u$X, u$Y, q_grid = q)
  expect_length(simple$h_num, 9)
  expect_length(frechet$h_num, 1)
  expect_true(all(simple$h_num > 0 & simple$h_num <= max(abs(u$X))))
  expect_equal(frechet$f_x, r3d_bwselect(u$X, u$Y, q_grid = q, compat = "r3d-0.1.0")$f_x)
  # r3d() with bandwidths = NULL uses exactly the selected bandwidth.
  fit <- r3d(u$X, u$Y, q_grid = q)
  expect_identical(fit$h$num, frechet$h_num)
  expect_identical(fit$bwselect$h_num, frechet$h_num)
  expect_output(print(frechet), "IMSE-optimal")
  expect_output(print(simple), "over 9 levels")
})

test_that("fuzzy designs select the treatment bandwidth, also when only num is given", {
  u <- long_units("long_fuzzy_data.csv")
  q <- seq(0.1, 0.9, 0.1)
  bw <- r3d_bwselect(u$X, u$Y, T = u$T, q_grid = q)
  expect_true(bw$h_den > 0)
  fit <- r3d(u$X, u$Y, T = u$T, q_grid = q, bandwidths = list(num = 0.5), boot = FALSE)
  expect_identical(fit$h$num, 0.5)
  expect_identical(fit$h$den, bw$h_den)
})

test_that("two threads select the one-thread bandwidths exactly", {
  u <- long_units("long_fuzzy_data.csv")
  q <- seq(0.1, 0.9, 0.1)
  for (method in c("simple", "frechet")) {
    one <- r3d_bwselect(u$X, u$Y, T = u$T, q_grid = q, method = method, threads = 1)
    two <- r3d_bwselect(u$X, u$Y, T = u$T, q_grid = q, method = method, threads = 2)
    expect_identical(two$h_num, one$h_num)
    expect_identical(two$h_den, one$h_den)
    expect_identical(two$B_plus, one$B_plus)
  }
})

test_that("coverage shrinkage and guards are applied and reported", {
  u <- long_units("long_sharp_data.csv")
  q <- seq(0.1, 0.9, 0.1)
  a <- r3d_bwselect(u$X, u$Y, q_grid = q)
  b <- r3d_bwselect(u$X, u$Y, q_grid = q, coverage = TRUE)
  expect_equal(b$h_num, a$h_num * length(u$X)^(-1 / 20), tolerance = 1e-12)
  expect_type(a$notes, "character")
})
