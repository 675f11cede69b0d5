# The design arguments of the RD toolkit as the core takes them: covariates, unit
# weights, a donut, bandwidths per side and the selector's rule. R only reshapes them
# (factors into dummies, data frames into matrices); the core checks every value.

# The covariates as a numeric matrix with one row per unit (or per row of long data) and
# named columns, factors and character columns expanded to dummies of their levels
# after the first, logical columns as 0/1. `rows` says what a row is in messages.
covariate_matrix <- function(covs, n, where, rows = "unit") {
  if (is.null(covs)) return(NULL)
  if (is.numeric(covs) && is.null(dim(covs))) covs <- matrix(covs, ncol = 1L, dimnames = list(NULL, "covs"))
  if (is.matrix(covs)) {
    if (!(is.numeric(covs) || is.logical(covs))) stop_arg(where, ": covs must be numeric")
    if (is.null(colnames(covs))) colnames(covs) <- paste0("covs", seq_len(ncol(covs)))
    covs <- as.data.frame(covs)
  }
  if (!is.data.frame(covs)) {
    stop_arg(where, ": covs must be a numeric matrix or a data frame with one row per ", rows)
  }
  if (nrow(covs) != n) {
    stop_arg(where, ": covs has ", nrow(covs), " rows but there are ", n, " ", rows, "s")
  }
  if (ncol(covs) == 0L) return(NULL)
  parts <- lapply(names(covs), function(name) covariate_columns(covs[[name]], name, where, rows))
  z <- do.call(cbind, parts)
  storage.mode(z) <- "double"
  z
}

# One covariate as numeric column(s): numbers as they are, factors as dummies.
covariate_columns <- function(v, name, where, rows) {
  missing_at <- which(is.na(v))
  if (length(missing_at)) {
    stop_arg(where, ": covariate '", name, "' is missing for ", length(missing_at), " ", rows,
             "(s) (first: ", rows, " ", missing_at[1L], "); remove or fix them")
  }
  if (is.logical(v)) v <- as.numeric(v)
  if (is.character(v)) v <- factor(v)
  if (is.factor(v)) {
    v <- droplevels(v)
    lv <- levels(v)
    if (length(lv) < 2L) {
      stop_arg(where, ": covariate '", name, "' has a single level (", lv, "); drop it from covs")
    }
    out <- vapply(lv[-1L], function(l) as.numeric(v == l), numeric(length(v)))
    out <- matrix(out, ncol = length(lv) - 1L, dimnames = list(NULL, paste0(name, lv[-1L])))
    return(out)
  }
  if (!is.numeric(v) || !is.null(dim(v))) {
    stop_arg(where, ": covariate '", name, "' must be numeric, logical, a factor or text")
  }
  matrix(as.double(v), ncol = 1L, dimnames = list(NULL, name))
}

# Unit weights of the list interface: one non-negative number per unit.
unit_weight_values <- function(unit_weights, n, where) {
  if (is.null(unit_weights)) return(NULL)
  if (!(is.numeric(unit_weights) || is.logical(unit_weights)) || !is.null(dim(unit_weights))) {
    stop_arg(where, ": unit_weights must be a numeric vector with one weight per unit")
  }
  if (length(unit_weights) != n) {
    stop_arg(where, ": unit_weights has ", length(unit_weights), " values but there are ", n, " units")
  }
  as.double(unit_weights)
}

# The design arguments of units given one per row (list interface, bootstrap of a fit).
design_args <- function(covs, unit_weights, donut, n, where) {
  list(covs = covariate_matrix(covs, n, where), unit_weights = unit_weight_values(unit_weights, n, where),
       donut = donut)
}

# The design arguments of long rows: covariates and the unit weight as row columns that the
# core checks to be constant within units.
long_design_args <- function(covs, unit_weights, data, where) {
  out <- list()
  if (!is.null(covs)) {
    check_columns(covs, data, "covs", where, several = TRUE)
    z <- covariate_matrix(data[covs], nrow(data), where, rows = "row")
    out$covs_long <- stats::setNames(lapply(seq_len(ncol(z)), function(k) z[, k]), colnames(z))
  }
  if (!is.null(unit_weights)) {
    out$unit_weight_long <- column_values(data, unit_weights, "unit_weights", where)
    out$unit_weight_name <- unit_weights
  }
  out
}

# Given bandwidths: a number or vector (outcome, both sides), list(plus = , minus = )
# (outcome, one per side), or list(num = , den = ) whose parts are either; NULL parts are
# selected by the core with the rule `bwselect`.
bandwidth_args <- function(bandwidths, s, coverage, regularization = NULL, bwselect = NULL,
                           where = "r3d") {
  num <- bandwidths
  den <- NULL
  if (is.list(bandwidths)) {
    nm <- names(bandwidths)
    if (is.null(nm) || !(all(nm %in% c("plus", "minus")) || all(nm %in% c("num", "den")))) {
      stop_arg(where, ": bandwidths must be a number, list(plus = , minus = ) or ",
               "list(num = , den = )")
    }
    if (all(nm %in% c("num", "den"))) {
      num <- bandwidths$num
      den <- bandwidths$den
      if (is.null(num)) stop_arg(where, ": bandwidths$num (the outcome bandwidth) is missing")
    }
  }
  outcome <- per_side(num, "bandwidths", where)
  treatment <- per_side(den, "bandwidths$den", where)
  list(bandwidth = outcome$plus, bandwidth_below = outcome$minus,
       bandwidth_treatment = treatment$plus, bandwidth_treatment_below = treatment$minus,
       s = s, coverage = coverage, regularization = regularization, bwselect = bwselect)
}

# A bandwidth for both sides (minus = NULL), or list(plus = , minus = ).
per_side <- function(h, what, where) {
  if (!is.list(h)) return(list(plus = h, minus = NULL))
  if (!setequal(names(h), c("plus", "minus")) || is.null(h$plus) || is.null(h$minus)) {
    stop_arg(where, ": ", what, " per side must be list(plus = , minus = ), both given")
  }
  list(plus = h$plus, minus = h$minus)
}

# The bandwidths a fit used, in the form bandwidth_args() reads back: numbers when both
# sides share them, list(plus = , minus = ) otherwise.
fit_bandwidths <- function(est, fuzzy) {
  one <- function(h) if (est$common_bandwidth) h[1L] else h
  if (!isTRUE(est$two_sided)) {
    return(list(num = one(est$h_num), den = if (fuzzy) est$h_den else NULL))
  }
  list(num = list(plus = one(est$h_num), minus = one(est$h_num_below)),
       den = if (fuzzy) list(plus = est$h_den, minus = est$h_den_below) else NULL)
}

# A bandwidth of a fit (fit$h$num or fit$h$den) in words.
bandwidth_text <- function(h, digits) {
  one <- function(v) {
    if (length(v) == 1L) return(format(v, digits = digits))
    sprintf("%s to %s (one per level)", format(min(v), digits = digits), format(max(v), digits = digits))
  }
  if (!is.list(h)) return(one(h))
  sprintf("%s above, %s below the cutoff", one(h$plus), one(h$minus))
}
