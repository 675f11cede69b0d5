# The long data-frame interface: same numbers as the list interface, independent of the
# row order, and clear errors for data that do not describe units.

governors <- function() {
  utils::read.csv(system.file("extdata", "governors.csv.gz", package = "rddist"),
                  stringsAsFactors = FALSE)
}

# The list form of the same data, units in the formula interface's order (state, year).
as_lists <- function(d) {
  key <- order(d$state, d$year, method = "radix")
  d <- d[key, ]
  id <- paste(d$state, d$year)
  rows <- split(seq_len(nrow(d)), factor(id, levels = unique(id)))
  list(X = vapply(rows, function(r) d$dem_share[r[1]], numeric(1), USE.NAMES = FALSE),
       Y = unname(lapply(rows, function(r) d$income_pov[r])),
       W = unname(lapply(rows, function(r) d$famwgt[r])),
       state = vapply(rows, function(r) d$state[r[1]], character(1), USE.NAMES = FALSE))
}

q <- seq(0.1, 0.9, 0.1)

test_that("formula and list interfaces give identical estimates and bootstrap", {
  d <- governors()
  u <- as_lists(d)
  a <- r3d(u$X, u$Y, cutoff = 0.5, weights = u$W, cluster = u$state, q_grid = q, B = 199,
           seed = 3, test = c("nullity", "homogeneity"), functionals = "mean")
  b <- r3d(income_pov ~ dem_share, data = d, unit = c("state", "year"), cutoff = 0.5,
           weights = "famwgt", cluster = "state", q_grid = q, B = 199, seed = 3,
           test = c("nullity", "homogeneity"), functionals = "mean")
  expect_identical(b$tau, a$tau)
  expect_identical(b$se, a$se)
  expect_identical(b$band, a$band)
  expect_identical(b$tests, a$tests)
  expect_identical(b$h, a$h)
  expect_identical(b$data$Q, a$data$Q)
  expect_identical(b$boot$clusters, a$boot$clusters)
  expect_equal(nrow(b$units), length(u$X))
  expect_named(b$units, c("state", "year", "x", "cluster", "draws"))
  expect_equal(sum(b$units$draws), nrow(d))
  expect_identical(b$units$x, u$X)
  expect_s3_class(b$formula, "formula")
})

test_that("the formula interface ignores the order of the rows", {
  d <- governors()
  set.seed(5)
  shuffled <- d[sample(nrow(d)), ]
  a <- r3d(income_pov ~ dem_share, data = d, unit = c("state", "year"), cutoff = 0.5,
           weights = "famwgt", q_grid = q, B = 99, seed = 1)
  b <- r3d(income_pov ~ dem_share, data = shuffled, unit = c("state", "year"), cutoff = 0.5,
           weights = "famwgt", q_grid = q, B = 99, seed = 1)
  expect_identical(a$tau, b$tau)
  expect_identical(a$se, b$se)
  expect_identical(a$units, b$units)
})

test_that("one key column, expressions of columns and a fuzzy treatment work", {
  sim <- r3d_simulate(dgp = 1, n = 200, draws = 25, delta = 1, fuzzy = TRUE, seed = 2)
  long <- data.frame(id = rep(sprintf("u%03d", seq_along(sim$X)), each = 25),
                     x = rep(sim$X, each = 25), d = rep(sim$T, each = 25),
                     y = unlist(sim$Y_list))
  a <- r3d(sim$X, sim$Y_list, T = sim$T, q_grid = q, boot = FALSE)
  b <- r3d(y ~ x, data = long, unit = "id", treatment = "d", q_grid = q, boot = FALSE)
  expect_true(b$fuzzy)
  expect_identical(b$tau, a$tau)
  expect_identical(b$first_stage, a$first_stage)
  # A transformed outcome: the same as transforming the draws.
  c1 <- r3d(log(y + 20) ~ x, data = long, unit = "id", q_grid = q, bandwidths = 0.5, boot = FALSE)
  c2 <- r3d(sim$X, lapply(sim$Y_list, function(y) log(y + 20)), q_grid = q, bandwidths = 0.5,
            boot = FALSE)
  expect_identical(c1$tau, c2$tau)
  c3 <- r3d(base::log(y + 20) ~ base::identity(x), data = long, unit = "id", q_grid = q,
            bandwidths = 0.5, boot = FALSE)
  expect_identical(c3$tau, c2$tau)
  bw <- r3d_bwselect(y ~ x, data = long, unit = "id", q_grid = q)
  expect_identical(bw$h_num, r3d_bwselect(sim$X, sim$Y_list, q_grid = q)$h_num)
})

