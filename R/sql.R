# Units' quantiles computed in a database (paper §1): the reduction of every unit's draws
# to its quantile function runs as SQL where the draws live, and only the small units x
# levels result comes into R. The SQL text is written by the C++ core (rddist/r3d/sql.h),
# the same text `rddist sql` prints.

#' Units' quantiles computed inside a database
#'
#' Runs, through DBI, one SQL query that reduces each unit's draws to its empirical
#' quantiles at `q_grid` inside the database (SQLite, DuckDB, PostgreSQL, Spark, ...), and
#' returns the small result — one row per unit — ready for [r3d()]. The draws never enter
#' R, so the data may be far larger than memory:
#' `r3d(X = d$X, Y_list = d$Q, q_grid = d$q_grid, ...)` then fits as if the draws had
#' been passed to [r3d()] directly.
#'
#' The query uses portable SQL only (common table expressions, `ROW_NUMBER`, `COUNT`,
#' `MIN`, `MAX` and a running `SUM` over windows partitioned by unit, `CASE`, `CAST`) and
#' computes in double precision with the same operations as the in-memory code: R's type
#' 7 quantiles, or with `weights` the weighted type 7 quantiles of [r3d()] (draws in the
#' order of their values, ties by weight, zero weights ignored; equal weights give the
#' unweighted quantiles). The results agree with [r3d()]'s own to rounding.
#'
#' Nothing is dropped silently. In SQL, the running variable, treatment and cluster are
#' checked to be constant within each unit (their minimum equals their maximum), and
#' missing (`NULL`) or non-finite values of the draws, weights, unit keys and unit-level
#' columns are counted; any problem is an error that names the column, says how many
#' values and units are affected and shows an example unit. Filter or fix such rows in
#' the database (a view is enough) before calling again.
#'
#' Units come back in the canonical order of [r3d()]'s formula interface: sorted by
#' their key columns (the first, then the second, ...; numbers numerically, characters
#' in the C locale), whatever order the database returns them in.
#'
#' The same query is printed by the command-line tool (`rddist sql --table ... --id ...
#' --x ... --y ... --quantiles ...`), whose result `rddist estimate --format quantiles`
#' reads. SQLite is tested (through RSQLite); DuckDB and PostgreSQL use the same
#' `"ansi"` dialect, Spark SQL and BigQuery backquoted names.
#'
#' @param con A DBI connection: [DBI::dbConnect()] with `RSQLite::SQLite()`,
#'   `duckdb::duckdb()`, `RPostgres::Postgres()`, ..., or a `sparklyr::spark_connect()`
#'   connection.
#' @param table Name of the table (or view) holding one row per draw; a dot separates
#'   schema and table (`"analysis.families"`).
#' @param unit Name(s) of the column(s) whose values together identify a unit, e.g.
#'   `"firm"` or `c("state", "year")`.
#' @param y Name of the column of draws (the outcome).
#' @param x Name of the running-variable column, constant within units.
#' @param q_grid Strictly increasing quantile levels in (0, 1); `NULL` (default): 0.01, ..., 0.99.
#' @param treatment Optional name of a numeric treatment column (fuzzy designs), constant
#'   within units.
#' @param cluster Optional name of a cluster column, constant within units; it may be one
#'   of the `unit` columns (clusters of states for state-year units).
#' @param weights Optional name of the column of draw weights (finite, non-negative, some
#'   positive in every unit).
#' @param dialect How the SQL quotes names and names the double type: `"ansi"` (SQLite,
#'   PostgreSQL, DuckDB), `"spark"` or `"bigquery"`. `NULL` (default) takes `"spark"` for
#'   sparklyr connections, `"bigquery"` for bigrquery ones and `"ansi"` otherwise.
#'
#' @return A list with `X` (the running variable of each unit), `Q` (the units x levels
#'   matrix of quantiles), `units` (a data frame of the units' key columns, in the order
#'   of `X` and the rows of `Q`), `T` and `cluster` (one value per unit, when asked),
#'   `q_grid` and `sql` (the query that was run).
#' @seealso [r3d()]; `rddist sql --help` for the command-line tool.
#' @examples
#' if (requireNamespace("RSQLite", quietly = TRUE)) {
#'   gov <- read.csv(system.file("extdata", "governors.csv.gz", package = "rddist"))
#'   con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#'   DBI::dbWriteTable(con, "families", gov)
#'   q <- seq(0.05, 0.95, 0.05)
#'   d <- r3d_quantiles_sql(con, "families", unit = c("state", "year"), y = "income_pov",
#'                          x = "dem_share", q_grid = q, weights = "famwgt")
#'   DBI::dbDisconnect(con)
#'   print(head(d$units))
#'   fit <- r3d(d$X, d$Q, q_grid = q, cutoff = 0.5, bandwidths = 0.2, boot = FALSE)
#'   print(fit)
#'   cat(substr(d$sql, 1, 300), "...\n")  # the start of the query
#' }
#' @export
r3d_quantiles_sql <- function(con, table, unit, y, x, q_grid = NULL,
                              treatment = NULL, cluster = NULL, weights = NULL,
                              dialect = NULL) {
  where <- "r3d_quantiles_sql"
  if (!requireNamespace("DBI", quietly = TRUE)) {
    stop_arg(where, ": needs the DBI package; install it with install.packages(\"DBI\")")
  }
  if (missing(con) || !is_dbi_connection(con)) {
    stop_arg(where, ": con must be a DBI connection, e.g. ",
             "DBI::dbConnect(RSQLite::SQLite(), \"draws.sqlite\")")
  }
  check_sql_name(table, "table", where)
  if (missing(unit)) stop_arg(where, ": give unit, the name(s) of the column(s) identifying a unit")
  check_sql_name(unit, "unit", where, several = TRUE)
  check_sql_name(y, "y", where)
  check_sql_name(x, "x", where)
  if (!is.null(treatment)) check_sql_name(treatment, "treatment", where)
  if (!is.null(cluster)) check_sql_name(cluster, "cluster", where)
  if (!is.null(weights)) check_sql_name(weights, "weights", where)
  if (!is.null(q_grid) && (!is.numeric(q_grid) || anyNA(q_grid))) {
    stop_arg(where, ": q_grid must be a numeric vector of levels in (0, 1)")
  }
  dialect <- sql_dialect(con, dialect, where)
  opt <- function(v) if (is.null(v)) "" else v
  levels <- if (is.null(q_grid)) NULL else as.numeric(q_grid)
  core <- function(what) {
    call_core(.rddist_sql(what, table, unit, y, x, opt(treatment), opt(cluster), opt(weights),
                          levels, dialect))
  }
  sql <- core("quantiles")
  cols <- call_core(.rddist_sql_names(levels, dialect, !is.null(treatment), !is.null(cluster),
                                      !is.null(weights)))
  q_grid <- cols$q_grid
  res <- run_query(con, sql, where, "quantile")
  if (nrow(res) == 0L) stop_arg(where, ": table '", table, "' has no rows")
  wanted <- unique(c(unit, x, treatment, cluster, cols$columns))  # x, T, cluster may be keys
  got <- match(tolower(wanted), tolower(names(res)))
  if (anyNA(got)) {
    stop_arg(where, ": the database's result lacks the column(s) ",
             paste0("'", wanted[is.na(got)], "'", collapse = ", "), "; it has ",
             paste0("'", names(res), "'", collapse = ", "))
  }
  res <- res[got]
  names(res) <- wanted
  Q <- as.matrix(res[cols$columns])
  storage.mode(Q) <- "double"
  dimnames(Q) <- NULL
  X <- as.double(res[[x]])
  treat <- if (is.null(treatment)) NULL else as.double(res[[treatment]])
  unusable <- rowSums(!is.finite(Q)) > 0 | !is.finite(X) |
    Reduce(`|`, lapply(res[c(unit, cluster)], is.na), FALSE)
  if (!is.null(treat)) unusable <- unusable | !is.finite(treat)
  if (any(unusable)) {
    sql_data_error(con, core("checks"), cols$checks, where, table, unit, y, x, treatment,
                   cluster, weights, res[unusable, unit, drop = FALSE])
  }
  keys <- lapply(res[unit], function(k) if (inherits(k, "integer64")) as.double(k) else k)
  ord <- do.call(order, c(unname(keys), list(method = "radix")))
  units <- as.data.frame(keys, stringsAsFactors = FALSE)[ord, , drop = FALSE]
  names(units) <- unit
  rownames(units) <- NULL
  list(X = X[ord], Q = Q[ord, , drop = FALSE], units = units,
       T = if (is.null(treat)) NULL else treat[ord],
       cluster = if (is.null(cluster)) NULL else res[[cluster]][ord],
       q_grid = q_grid, sql = sql)
}

