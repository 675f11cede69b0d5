# rddist's S3 classes are its own: methods that another package (R3D 0.1.0 names its fits
# "r3d") or the user defines for other classes never capture rddist's results.

test_that("methods for the class r3d in the global environment leave rddist's output alone", {
  foreign <- list(
    print.r3d = function(x, ...) cat("Sample size: 0, Bootstrap: NO\n"),
    summary.r3d = function(object, ...) stop("a foreign summary method was called"),
    plot.r3d = function(x, ...) invisible(NULL),
    print.r3d_bwselect = function(x, ...) cat("foreign bandwidths\n"),
    print.ddp = function(x, ...) cat("foreign ddp\n"),
    summary.ddp = function(object, ...) stop("a foreign ddp summary was called")
  )
  list2env(foreign, envir = globalenv())
  on.exit(rm(list = names(foreign), envir = globalenv()), add = TRUE)

  sim <- r3d_simulate(dgp = 1, n = 200, draws = 20, delta = 1, seed = 3)
  fit <- r3d(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.2), B = 99, seed = 1)
  expect_false(inherits(fit, "r3d"))
  out <- capture.output(print(fit))
  expect_false(any(grepl("Sample size: 0", out)))
  expect_true(any(grepl("Uniform 95% band", out, fixed = TRUE)))
  expect_s3_class(summary(fit), "summary.rddist_r3d")
  expect_s3_class(plot(fit), "ggplot")

  bw <- r3d_bwselect(sim$X, sim$Y_list, q_grid = seq(0.1, 0.9, 0.2))
  expect_false(any(grepl("foreign", capture.output(print(bw)))))

  tr <- data.frame(state = "s", action = c("a", "b", "b"), prob = c(1, 0.5, 0.5),
                   reward = c(1, 0, 3), next_state = NA)
  dp <- ddp_solve(tr, gamma = 1, representation = "exact")
  expect_false(any(grepl("foreign", capture.output(print(dp)))))
  expect_s3_class(summary(dp), "summary.rddist_ddp")
})
