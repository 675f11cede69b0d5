# Units' quantiles computed by SQL in a real engine (SQLite through RSQLite): the same
# matrix as in memory, the same fit as the formula interface, units in the canonical
# order, and errors that name the column and a unit instead of dropping rows.
#
# Tolerance 1e-12 (absolute; quantiles are of order 1-10 here, up to 1e3 in the adversarial
# units) for the quantiles: the query makes the in-memory operations in the same order in
# double precision, and SQLite 3.40 gives identical bits (measured difference 0 on every
# case below, validation/sql_parity.R). The margin covers engines whose running SUM does
# not add left to right (SQLite >= 3.43 compensates it with Kahan-Babuska-Neumaier; DuckDB
# 1.5 adds in a tree, measured 1e-13 on the weighted bundled data), which moves a
# cumulative weight, and so a weighted position, by an ulp or so.

skip_if_not_installed("DBI")
skip_if_not_installed("RSQLite")

q99 <- seq(0.01, 0.99, 0.01)

test_that("the bundled data: SQL quantiles equal the in-memory ones, weighted or not", {
  gov <- sql_governors()
  set.seed(11)
  con <- sqlite_with(gov = gov[sample(nrow(gov)), ])  # any row order in the database
  on.exit(DBI::dbDisconnect(con))
  for (w in list(NULL, "famwgt")) {
    d <- r3d_quantiles_sql(con, "gov", unit = c("state", "year"), y = "income_pov",
                           x = "dem_share", q_grid = q99, weights = w)
    m <- memory_quantiles(gov, c("state", "year"), "income_pov", q99, w)
    expect_equal(dim(d$Q), c(356L, 99L))
    expect_lte(max(abs(d$Q - m$Q)), 1e-12)
    expect_identical(d$units, m$units)
    expect_identical(d$q_grid, q99)
    expect_true(is.character(d$sql) && grepl("ROW_NUMBER", d$sql))
  }
})

test_that("r3d() on the SQL result fits as the formula interface does", {
  gov <- sql_governors()
  con <- sqlite_with(gov = gov)
  on.exit(DBI::dbDisconnect(con))
  q <- seq(0.05, 0.95, 0.05)
  d <- r3d_quantiles_sql(con, "gov", unit = c("state", "year"), y = "income_pov",
                         x = "dem_share", q_grid = q, weights = "famwgt", cluster = "state")
  a <- r3d(income_pov ~ dem_share, data = gov, unit = c("state", "year"), cutoff = 0.5,
           weights = "famwgt", cluster = "state", q_grid = q, B = 199, seed = 4)
  b <- r3d(d$X, d$Q, q_grid = q, cutoff = 0.5, cluster = d$cluster, B = 199, seed = 4)
  # Same units in the same order, so the same multipliers; tolerance as in the header.
  expect_identical(d$units, a$units[c("state", "year")])
  expect_identical(d$X, a$units$x)
  expect_identical(d$cluster, a$units$cluster)
  expect_lte(max(abs(b$tau - a$tau)), 1e-12)
  expect_lte(max(abs(unlist(b$h) - unlist(a$h))), 1e-12)
  expect_lte(max(abs(b$se - a$se)), 1e-12)
})

test_that("adversarial units: SQL quantiles equal the in-memory ones", {
  d <- adversarial()
  set.seed(8)
  con <- sqlite_with(draws = d[sample(nrow(d)), ])
  on.exit(DBI::dbDisconnect(con))
  q <- c(0.01, 0.02, 0.1, 0.25, 1 / 3, 0.5, 0.7, 0.9, 0.98, 0.99)
  for (w in list(NULL, "w")) {
    s <- r3d_quantiles_sql(con, "draws", unit = c("key", "wave"), y = "y", x = "x",
                           q_grid = q, weights = w)
    m <- memory_quantiles(d, c("key", "wave"), "y", q, w)
    expect_identical(s$units, m$units)
    expect_lte(max(abs(s$Q - m$Q)), 1e-12)
    # quantiles are of order 1e3 at most here; 1e-12 is still a few ulps of 1e3
  }
  # canonical order: C-locale byte order of the key ("B" < "Z" < "_z" < "a" < "b"),
  # numbers numerically within a key
  expect_identical(unique(s$units$key), c("B", "Z", "_z", "a", "b"))
  expect_false(is.unsorted(s$units$wave[s$units$key == "a"]))
  expect_identical(s$X, d$x[match(paste(s$units$key, s$units$wave), paste(d$key, d$wave))])
})

