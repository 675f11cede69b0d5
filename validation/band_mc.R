# Monte Carlo choice of the uniform band: studentized or constant, hc2 or hc3 residuals.
#
# Candidates, all computed from the same data, the same selected bandwidth and the same
# multipliers (common seeds; B draws of the Gaussian sampler, paper mode, triangular
# kernel, p = 2):
#   constant-hc2   τ̂ ± ĉ, ĉ the 95% order statistic of sup_q |Ĝ_b(q)| (the band before
#                  this study: the paper's shape with rddist's default residuals)
#   studentized-hc2, studentized-hc3   τ̂(q) ± ĉ ŝ(q), ĉ from sup_q |Ĝ_b(q)| / ŝ(q), ŝ the
#                  exact standard error of the process
#   constant-hc3
# Reported per cell: coverage of the 95% band at all nine deciles (with its Monte Carlo
# standard error), the mean band width over the levels, and for the designs with an
# effect Δ the rejection rates at 5% of the nullity test and of the one-sided tests
# (nonpositive: H0 τ ≤ 0, whose rejection is power when Δ > 0; nonnegative: H0 τ ≥ 0,
# whose rejection at Δ ≥ 0 is an error) in the band's scale.
#
# Δ only shifts the outcomes of treated units by a constant, so in the sharp designs under
# common seeds the data for every Δ are the data for Δ = 0 shifted: the selected bandwidth,
# the residuals and the bootstrap draws are identical and τ̂ moves by Δ (checked on the
# first replication of every cell). The tests for each Δ therefore reuse one fit. In the
# fuzzy design the shift also moves units below the cutoff (the treated there), so it is
# run at Δ = 1.14 only.
#
# Designs:
#   DGP 1, DGP 2   the paper's (r3d_simulate(), sharp, Δ_λ = 0.5), n = n_i ∈ {200, 500, 1000, 2000}
#   fuzzy          DGP 1 with the fuzzy first stage of r3d_simulate(), n = n_i ∈ {500, 1000}
#   clustered      DGP 1 with a location shock N(0, 1) shared by the units of a cluster
#                  (clusters of five units drawn at random, so they span both sides),
#                  bootstrap with one multiplier per cluster (CR2/CR3), n = n_i ∈ {500, 1000}
#   curved         own: X ~ U(−1, 1); unit draws log-normal, exp(m(X) + 0.3η_i + s(X) Z)
#                  with curvature m(x) = 0.5 + 0.5x − 0.8x² below and 0.8 + 0.4x + 0.6x² above
#                  the cutoff, and spread s(x) = 0.4 + 0.2|x| below and 0.6 + 0.2|x| above, so
#                  the upper quantiles are far noisier than the lower ones (income-like);
#                  τ(q) = e^{0.045}(e^{0.8 + 0.6 z_q} − e^{0.5 + 0.4 z_q}). n ∈ {500, 1000}, 150 draws
#   cubic          the curved, heteroskedastic design 3 of validation/vce_mc.R, n ∈ {300, 600}
#
# Decision rule, fixed before the study was run: the default is the candidate with the
# smallest mean width, averaged over all cells, among the candidates whose coverage is at
# least 94% in every cell with n ≥ 500; if none qualifies, the one with the highest
# minimum coverage over those cells.
#
# Run from the repository root after installing the package:
#   Rscript validation/band_mc.R [replications, default 1000] [draws B, default 999]
# Writes validation/results/band_mc.{csv,md}. Seeded; two cores.
library(rddist)
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args) >= 1) as.integer(args[1]) else 1000L
B <- if (length(args) >= 2) as.integer(args[2]) else 999L
source("validation/designs.R")
cores <- max(1L, min(2L, parallel::detectCores()))
candidates <- expand.grid(band = c("constant", "studentized"), vce = c("hc2", "hc3"),
                          stringsAsFactors = FALSE)
candidates$name <- paste(candidates$band, candidates$vce, sep = "-")

# The band and the tests of one candidate from the kept draws (the core's rules: the
# ⌈0.95(B + 1)⌉-th smallest sup statistic; p-value = share of draws at or above).
# The data were simulated at Δ = `simulated_at`; tests are computed for the Δs in `available`.
evaluate <- function(tau, draws, se, truth, band, simulated_at = 0, available = deltas) {
  s <- if (band == "studentized") se else rep(1, length(se))
  scaled <- sweep(draws, 2, s, "/")
  k <- ceiling(0.95 * (nrow(draws) + 1))
  crit <- sort(apply(abs(scaled), 1, max))[k]
  sup_abs <- apply(abs(scaled), 1, max)
  sup_pos <- apply(scaled, 1, max)
  sup_neg <- apply(-scaled, 1, max)
  out <- c(covered = all(abs(tau - truth) <= crit * s), width = mean(2 * crit * s))
  for (d in deltas) {
    if (!d %in% available) {
      out[paste0(c("nullity_", "nonpositive_", "nonnegative_"), d)] <- NA
      next
    }
    t <- (tau + d - simulated_at) / s  # the estimate for Δ = d (the data shifted)
    out[paste0("nullity_", d)] <- mean(sup_abs >= max(abs(t))) <= 0.05
    out[paste0("nonpositive_", d)] <- mean(sup_pos >= max(t)) <= 0.05
    out[paste0("nonnegative_", d)] <- mean(sup_neg >= max(-t)) <= 0.05
  }
  out
}