is_dbi_connection <- function(con) {
  inherits(con, "DBIConnection")  # S4 (RSQLite, duckdb, RPostgres) and S3 (sparklyr) alike
}

check_sql_name <- function(v, what, where, several = FALSE) {
  ok <- is.character(v) && length(v) >= 1L && !anyNA(v) && (several || length(v) == 1L)
  if (!ok) {
    stop_arg(where, ": ", what, " must be ", if (several) "the name(s) of column(s)" else
      if (what == "table") "the name of a table" else "the name of a column", ", as a string")
  }
  invisible(v)
}

sql_dialect <- function(con, dialect, where) {
  if (!is.null(dialect)) {
    if (!is.character(dialect) || length(dialect) != 1L || is.na(dialect)) {
      stop_arg(where, ": dialect must be \"ansi\", \"spark\" or \"bigquery\" (or NULL)")
    }
    return(dialect)
  }
  if (inherits(con, "spark_connection")) return("spark")
  if (inherits(con, "BigQueryConnection")) return("bigquery")
  "ansi"
}

run_query <- function(con, sql, where, what, n = -1L) {
  fail <- function(why) {
    stop_arg(where, ": the database could not run the ", what, " query: ", why,
             " (check the table and column names and that the connection is open)")
  }
  warned <- character()
  res <- withCallingHandlers(
    tryCatch(DBI::dbGetQuery(con, sql, n = n), error = function(e) fail(conditionMessage(e))),
    warning = function(w) {
      warned <<- c(warned, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  # Some drivers (RPostgreSQL) warn and return NULL instead of signalling an error.
  if (!is.data.frame(res)) {
    why <- if (length(warned)) substr(warned[1], 1, 200) else "the driver returned no result"
    fail(why)
  }
  for (w in warned) warning(where, ": ", w, call. = FALSE)
  res
}

# Runs the diagnostic query and stops with a message naming every problem it found.
sql_data_error <- function(con, sql, checks, where, table, unit, y, x, treatment, cluster,
                           weights, unusable) {
  rows <- run_query(con, sql, where, "checks", n = 1000L)
  names(rows) <- tolower(names(rows))
  column <- list(y = y, x = x, treatment = treatment, cluster = cluster, weight = weights)
  example <- function(check) {
    i <- which(rows[[paste0("rddist_", check)]] > 0)[1]
    if (is.na(i)) return("")
    keys <- vapply(unit, function(u) {
      v <- rows[[tolower(u)]][i]
      paste0(u, " = ", if (is.character(v)) paste0("\"", v, "\"") else format(v))
    }, "")
    paste0(", e.g. ", paste(keys, collapse = ", "))
  }
  count <- function(n, what) paste0(n, " ", what, if (n == 1) "" else "s")
  lines <- character()
  for (check in checks) {
    total <- rows[[paste0("rddist_", check, "_total")]][1]
    if (length(total) == 0L || is.na(total) || total == 0) next
    n_units <- count(rows[[paste0("rddist_", check, "_units")]][1], "unit")
    role <- sub("_.*$", "", check)
    kind <- sub("^[a-z]+_", "", check)
    if (role == "unit") {
      lines <- c(lines, paste0("the unit column(s) ", paste0("'", unit, "'", collapse = ", "),
                               " hold missing values (NULL) in ", count(total, "row")))
      next
    }
    col <- paste0("column '", column[[role]], "' (", if (role == "weight") "weights" else role, ")")
    lines <- c(lines, switch(
      kind,
      missing = paste0(col, " has ", count(total, "missing value"), " (NULL) in ", n_units,
                       example(check)),
      nonfinite = paste0(col, " has ", count(total, "infinite or NaN value"), " in ", n_units,
                         example(check)),
      negative = paste0(col, " has ", count(total, "negative weight"), " in ", n_units,
                        example(check)),
      zero = paste0(col, " has no positive weight in ", n_units, example(check)),
      varies = {
        i <- which(rows[[paste0("rddist_", check)]] > 0)[1]
        range <- if (is.na(i)) "" else {
          paste0(" (from ", format(rows[[paste0("rddist_", role, "_min")]][i]), " to ",
                 format(rows[[paste0("rddist_", role, "_max")]][i]), ")")
        }
        paste0(col, " is not constant within ", n_units, example(check), range,
               "; it must have one value per unit")
      }))
  }
  if (length(lines) == 0L) {
    first <- vapply(unit, function(u) paste0(u, " = ", format(unusable[[u]][1])), "")
    stop_arg(where, ": the quantile query returned missing or non-finite values for ",
             nrow(unusable), " unit(s) (e.g. ", paste(first, collapse = ", "),
             ") but the checks query found no cause; check the column types (numbers are ",
             "cast to double precision)")
  }
  stop_arg(where, ": table '", table, "' cannot be used as it is:\n",
           paste0("  * ", lines, collapse = "\n"),
           "\nRemove or fix these rows in the database (a view that filters them is enough) ",
           "and call r3d_quantiles_sql() again; nothing is dropped silently.")
}
