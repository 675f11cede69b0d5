# Parity of the building blocks with R3D 0.1.0: quantiles, isotonic fits, Gini.

test_that("per-unit type-7 quantiles match R3D on the golden samples", {
  ref <- fixture("ref_quantiles.csv")
  for (k in 1:3) {
    y <- fixture(sprintf("ref_quantile_y_%d.csv", k))$y
    rows <- ref$case == k
    got <- rddist:::.rddist_quantile_matrix(list(y), NULL, ref$q[rows], 7L, 1L)
    expect_lte(max_rel_error(got, ref$value[rows], golden = "ref_quantiles.csv"), 1e-12)
  }
})

test_that("type-7 quantiles equal stats::quantile and type 1 its type 1", {
  set.seed(3)
  y <- rexp(37)
  q <- seq(0.01, 0.99, 0.01)
  expect_equal(as.numeric(rddist:::.rddist_quantile_matrix(list(y), NULL, q, 7L, 1L)),
               unname(quantile(y, q, type = 7)), tolerance = 1e-15)
  expect_equal(as.numeric(rddist:::.rddist_quantile_matrix(list(y), NULL, q, 1L, 1L)),
               unname(quantile(y, q, type = 1)), tolerance = 0)
})

test_that("isotonic projection matches R3D's isoreg fits", {
  ref <- fixture("ref_isotonic.csv")
  for (case in unique(ref$case)) {
    rows <- ref$case == case
    expect_lte(max_rel_error(rddist:::.rddist_isotonic(ref$input[rows]), ref$output[rows],
                             golden = "ref_isotonic.csv"), 1e-12)
  }
})

test_that("the Gini index matches R3D on the golden quantile functions", {
  ref <- fixture("ref_gini.csv")
  for (k in seq_len(nrow(ref))) {
    qf <- fixture(sprintf("ref_gini_qf_%s.csv", ref$case[k]))
    got <- rddist:::.rddist_gini(qf$q, qf$qf)
    # max_rel_error requires an exact match when the reference is exactly zero.
    expect_lte(max_rel_error(got, ref$gini[k], golden = "ref_gini.csv"), 1e-12)
  }
})
