# The main analysis of scripts/setup.sh, from R: state-year units, families as draws.
# Writes out/governors_r3d.csv with the estimated effect on each quantile.
library(rddist)
d <- read.csv(system.file("extdata", "governors.csv.gz", package = "rddist"))
rows <- split(seq_len(nrow(d)), paste(d$state, d$year))
X <- vapply(rows, function(r) d$dem_share[r[1]], numeric(1))
Y <- lapply(rows, function(r) d$income_pov[r])
W <- lapply(rows, function(r) d$famwgt[r])
state <- vapply(rows, function(r) d$state[r[1]], character(1))
fit <- r3d(X, Y, cutoff = 0.5, weights = W, q_grid = seq(0.05, 0.95, 0.05), seed = 1,
           cluster = state, test = c("nullity", "homogeneity", "gini"))
print(fit)
dir.create("out", showWarnings = FALSE)
utils::write.csv(data.frame(quantile = fit$q_grid, estimate = fit$tau, std.error = fit$se,
                            band.low = fit$band$lower, band.high = fit$band$upper),
                 "out/governors_r3d.csv", row.names = FALSE)
cat("wrote out/governors_r3d.csv\n")