test_that("the level columns are named by the levels' shortest round-trip text", {
  d <- adversarial()
  con <- sqlite_with(draws = d)
  on.exit(DBI::dbDisconnect(con))
  q <- c(0.05, seq(0.05, 0.95, 0.05)[3], 1 / 3, 0.5)
  s <- r3d_quantiles_sql(con, "draws", unit = c("key", "wave"), y = "y", x = "x", q_grid = q)
  res <- DBI::dbGetQuery(con, s$sql)
  expect_identical(names(res), c("key", "wave", "x", "q0.05", "q0.15000000000000002",
                                 "q0.3333333333333333", "q0.5"))
  expect_identical(as.numeric(sub("^q", "", names(res)[-(1:3)])), q)
})

test_that("a fuzzy design: the treatment comes back per unit and fits as in memory", {
  sim <- r3d_simulate(dgp = 1, n = 200, draws = 15, delta = 1, fuzzy = TRUE, seed = 2)
  long <- data.frame(id = rep(sprintf("u%03d", seq_along(sim$X)), each = 15),
                     x = rep(sim$X, each = 15), t = rep(sim$T, each = 15),
                     y = unlist(sim$Y_list))
  con <- sqlite_with(long = long)
  on.exit(DBI::dbDisconnect(con))
  q <- seq(0.1, 0.9, 0.1)
  d <- r3d_quantiles_sql(con, "long", unit = "id", y = "y", x = "x", q_grid = q,
                         treatment = "t")
  a <- r3d(y ~ x, data = long, unit = "id", treatment = "t", q_grid = q,
           bandwidths = list(num = 0.5, den = 0.5), boot = FALSE)
  b <- r3d(d$X, d$Q, T = d$T, q_grid = q, bandwidths = list(num = 0.5, den = 0.5),
           boot = FALSE)
  expect_identical(d$T, as.numeric(sim$T))
  expect_lte(max(abs(b$tau - a$tau)), 1e-12)  # tolerance: see the header
})

test_that("bad data are errors naming the column, the count and a unit", {
  d <- adversarial()
  y_na <- d; y_na$y[c(1, 4, 5)] <- NA
  x_varies <- d; x_varies$x[nrow(d)] <- 99
  w_bad <- d; w_bad$w[2] <- -1; w_bad$w[3] <- NA
  key_na <- d; key_na$key[6] <- NA
  t_varies <- d; t_varies$t <- 0; t_varies$t[nrow(d)] <- 1
  c_varies <- d; c_varies$cl <- "a"; c_varies$cl[nrow(d)] <- "b"
  zero <- d; zero$w[zero$key == d$key[1] & zero$wave == d$wave[1]] <- 0
  con <- sqlite_with(y_na = y_na, x_varies = x_varies, w_bad = w_bad, key_na = key_na,
                     t_varies = t_varies, c_varies = c_varies, zero = zero)
  on.exit(DBI::dbDisconnect(con))
  run <- function(table, ...) {
    r3d_quantiles_sql(con, table, unit = c("key", "wave"), y = "y", x = "x", q_grid = 0.5, ...)
  }
  expect_error(run("y_na"), "^r3d_quantiles_sql: .*column 'y' \\(y\\) has 3 missing values \\(NULL\\) in [0-9]+ units?, e.g. key = ")
  expect_error(run("x_varies"), "column 'x' \\(x\\) is not constant within 1 unit, e.g. key = .* \\(from .* to 99\\)")
  expect_error(run("w_bad", weights = "w"), "column 'w' \\(weights\\) has 1 missing value \\(NULL\\) in 1 unit")
  expect_error(run("w_bad", weights = "w"), "column 'w' \\(weights\\) has 1 negative weight in 1 unit, e.g. key = ")
  expect_error(run("zero", weights = "w"), "column 'w' \\(weights\\) has no positive weight in 1 unit, e.g. key = ")
  expect_error(run("key_na"), "the unit column\\(s\\) 'key', 'wave' hold missing values \\(NULL\\) in 1 row\n")
  expect_error(run("t_varies", treatment = "t"), "column 't' \\(treatment\\) is not constant")
  expect_error(run("c_varies", cluster = "cl"), "column 'cl' \\(cluster\\) is not constant")
  expect_error(run("y_na"), "nothing is dropped silently")
})

