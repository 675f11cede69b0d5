# designs.R — the simulation designs shared by validation/band_mc.R and
# validation/test_statistic_mc.R (sourced; see band_mc.R's header for their description):
# the paper's DGP 1 and DGP 2, a fuzzy and a clustered version of DGP 1, and two curved,
# heteroskedastic designs of our own, on the nine deciles.
q <- seq(0.1, 0.9, 0.1)
deltas <- c(0, 1.14, 2.27)

cells <- rbind(
  data.frame(design = "DGP 1", n = c(200L, 500L, 1000L, 2000L)),
  data.frame(design = "DGP 2", n = c(200L, 500L, 1000L, 2000L)),
  data.frame(design = "fuzzy", n = c(500L, 1000L)),
  data.frame(design = "clustered", n = c(500L, 1000L)),
  data.frame(design = "curved", n = c(500L, 1000L)),
  data.frame(design = "cubic", n = c(300L, 600L)))
cells <- merge(cells, data.frame(method = c("frechet", "simple")))
cells <- cells[order(match(cells$design, unique(cells$design)), cells$n, cells$method), ]

# τ(q) of a design at Δ = `delta`.
true_effect <- function(design, delta) {
  switch(design,
         "DGP 2" = r3d_true_effect(q, dgp = 2, delta = delta, delta_lambda = 0.5),
         curved = exp(0.045) * (exp(0.8 + 0.6 * stats::qnorm(q)) - exp(0.5 + 0.4 * stats::qnorm(q))) + delta,
         cubic = 1 + 0.5 * stats::qnorm(q) + delta,
         r3d_true_effect(q, dgp = 1, delta = delta, delta_lambda = 0.5))
}

# One data set with Δ = `delta`: units (X, draws, optional T and clusters) and τ(q).
simulate_cell <- function(design, n, delta, seed) {
  if (design %in% c("DGP 1", "DGP 2", "fuzzy", "clustered")) {
    dgp <- if (design == "DGP 2") 2L else 1L
    s <- r3d_simulate(dgp, n = n, draws = n, delta = delta, fuzzy = design == "fuzzy", seed = seed)
    d <- list(X = s$X, Y = s$Y_list, T = if (design == "fuzzy") s$T else NULL, cluster = NULL,
              truth = true_effect(design, delta))
    if (design == "clustered") {
      set.seed(seed)
      d$cluster <- sample(rep(seq_len(ceiling(n / 5)), 5)[seq_len(n)])
      shock <- stats::rnorm(max(d$cluster))[d$cluster]
      d$Y <- Map(function(y, s) y + s, d$Y, shock)
    }
    return(d)
  }
  set.seed(seed)
  if (design == "curved") {
    X <- stats::runif(n, -1, 1)
    above <- X >= 0
    m <- ifelse(above, 0.8 + 0.4 * X + 0.6 * X^2, 0.5 + 0.5 * X - 0.8 * X^2) + 0.3 * stats::rnorm(n)
    s <- ifelse(above, 0.6, 0.4) + 0.2 * abs(X)
    Z <- matrix(stats::rnorm(n * 150), n)
    Y <- lapply(seq_len(n), function(i) exp(m[i] + s[i] * Z[i, ]) + delta * above[i])
    return(list(X = X, Y = Y, T = NULL, cluster = NULL, truth = true_effect(design, delta)))
  }
  # cubic: validation/vce_mc.R's design 3
  X <- 2 * stats::rbeta(n, 2, 2) - 1
  noise <- (0.4 + 0.8 * abs(X)) * stats::rnorm(n)
  D <- as.numeric(X >= 0)
  mu <- ifelse(X >= 0, 2 + X + 3 * X^2 - 2 * X^3, 1 + X - 1.5 * X^2 + X^3) + noise + delta * D
  s <- 1 + X / 2 + 0.5 * D
  Z <- matrix(stats::rnorm(n * 150), n)
  list(X = X, Y = lapply(seq_len(n), function(i) mu[i] + s[i] * Z[i, ]), T = NULL, cluster = NULL,
       truth = true_effect(design, delta))
}

# The Δs a cell's tests are computed for: the fuzzy design is run at Δ = 1.14 only.
cell_deltas <- function(cell) if (cell$design == "fuzzy") 1.14 else deltas

# One replication's data and fit (no bootstrap), simulated at Δ = 0 (fuzzy: 1.14). Every
# other Δ of a sharp cell shifts only the treated outcomes, so τ̂ moves by the change in Δ
# and nothing else changes; `check_shift` verifies that on this replication.
fit_cell <- function(cell, seed, check_shift = FALSE) {
  fuzzy <- cell$design == "fuzzy"
  simulated_at <- if (fuzzy) 1.14 else 0
  d <- simulate_cell(cell$design, cell$n, simulated_at, seed)
  fit <- r3d(d$X, d$Y, T = d$T, q_grid = q, method = cell$method, boot = FALSE)
  if (check_shift && !fuzzy) {
    shifted <- simulate_cell(cell$design, cell$n, 1.14, seed)
    fit2 <- r3d(shifted$X, shifted$Y, T = shifted$T, q_grid = q, method = cell$method, boot = FALSE)
    stopifnot(isTRUE(all.equal(fit2$tau - 1.14, fit$tau, tolerance = 1e-8)),
              isTRUE(all.equal(fit2$h$num, fit$h$num)))
  }
  list(data = d, fit = fit, simulated_at = simulated_at)
}

# For each cell, the means over `reps` replications of the named vector
# one_replication(cell, r), on `cores` cores, with a line of progress per cell.
cell_means <- function(one_replication, reps, cores) {
  started <- Sys.time()
  lapply(seq_len(nrow(cells)), function(k) {
    cell <- cells[k, ]
    m <- do.call(rbind, parallel::mclapply(seq_len(reps), function(r) one_replication(cell, r),
                                           mc.cores = cores))
    message(sprintf("%s n = %d %s done (%.0f s)", cell$design, cell$n, cell$method,
                    as.numeric(difftime(Sys.time(), started, units = "secs"))))
    colMeans(m)
  })
}
