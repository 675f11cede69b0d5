# Speed of one frechet estimate from R (issue 2): n = 100,000 units × 50 draws each
# (DGP 1), 99 quantiles, fixed h = 0.5, no bootstrap. Reports the median of 5 runs of
# r3d() and of the per-unit quantile step alone, and the share of the latter.
# Run: Rscript bench/estimate_speed.R   (after R CMD INSTALL .)
library(rddist)
sim <- r3d_simulate(dgp = 1, n = 100000, draws = 50, delta = 1.14, seed = 1)
q <- seq(0.01, 0.99, 0.01)
time_median <- function(f, reps = 5L) median(replicate(reps, system.time(f())[["elapsed"]]))
for (threads in c(1L, 2L)) {
  t_all <- time_median(function() r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5,
                                      boot = FALSE, threads = threads))
  t_q <- time_median(function() rddist:::.rddist_quantile_matrix(sim$Y_list, NULL, q, 7L, threads))
  cat(sprintf("threads = %d: r3d() %.3f s, of which per-unit quantiles %.3f s (%.0f%%)\n",
              threads, t_all, t_q, 100 * t_q / t_all))
}
