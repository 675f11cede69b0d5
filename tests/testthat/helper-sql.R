# Helpers of the SQL tests (test-sql.R), also used by validation/sql_parity.R: the bundled
# data, an in-memory SQLite database, the in-memory quantiles to compare with, and units
# built to break a careless query.

sql_governors <- function() {
  utils::read.csv(system.file("extdata", "governors.csv.gz", package = "rddist"),
                  stringsAsFactors = FALSE)
}

# A fresh in-memory database holding the data frames given by name.
sqlite_with <- function(...) {
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  tables <- list(...)
  for (name in names(tables)) DBI::dbWriteTable(con, name, tables[[name]])
  con
}

# The in-memory quantile matrix of a long data frame, units in the canonical key order.
memory_quantiles <- function(d, unit, y, q, weights = NULL) {
  ord <- do.call(order, c(unname(as.list(d[unit])), list(method = "radix")))
  d <- d[ord, , drop = FALSE]
  id <- do.call(paste, c(unname(as.list(d[unit])), sep = "\r"))
  rows <- split(seq_len(nrow(d)), factor(id, levels = unique(id)))
  draws <- unname(lapply(rows, function(r) d[[y]][r]))
  w <- if (is.null(weights)) NULL else unname(lapply(rows, function(r) d[[weights]][r]))
  list(Q = rddist:::.rddist_quantile_matrix(draws, w, q, 7L, 1L),
       units = {
         u <- d[vapply(rows, `[`, integer(1), 1L), unit, drop = FALSE]
         rownames(u) <- NULL
         u
       })
}

# Units built to break a careless query: one draw, two draws, ties of equal values with
# equal and unequal weights, zero weights (also on the smallest and the largest value),
# all weights equal, negative values, and levels next to 0 and 1.
adversarial <- function() {
  set.seed(3)
  units <- list()
  add <- function(y, w) units[[length(units) + 1L]] <<- list(y = y, w = w)
  add(2.5, 1)                                   # one draw
  add(-7, 3)                                    # one draw, negative
  add(c(1, 3), c(1, 2))                         # two draws
  add(c(-1, -1), c(0.5, 2))                     # two tied draws
  add(c(0, 0, 0, 1), c(1, 1, 1, 1))             # ties, equal weights
  add(c(2, 2, 2, 5, 5, -4), c(3, 1, 2, 2, 0.5, 1))  # ties, unequal weights
  add(c(-5, 1, 2, 9), c(0, 1, 1, 0))            # zero weights at both ends
  add(c(4, 1, 3), c(0, 0, 2))                   # one positive weight
  add(c(1, 2, 3, 4, 5), rep(0.3, 5))            # equal weights: the unweighted definition
  for (k in 1:25) {                             # random small units full of ties
    n <- sample(1:12, 1)
    add(sample(c(-3.25, -1, 0, 0.1, 2.5, 1e3), n, replace = TRUE),
        sample(c(0, 0.5, 1, 2, 1 / 3), n, replace = TRUE) + c(1, rep(0, n - 1)))
  }
  do.call(rbind, lapply(seq_along(units), function(i) {
    data.frame(key = c("b", "B", "a", "_z", "Z")[i %% 5 + 1],
               wave = (i %/% 5) - 3L,               # negative and positive integers
               x = i / 100, y = units[[i]]$y, w = units[[i]]$w,
               stringsAsFactors = FALSE)
  }))
}