test_that("long data that do not describe units are refused with the unit named", {
  d <- governors()[1:3000, ]
  f <- income_pov ~ dem_share
  bad <- d
  bad$dem_share[5] <- 0.9
  expect_error(r3d(f, data = bad, unit = c("state", "year"), cutoff = 0.5),
               "row 5: the running variable 'dem_share' is not constant within unit 'CT,1984': 0.9 here but 0.367626 on row 1")
  expect_error(r3d(f, data = d, unit = c("state", "year"), cutoff = 0.5, cluster = "year",
                   treatment = "famwgt"), "the treatment 'famwgt' is not constant within unit")
  bad <- d
  bad$income_pov[7] <- NA
  expect_error(r3d(f, data = bad, unit = c("state", "year"), cutoff = 0.5),
               "1 draw in 1 unit has a missing outcome \\(first: row 7, the outcome 'income_pov', unit 'CT,1984'\\)")
  bad <- d
  bad$famwgt[7] <- -1
  expect_error(r3d(f, data = bad, unit = c("state", "year"), cutoff = 0.5, weights = "famwgt"),
               "row 7 \\(unit 'CT,1984'\\): the draw weight 'famwgt' -1 is not a finite non-negative number")
  bad <- d
  bad$grp <- seq_len(nrow(bad)) %% 2
  expect_error(r3d(f, data = bad, unit = c("state", "year"), cutoff = 0.5, cluster = "grp"),
               "the cluster 'grp' is not constant within unit 'CT,1984'")
})

test_that("formula arguments are checked", {
  d <- governors()[1:2000, ]
  f <- income_pov ~ dem_share
  expect_error(r3d(f, data = d, cutoff = 0.5), "give unit")
  expect_error(r3d(f, data = d, unit = "county", cutoff = 0.5), "no column 'county'")
  expect_error(r3d(f, data = as.list(d), unit = "state"), "data must be a data frame")
  expect_error(r3d(~ dem_share, data = d, unit = "state"), "outcome ~ running_variable")
  expect_error(r3d(income_pov ~ dem_share + year, data = d, unit = "state"),
               "running variable alone")
  expect_error(r3d(income_pov ~ nothing, data = d, unit = "state"), "cannot evaluate")
  expect_error(r3d(state ~ dem_share, data = d, unit = "state"), "must be a numeric column")
  expect_error(r3d(f, data = d, unit = "state", T = d$year), "treatment = \"name\"")
  expect_error(r3d(f, data = d, unit = "state", weights = 3), "name of a column")
  expect_error(r3d(f, data = d, unit = c("state", "year"), treatment = "state"),
               "must be numeric or logical")
  expect_error(r3d(f, data = d, unit = c("state", "year"), cutoff = 0.5, bootstrap = TRUE),
               "unknown argument")
  bad <- d
  bad$state[3] <- NA
  expect_error(r3d(f, data = bad, unit = "state"), "unit column 'state' has missing values")
})

test_that("unit ids in UTF-8 and in Latin-1 are read, and give the same fit as ASCII ids", {
  set.seed(8)
  n <- 120
  x <- stats::runif(n, -1, 1)
  ids_utf8 <- enc2utf8(sprintf("%s-%03d", c("Z\u00fcrich", "Gen\u00e8ve", "S\u00e3o Paulo", "Krak\u00f3w"), seq_len(n)))
  long <- data.frame(unit = rep(ids_utf8, each = 8), x = rep(x, each = 8),
                     y = stats::rnorm(8 * n, rep(x, each = 8)), stringsAsFactors = FALSE)
  ascii <- long
  ascii$unit <- rep(sprintf("u%03d", seq_len(n)), each = 8)
  latin <- long
  latin$unit <- iconv(latin$unit, "UTF-8", "latin1")
  expect_true(any(Encoding(latin$unit) == "latin1"))
  f_ascii <- r3d(y ~ x, data = ascii, unit = "unit", bandwidths = 0.6, boot = FALSE)
  f_utf8 <- r3d(y ~ x, data = long, unit = "unit", bandwidths = 0.6, boot = FALSE)
  f_latin <- r3d(y ~ x, data = latin, unit = "unit", bandwidths = 0.6, boot = FALSE)
  expect_equal(f_utf8$tau, f_ascii$tau, tolerance = 1e-12)
  expect_equal(f_latin$tau, f_ascii$tau, tolerance = 1e-12)
  expect_setequal(enc2utf8(f_latin$units$unit), ids_utf8)
  path <- tempfile(fileext = ".csv")
  utils::write.csv(long, path, row.names = FALSE, fileEncoding = "latin1")
  from_file <- utils::read.csv(path, encoding = "latin1", fileEncoding = "latin1")
  expect_equal(r3d(y ~ x, data = from_file, unit = "unit", bandwidths = 0.6, boot = FALSE)$tau,
               f_ascii$tau, tolerance = 1e-12)
})