one_replication <- function(cell, r) {
  seed <- 7919L * r + 104729L * cell$n + match(cell$design, unique(cells$design))
  one <- fit_cell(cell, seed, check_shift = r == 1L)
  res <- c()
  for (vce in c("hc2", "hc3")) {
    b <- r3d_bootstrap(one$fit, B = B, seed = seed, vce = vce, keep_draws = TRUE, test = "none",
                       cluster = one$data$cluster)
    for (band in c("constant", "studentized")) {
      v <- evaluate(one$fit$tau, b$draws$tau, b$se, one$data$truth, band, one$simulated_at,
                    cell_deltas(cell))
      names(v) <- paste(band, vce, names(v), sep = "|")
      res <- c(res, v)
    }
  }
  res
}

all_means <- cell_means(one_replication, reps, cores)
rows <- list()
for (k in seq_len(nrow(cells))) {
  cell <- cells[k, ]
  means <- all_means[[k]]
  for (cand in candidates$name) {
    key <- sub("-", "|", cand)
    cov <- means[[paste0(key, "|covered")]]
    row <- data.frame(design = cell$design, n = cell$n, method = cell$method, candidate = cand,
                      coverage = 100 * cov, mc_se = 100 * sqrt(cov * (1 - cov) / reps),
                      width = means[[paste0(key, "|width")]])
    for (test in c("nullity", "nonpositive", "nonnegative"))
      for (dd in deltas) row[[paste0(test, "_", dd)]] <- 100 * means[[paste0(key, "|", test, "_", dd)]]
    rows[[length(rows) + 1L]] <- row
  }
}
res <- do.call(rbind, rows)
dir.create("validation/results", showWarnings = FALSE)
utils::write.csv(res, "validation/results/band_mc.csv", row.names = FALSE)

# The decision rule.
large <- res[res$n >= 500, ]
summary_of <- function(cand) {
  a <- res[res$candidate == cand, ]
  l <- large[large$candidate == cand, ]
  base <- res[res$candidate == "constant-hc2", ]
  data.frame(candidate = cand, min_coverage_n500 = min(l$coverage), mean_coverage = mean(a$coverage),
             mean_width = mean(a$width),
             width_vs_constant_hc2 = 100 * (mean(a$width / base$width) - 1),
             qualifies = min(l$coverage) >= 94)
}
decision <- do.call(rbind, lapply(candidates$name, summary_of))
pick <- if (any(decision$qualifies)) {
  q_ok <- decision[decision$qualifies, ]
  q_ok$candidate[which.min(q_ok$mean_width)]
} else {
  decision$candidate[which.max(decision$min_coverage_n500)]
}

fmt <- function(x, d = 1) formatC(x, format = "f", digits = d)
lines <- c(
  "# Uniform band: Monte Carlo choice of its shape and residuals",
  "",
  sprintf("Generated by `Rscript validation/band_mc.R %d %d` (rddist %s, %s). Designs, candidates and",
          reps, B, as.character(utils::packageVersion("rddist")), format(Sys.Date())),
  "the decision rule: see the script. Coverage (%) of the 95% band over the nine deciles",
  "(Monte Carlo standard error in parentheses), mean width, and the rejection rates (%) at 5%",
  "of the nullity test and of the one-sided test of H0 τ ≤ 0 at each Δ (the band's scale);",
  "the full table with the nonnegative test is `band_mc.csv`.",
  "")
for (cand in candidates$name) {
  lines <- c(lines, paste0("## ", cand), "",
             "| design | n | method | coverage | width | nullity Δ=0 | 1.14 | 2.27 | τ≤0 rejected Δ=0 | 1.14 | 2.27 |",
             "|---|---|---|---|---|---|---|---|---|---|---|")
  a <- res[res$candidate == cand, ]
  for (i in seq_len(nrow(a))) {
    lines <- c(lines, sprintf("| %s | %d | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s |",
                              a$design[i], a$n[i], a$method[i], fmt(a$coverage[i]), fmt(a$mc_se[i]),
                              fmt(a$width[i], 3), fmt(a$nullity_0[i]), fmt(a$nullity_1.14[i]),
                              fmt(a$nullity_2.27[i]), fmt(a$nonpositive_0[i]),
                              fmt(a$nonpositive_1.14[i]), fmt(a$nonpositive_2.27[i])))
  }
  lines <- c(lines, "")
}
lines <- c(lines, "## Decision", "",
           "| candidate | min coverage, n ≥ 500 | mean coverage | mean width | width vs constant-hc2 (%) | coverage ≥ 94 in every cell with n ≥ 500 |",
           "|---|---|---|---|---|---|")
for (i in seq_len(nrow(decision))) {
  lines <- c(lines, sprintf("| %s | %s | %s | %s | %s | %s |", decision$candidate[i],
                            fmt(decision$min_coverage_n500[i]), fmt(decision$mean_coverage[i]),
                            fmt(decision$mean_width[i], 3), fmt(decision$width_vs_constant_hc2[i]),
                            if (decision$qualifies[i]) "yes" else "no"))
}
lines <- c(lines, "", sprintf("Decision rule: the narrowest candidate with coverage ≥ 94%% in every cell with n ≥ 500: **%s**.", pick))
writeLines(lines, "validation/results/band_mc.md")
cat(lines, sep = "\n")