test_that("bad arguments are refused before the database is asked", {
  con <- sqlite_with(draws = adversarial())
  on.exit(DBI::dbDisconnect(con))
  run <- function(...) {
    args <- utils::modifyList(list(con = con, table = "draws", unit = "key", y = "y",
                                   x = "x", q_grid = 0.5), list(...))
    do.call(r3d_quantiles_sql, args)
  }
  expect_error(run(con = "draws.sqlite"), "^r3d_quantiles_sql: con must be a DBI connection")
  expect_error(run(q_grid = c(0.5, 0.2)), "^r3d_quantiles_sql: q_grid must increase strictly \\(level 2 = 0.2 follows 0.5\\)")
  expect_error(run(q_grid = 1), "^r3d_quantiles_sql: level 1 of q_grid is 1; quantile levels must lie strictly")
  expect_error(run(y = "y\"; DROP TABLE draws; --"), "^r3d_quantiles_sql: the y column name .* contains the character \"")
  expect_error(run(x = "rddist_x"), "starts with 'rddist_'")
  expect_error(run(y = "x"), "column 'x' is given twice \\(as y and as x\\)")
  expect_error(run(unit = character()), "^r3d_quantiles_sql: unit must be the name")
  expect_error(run(dialect = "oracle"), "^r3d_quantiles_sql: unknown SQL dialect 'oracle'")
  # a mistyped column: the database says so (in SQLite, "income" in double quotes would
  # be read as a string if the query did not qualify its columns)
  expect_error(run(y = "income"), "^r3d_quantiles_sql: the database could not run the quantile query: .*income")
  expect_true(DBI::dbExistsTable(con, "draws"))
})

test_that("the dialect follows the connection and changes the quoting", {
  con <- sqlite_with(draws = adversarial())
  on.exit(DBI::dbDisconnect(con))
  s <- r3d_quantiles_sql(con, "draws", unit = c("key", "wave"), y = "y", x = "x",
                         q_grid = 0.5, weights = "w")
  expect_match(s$sql, "CAST(rddist_source.\"y\" AS DOUBLE PRECISION)", fixed = TRUE)
  spark <- rddist:::.rddist_sql("quantiles", "lake.draws", "key", "y", "x", "", "", "w", 0.5, "spark")
  expect_match(spark, "CAST(rddist_source.`y` AS DOUBLE)", fixed = TRUE)
  expect_match(spark, "FROM `lake`.`draws` AS rddist_source", fixed = TRUE)
  expect_match(spark, "AS `q0.5`", fixed = TRUE)
  bq <- rddist:::.rddist_sql("quantiles", "p.d.draws", "key", "y", "x", "", "", "", 0.5, "bigquery")
  expect_match(bq, "AS FLOAT64", fixed = TRUE)
  expect_match(bq, "AS `q0_5`", fixed = TRUE)
  expect_identical(rddist:::sql_dialect(structure(list(), class = c("spark_connection", "DBIConnection")), NULL, "f"), "spark")
  expect_identical(rddist:::sql_dialect(con, NULL, "f"), "ansi")
})
