# The long data-frame interface: one row per draw, grouped into units in C++.
#
# R's part is vectorised bookkeeping only: evaluate the formula's two sides, give every
# row the code of its unit (codes follow the sorted unique keys, so the units' order does
# not depend on the row order), code the clusters, and hand the columns to
# .rddist_group_units(), which checks the unit-level columns and computes the quantiles.

# Units from a long data frame: X, T, cluster labels and the quantile matrix Q on q_grid,
# plus a data frame describing the units.
long_to_units <- function(formula, data, unit, treatment, weights, cluster, q_grid,
                          quantile_type, threads, verbose, where) {
  sides <- formula_sides(formula, where)
  if (missing(data) || !is.data.frame(data)) {
    stop_arg(where, ": data must be a data frame with one row per draw")
  }
  if (nrow(data) == 0L) stop_arg(where, ": data has no rows")
  if (missing(unit) || is.null(unit)) {
    stop_arg(where, ": give unit, the name(s) of the column(s) identifying the units ",
             "(e.g. unit = \"school\" or unit = c(\"state\", \"year\"))")
  }
  check_columns(unit, data, "unit", where, several = TRUE)
  env <- environment(formula)
  y <- eval_column(sides$outcome, data, env, "outcome", where)
  x <- eval_column(sides$running, data, env, "running variable", where)
  t <- if (is.null(treatment)) NULL else column_values(data, treatment, "treatment", where)
  w <- if (is.null(weights)) NULL else column_values(data, weights, "weights", where)
  cl <- NULL
  cl_labels <- NULL
  if (!is.null(cluster)) {
    check_columns(cluster, data, "cluster", where)
    col <- data[[cluster]]
    if (anyNA(col)) stop_arg(where, ": the cluster column '", cluster, "' has missing values")
    cl_labels <- unique(col)
    cl <- match(col, cl_labels) - 1L
  }
  key <- unit_key(data, unit, where)
  labels <- do.call(paste, c(lapply(key$units, as.character), sep = "/"))
  g <- call_core(.rddist_group_units(key$code - 1L, length(labels), x, y, t, w, cl,
                                     as.numeric(q_grid), as.integer(quantile_type), labels,
                                     as.integer(threads), verbose))
  units <- key$units
  units$x <- g$x
  if (!is.null(t)) units$treatment <- g$treatment
  cluster_of_unit <- if (is.null(cl)) NULL else cl_labels[g$cluster + 1L]
  if (!is.null(cl)) units$cluster <- cluster_of_unit
  units$draws <- as.integer(g$draws)
  list(X = g$x, T = g$treatment, Q = g$quantiles, cluster = cluster_of_unit, units = units,
       outcome = deparse1(sides$outcome), running = deparse1(sides$running))
}

# The outcome (left) and running variable (right) of `outcome ~ running`.
formula_sides <- function(formula, where) {
  if (!inherits(formula, "formula") || length(formula) != 3L) {
    stop_arg(where, ": the formula must have the form outcome ~ running_variable")
  }
  rhs <- formula[[3L]]
  if (is.call(rhs) && is.name(rhs[[1L]]) && as.character(rhs[[1L]]) %in% c("+", "|", "*", ":")) {
    stop_arg(where, ": the right-hand side of the formula must be the running variable ",
             "alone; give the treatment with treatment = \"column\"")
  }
  list(outcome = formula[[2L]], running = rhs)
}

# A numeric column (or expression of columns) evaluated in the data.
eval_column <- function(expr, data, env, what, where) {
  v <- tryCatch(eval(expr, data, env), error = function(e) {
    stop_arg(where, ": cannot evaluate the ", what, " '", deparse1(expr), "': ",
             conditionMessage(e))
  })
  if (!(is.numeric(v) || is.logical(v)) || !is.null(dim(v))) {
    stop_arg(where, ": the ", what, " '", deparse1(expr), "' must be a numeric column")
  }
  if (length(v) != nrow(data)) {
    stop_arg(where, ": the ", what, " '", deparse1(expr), "' has ", length(v),
             " values for ", nrow(data), " rows")
  }
  as.double(v)
}

check_columns <- function(cols, data, what, where, several = FALSE) {
  ok <- is.character(cols) && length(cols) >= 1L && !anyNA(cols) && (several || length(cols) == 1L)
  if (!ok) {
    stop_arg(where, ": ", what, " must be ", if (several) "the name(s) of column(s)" else
      "the name of a column", " of data")
  }
  missing_cols <- setdiff(cols, names(data))
  if (length(missing_cols)) {
    stop_arg(where, ": data has no column ", paste0("'", missing_cols, "'", collapse = ", "),
             " (", what, ")")
  }
  invisible(cols)
}

column_values <- function(data, col, what, where) {
  check_columns(col, data, what, where)
  v <- data[[col]]
  if (!(is.numeric(v) || is.logical(v))) {
    stop_arg(where, ": the ", what, " column '", col, "' must be numeric or logical")
  }
  as.double(v)
}

# Codes 1..G of the units, in the lexicographic order of the key columns (each column in
# its own sort order; characters compared in the C locale so that the order does not
# depend on the session's locale), and the keys of the G units in that order.
unit_key <- function(data, unit, where) {
  code <- NULL
  for (col_name in unit) {
    col <- data[[col_name]]
    if (!is.atomic(col) || !is.null(dim(col))) {
      stop_arg(where, ": the unit column '", col_name, "' must be a plain vector")
    }
    if (anyNA(col)) stop_arg(where, ": the unit column '", col_name, "' has missing values")
    levels <- unique(col)
    levels <- levels[order(levels, method = "radix")]
    k <- match(col, levels)
    if (is.null(code)) {
      code <- k
    } else {
      # Lexicographic combination, compacted to 1..G after each column (stays exact in
      # doubles for up to ~9e7 rows).
      combined <- (as.double(code) - 1) * length(levels) + k
      code <- match(combined, sort(unique(combined), method = "radix"))
    }
  }
  first <- match(seq_len(max(code)), code)
  units <- data[first, unit, drop = FALSE]
  units <- as.data.frame(units, stringsAsFactors = FALSE)
  rownames(units) <- NULL
  list(code = as.integer(code), units = units)
}

# Arguments of the list interface make no sense with a formula: say what to use instead.
refuse_list_arguments <- function(dots, where) {
  nm <- names(dots)
  if (is.null(nm)) {
    if (length(dots)) stop_arg(where, ": with a formula, give further arguments by name")
    return(invisible())
  }
  if ("Y_list" %in% nm) stop_arg(where, ": with a formula the outcome comes from data; drop Y_list")
  if ("T" %in% nm) stop_arg(where, ": with a formula give the treatment column as treatment = \"name\"")
  if (any(nm == "")) stop_arg(where, ": with a formula, give further arguments by name")
  invisible()
}
