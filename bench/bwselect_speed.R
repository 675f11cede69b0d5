# Speed of bandwidth selection for n = 100,000 units and 99 quantiles (issue 3).
# Data: 50 draws per unit from the paper's DGP1 (Delta = 1.14). The per-unit quantile
# matrix is computed once; the selector timings exclude it (they are reported apart).
# Run: Rscript bench/bwselect_speed.R   (after R CMD INSTALL .; OPENBLAS_NUM_THREADS=1 to
# keep BLAS on one core)
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
# One and two threads (paper mode fits the two sides concurrently), timed alternately so
# that both see the same machine load.
rows <- list()
for (method in c("frechet", "simple")) {
  for (compat in c("paper", "r3d-0.1.0")) {
    t <- matrix(NA_real_, 5L, 2L)
    for (r in 1:5) for (k in 1:2) {
      t[r, k] <- system.time(r3d_bwselect(X, Q, q_grid = q, method = method, compat = compat,
                                          threads = k))[["elapsed"]]
    }
    rows[[length(rows) + 1L]] <- data.frame(method = method, compat = compat,
                                            one_thread = median(t[, 1]), two_threads = median(t[, 2]))
  }
}
res <- do.call(rbind, rows)
cat(sprintf("n = %d units x %d draws, %d quantiles; seconds, median of 5\n", n, draws, length(q)))
cat(sprintf("per-unit quantile matrix: %.3f s (one thread)\n", t_quantiles))
print(res, row.names = FALSE)
