# Speed of bandwidth selection for n = 100,000 units and 99 quantiles (issue 3).
# Data: 50 draws per unit from the paper's DGP1 (Delta = 1.14). The per-unit quantile
# matrix is computed once; the selector timings exclude it (they are reported apart).
# Run: Rscript bench/bwselect_speed.R   (after R CMD INSTALL .)
library(rddist)
set.seed(1)
n <- 100000L
draws <- 50L
X <- runif(n, -1, 1)
mu <- rnorm(n, 5 + 5 * X + 1.14 * (X >= 0), 1)
sigma <- abs(rnorm(n, 1 + X, 1))
Y_list <- lapply(seq_len(n), function(i) rnorm(draws, mu[i], sigma[i]))
q <- seq(0.01, 0.99, 0.01)

time_median <- function(f, reps = 5L) median(replicate(reps, system.time(f())[["elapsed"]]))
Q <- rddist:::.rddist_quantile_matrix(Y_list, NULL, q, 7L, 1L)
t_quantiles <- time_median(function() rddist:::.rddist_quantile_matrix(Y_list, NULL, q, 7L, 1L))
rows <- list()
for (method in c("frechet", "simple")) {
  for (compat in c("paper", "r3d-0.1.0")) {
    t <- time_median(function() r3d_bwselect(X, Q, q_grid = q, method = method, compat = compat))
    rows[[length(rows) + 1L]] <- data.frame(method = method, compat = compat, seconds = t)
  }
}
res <- do.call(rbind, rows)
cat(sprintf("n = %d units x %d draws, %d quantiles; BLAS threads as configured\n", n, draws, length(q)))
cat(sprintf("per-unit quantile matrix: %.3f s (median of 5)\n", t_quantiles))
print(res, row.names = FALSE)
