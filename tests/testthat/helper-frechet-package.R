# helper-frechet-package.R — compares the side curves of r3d(method = "frechet", p = 1)
# with the frechet package's local linear Fréchet regression in Wasserstein space
# (LocWassReg, passed in as `loc_wass`), one side of the cutoff at a time. Used by
# test-frechet-package.R and by validation/frechet_parity.R.

# The units' type-7 quantiles on `q`, one row per unit.
unit_quantile_matrix <- function(Y_list, q) {
  t(vapply(Y_list, function(y) stats::quantile(y, q, type = 7, names = FALSE), numeric(length(q))))
}

# For each side: the largest difference between rddist's curve and LocWassReg's at the
# cutoff 0, relative to the range of LocWassReg's curve; the same for rddist's curve
# before its monotone projection; whether the projection moved it; and whether rddist's
# curve is at least as close (in L2 on the grid) to the unprojected curve as LocWassReg's,
# that is, whether it solves the projection at least as well as osqp does.
side_curves_against_frechet <- function(X, Y_list, q, kernel, h, loc_wass) {
  fit <- r3d(X, Y_list, method = "frechet", p = 1, kernel = kernel, bandwidths = h,
             q_grid = q, boot = FALSE)
  qin <- unit_quantile_matrix(Y_list, q)
  ker <- c(epanechnikov = "epan", uniform = "rect")[[kernel]]
  sides <- list(plus = X >= 0, minus = X < 0)
  rows <- lapply(names(sides), function(side) {
    keep <- sides[[side]]
    ref <- as.vector(loc_wass(xin = X[keep], qin = qin[keep, , drop = FALSE], xout = 0,
                              optns = list(bw = h, ker = ker)))
    ours <- fit[[paste0("m_", side)]]
    raw <- fit[[paste0("m_", side, "_raw")]]
    scale <- diff(range(ref))
    distance <- function(curve) sum((curve - raw)^2)
    data.frame(side = side, max_rel_diff = max(abs(ours - ref)) / scale,
               max_rel_diff_raw = max(abs(raw - ref)) / scale,
               binds = max(abs(ours - raw)) > 1e-10 * scale,
               closer = distance(ours) <= distance(ref) * (1 + 1e-12))
  })
  do.call(rbind, rows)
}
