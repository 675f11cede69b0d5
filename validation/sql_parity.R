# Units' quantiles computed by SQL (r3d_quantiles_sql() on SQLite through RSQLite) against
# the in-memory ones: the largest absolute difference on the bundled state-year data (99
# levels) and on the adversarial units of the R tests (one draw, two draws, ties, zero
# weights; levels 0.01 to 0.99), unweighted and weighted, and the largest difference of
# tau between r3d() on the SQL result and the formula interface on the data frame.
# Run from the repository root after installing the package (needs DBI and RSQLite):
#   Rscript validation/sql_parity.R
# Writes validation/results/sql_parity.md.
suppressPackageStartupMessages(library(rddist))
source("tests/testthat/helper-sql.R")

gov <- sql_governors()
adv <- adversarial()
con <- sqlite_with(gov = gov, adv = adv)
q99 <- seq(0.01, 0.99, 0.01)
q_adv <- c(0.01, 0.02, 0.1, 0.25, 1 / 3, 0.5, 0.7, 0.9, 0.98, 0.99)
cases <- list(
  list("bundled data (356 state-years, 35,314 draws)", "gov", c("state", "year"), "income_pov",
       "dem_share", gov, q99),
  list("adversarial units (34 units)", "adv", c("key", "wave"), "y", "x", adv, q_adv))
rows <- list()
for (cs in cases) {
  for (w in list(NULL, if (cs[[2]] == "gov") "famwgt" else "w")) {
    s <- r3d_quantiles_sql(con, cs[[2]], cs[[3]], cs[[4]], cs[[5]], cs[[7]], weights = w)
    m <- memory_quantiles(cs[[6]], cs[[3]], cs[[4]], cs[[7]], w)
    rows[[length(rows) + 1L]] <- data.frame(
      data = cs[[1]], weights = if (is.null(w)) "no" else "yes",
      max_abs_diff_Q = max(abs(s$Q - m$Q)), same_units = identical(s$units, m$units))
  }
}
d <- r3d_quantiles_sql(con, "gov", c("state", "year"), "income_pov", "dem_share",
                       seq(0.05, 0.95, 0.05), weights = "famwgt")
a <- r3d(income_pov ~ dem_share, data = gov, unit = c("state", "year"), cutoff = 0.5,
         weights = "famwgt", q_grid = seq(0.05, 0.95, 0.05), boot = FALSE)
b <- r3d(d$X, d$Q, q_grid = seq(0.05, 0.95, 0.05), cutoff = 0.5, boot = FALSE)
sqlite <- DBI::dbGetQuery(con, "SELECT sqlite_version() AS v")$v
DBI::dbDisconnect(con)
tab <- do.call(rbind, rows)
lines <- c(
  "# SQL quantiles against in-memory quantiles",
  "",
  paste0("`Rscript validation/sql_parity.R` (SQLite ", sqlite, " through RSQLite ",
         as.character(utils::packageVersion("RSQLite")), ")."),
  "",
  "| data | weights | max abs difference of Q | same units, same order |",
  "|---|---|---|---|",
  sprintf("| %s | %s | %.3g | %s |", tab$data, tab$weights, tab$max_abs_diff_Q, tab$same_units),
  "",
  sprintf(paste0("r3d() on the SQL result against the formula interface (weighted, cutoff 0.5, ",
                 "selected bandwidth, 19 levels): max |tau difference| = %.3g, same units: %s."),
          max(abs(b$tau - a$tau)), identical(d$units, a$units[c("state", "year")])))
dir.create("validation/results", showWarnings = FALSE)
writeLines(lines, "validation/results/sql_parity.md")
cat(lines, sep = "\n")
