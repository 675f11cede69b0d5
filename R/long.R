# The long data-frame interface: one row per draw, grouped into units in C++.
#
# R's part is vectorised bookkeeping only: evaluate the formula's two sides, give every
# row the code of its unit (in order of first appearance) with the key of each unit as
# text, code the clusters, and hand the columns to the core, which checks the unit-level
# columns, orders the units by key and computes the quantiles (grouping.h).

# The long rows as the core takes them, and what R needs to describe the units afterwards.
long_source <- function(formula, data, unit, treatment, weights, cluster, where, na.rm = FALSE) {
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
  check_flag(na.rm, "na.rm", where)
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
  source <- list(source = "long", unit = key$code - 1L, keys = key$text, x = x, y = y,
                 treatment = t, weight = w, cluster = cl, na_rm = na.rm,
                 x_name = deparse1(sides$running), y_name = deparse1(sides$outcome),
                 t_name = if (is.null(treatment)) "" else treatment,
                 w_name = if (is.null(weights)) "" else weights,
                 c_name = if (is.null(cluster)) "" else cluster)
  list(source = source, n_units = nrow(key$units), units = key$units, cluster_labels = cl_labels,
       has_treatment = !is.null(t), outcome = deparse1(sides$outcome),
       running = deparse1(sides$running))
}

# The units' description for fit$units, in the core's order.
long_units <- function(long, core, X, T) {
  units <- long$units[core$code + 1L, , drop = FALSE]
  rownames(units) <- NULL
  units$x <- X
  if (long$has_treatment && !is.null(T)) units$treatment <- T
  if (!is.null(long$cluster_labels)) units$cluster <- long$cluster_labels[core$cluster + 1L]
  units$draws <- as.integer(core$draws)
  units
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
  if (is.factor(v)) {
    stop_arg(where, ": the ", what, " '", deparse1(expr), "' is a factor; convert it to ",
             "numbers first (as.numeric(as.character(.)))")
  }
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
  if (is.factor(v) || !(is.numeric(v) || is.logical(v))) {
    stop_arg(where, ": the ", what, " column '", col, "' must be numeric or logical")
  }
  as.double(v)
}

# Codes 1..G of the units in order of first appearance, each unit's key as text (one
# character vector per key column, UTF-8), and the key columns of the G units. Keys are
# compared as text, the rule the command-line tool applies to the same file.
unit_key <- function(data, unit, where) {
  code <- NULL
  for (col_name in unit) {
    col <- data[[col_name]]
    if (!is.atomic(col) || !is.null(dim(col))) {
      stop_arg(where, ": the unit column '", col_name, "' must be a plain vector")
    }
    if (anyNA(col)) stop_arg(where, ": the unit column '", col_name, "' has missing values")
    text <- enc2utf8(as.character(col))
    k <- match(text, unique(text))
    if (is.null(code)) {
      code <- k
    } else {
      # Lexicographic combination, compacted to 1..G after each column (stays exact in
      # doubles for up to ~9e7 rows).
      combined <- (as.double(code) - 1) * max(k) + k
      code <- match(combined, unique(combined))
    }
  }
  first <- match(seq_len(max(code)), code)
  units <- as.data.frame(data[first, unit, drop = FALSE], stringsAsFactors = FALSE)
  rownames(units) <- NULL
  keys <- lapply(unit, function(col_name) enc2utf8(as.character(data[[col_name]][first])))
  list(code = as.integer(code), text = keys, units = units)
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
