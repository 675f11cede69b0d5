# Bootstrap speed from R (issue 4): n = 100,000 units × 50 draws (DGP 1), 99 quantiles,
# frechet with h = 0.5, B = 2000; median of 3 runs of r3d_bootstrap() for each sampler.
# Run: Rscript bench/bootstrap_speed.R   (after R CMD INSTALL .)
library(rddist)
sim <- r3d_simulate(dgp = 1, n = 100000, draws = 50, delta = 1.14, seed = 1)
q <- seq(0.01, 0.99, 0.01)
fit <- r3d(sim$X, sim$Y_list, q_grid = q, bandwidths = 0.5, boot = FALSE)
time_median <- function(f, reps = 3L) median(replicate(reps, system.time(f())[["elapsed"]]))
for (sampler in c("gaussian", "multipliers")) {
  t <- time_median(function() r3d_bootstrap(fit, B = 2000, seed = 1, sampler = sampler, threads = 2))
  cat(sprintf("r3d_bootstrap, B = 2000, %-11s sampler: %.3f s\n", sampler, t))
}
cat(sprintf("units within the bandwidth: %d\n", as.integer(fit$n_plus + fit$n_minus)))
