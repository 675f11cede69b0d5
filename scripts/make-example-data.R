# Writes inst/extdata/governors.csv.gz: simulated data shaped like the paper's application
# (the paper's empirical application): state-year units, the Democratic two-party vote share in the last
# gubernatorial election as running variable (cutoff 0.5), and a sample of families per
# unit with their income as a multiple of the poverty line and a sampling weight.
# A Democratic governor compresses the upper half of the income distribution, so the
# top decile falls by about 1.3 poverty lines while the bottom barely moves.
# Run from the repository root: Rscript scripts/make-example-data.R
set.seed(20250401)
states <- c(state.abb)
grid <- expand.grid(state = states, year = 1984:2010, stringsAsFactors = FALSE)
units <- grid[sort(sample(nrow(grid), 356)), ]
n_units <- nrow(units)
units$dem_share <- pmin(pmax(0.5 + 0.09 * rt(n_units, df = 5), 0.2), 0.8)
state_level <- setNames(rnorm(length(states), 0, 0.15), states)

rows <- lapply(seq_len(n_units), function(i) {
  v <- units$dem_share[i]
  m <- sample(40:160, 1)
  log_mu <- 1.05 + state_level[[units$state[i]]] + 0.6 * (v - 0.5) + 0.03 * (units$year[i] - 1997) / 13
  y <- exp(log_mu + 0.75 * rnorm(m))
  if (v >= 0.5) {
    med <- exp(log_mu)
    y <- ifelse(y > med, med + 0.78 * (y - med), y)
  }
  data.frame(state = units$state[i], year = units$year[i], dem_share = round(v, 6),
             income_pov = y, famwgt = round(runif(m, 0.5, 2), 3))
})
d <- do.call(rbind, rows)
cap <- unname(quantile(d$income_pov, 0.95))
d$income_pov <- round(pmin(d$income_pov, cap), 4)
dir.create("inst/extdata", showWarnings = FALSE, recursive = TRUE)
con <- gzfile("inst/extdata/governors.csv.gz", "w")
utils::write.csv(d, con, row.names = FALSE)
close(con)
cat(sprintf("wrote %d families in %d state-years\n", nrow(d), n_units))
