#' Regression discontinuity with distribution-valued outcomes
#'
#' Estimates how the distribution of an outcome changes at the cutoff of a running
#' variable when every unit contributes a sample of draws (Van Dijcke 2025). The effect
#' is the local average quantile treatment effect
#' \eqn{\tau(q) = m_+(q) - m_-(q)}, the difference of the quantile functions of the
#' Wasserstein barycenters of the unit distributions just above and just below the cutoff.
#'
#' There are two ways in.
#' \describe{
#'   \item{List of samples (as in the reference package R3D)}{`r3d(X, Y_list, T, ...)`:
#'     one running-variable value per unit in `X` and that unit's draws in `Y_list`.}
#'   \item{Long data frame}{`r3d(income ~ margin, data = df, unit = "state_year", ...)`:
#'     one row per draw; `unit` names the column(s) whose values identify a unit, and
#'     `treatment`, `weights` and `cluster` name columns. The rows are grouped by unit in
#'     C++ (no per-unit R code), checking that the running variable, treatment and cluster
#'     are constant within each unit. Units are ordered by their key (the key columns
#'     sorted with [order()], characters in the C locale), so the result does not depend on
#'     the order of the rows; `fit$units` lists them in that order, which is also the row
#'     order of a multiplier matrix `xi`.}
#' }
#' Both give identical results on the same data.
#'
#' Each unit's empirical quantile function is computed on `q_grid`; one-sided local
#' polynomial regressions of order `p` give the side curves \eqn{m_\pm}; these are made
#' monotone in \eqn{q} (isotonic projection for `"frechet"`, rearrangement for
#' `"simple"`). In a fuzzy design the difference is divided by the jump in the treatment
#' probability at the cutoff, estimated with the bandwidth `bandwidths$den`.
#'
#' Long computations (quantiles, bandwidth selection, bootstrap) can be interrupted with
#' Ctrl-C / Esc. Nothing is printed unless `verbose = TRUE`, which reports each finished
#' stage with the elapsed time.
#'
#' @param X Numeric vector: the running variable, one value per unit. For the formula
#'   method, a formula `outcome ~ running` whose two sides are columns (or expressions of
#'   columns) of `data`.
#' @param Y_list List of numeric vectors, one per unit: the unit's draws of the outcome.
#'   Alternatively a numeric matrix with one row per unit and one column per level of
#'   `q_grid`, holding the units' quantile functions already evaluated on the grid.
#' @param T Optional treatment indicator (0/1, logical, or a share in \[0, 1\]), one per unit,
#'   for fuzzy designs.
#' @param cutoff The cutoff: units with `X >= cutoff` are above it.
#' @param method `"frechet"` (local Fréchet regression, one bandwidth for the whole curve)
#'   or `"simple"` (local polynomial regression level by level).
#' @param p Order of the local polynomial (default 2, the bias-corrected choice for the
#'   bandwidth of order `s = 1`).
#' @param q_grid Strictly increasing quantile levels in (0, 1).
#' @param fuzzy Fuzzy design? Defaults to `TRUE` when `T` is given.
#' @param kernel `"triangular"` (default), `"epanechnikov"` or `"uniform"`.
#' @param bandwidths `NULL` (default) selects them with [r3d_bwselect()]. Otherwise a
#'   positive number; for `"simple"` also a vector with one bandwidth per level of
#'   `q_grid`; for fuzzy designs `list(num = , den = )` with the outcome and treatment
#'   bandwidths (a missing `den` is selected).
#' @param compat `"paper"` (default) computes as in the paper; `"r3d-0.1.0"` reproduces
#'   the reference package R3D 0.1.0 exactly (its rearrangement for `"simple"`).
#' @param quantile_type Definition of the units' empirical quantiles: 7 (R's default,
#'   linear interpolation) or 1 (inverse of the empirical distribution function).
#' @param weights Optional list of sampling weights of the draws, parallel to `Y_list`.
#'   Weighted quantiles are used (see the package documentation of
#'   `quantile_type`; equal weights give the unweighted quantiles). For the formula
#'   method, the name of the column of draw weights.
#' @param s Order whose (I)MSE the automatic bandwidth optimises (default 1 = `p - 1`,
#'   robust bias correction).
#' @param coverage Shrink automatic bandwidths by the coverage-error rule (see
#'   [r3d_bwselect()]).
#' @param boot Run the multiplier bootstrap ([r3d_bootstrap()]) for standard errors, a
#'   uniform band and tests.
#' @param B,alpha,seed,xi,cluster,test,test_ranges,functionals,keep_draws,sampler,vce
#'   Passed to [r3d_bootstrap()] (`vce = NULL`: hc2 in paper mode, hc0 in compatibility
#'   mode). For the formula method `cluster` is the name of a column that is constant
#'   within units.
#' @param ... Further arguments: for the formula method, any argument of the default
#'   method (`cutoff`, `method`, `p`, `bandwidths`, `B`, `seed`, ...); for the default
#'   method, unknown arguments are an error.
#' @param verbose Print a short line as each stage finishes (default silent).
#' @param threads Number of threads for the per-unit quantiles (and the two sides of
#'   the bandwidth selector). The default is `getOption("rddist.threads", 1)`.
#' @param data A data frame with one row per draw (formula method).
#' @param unit Name(s) of the column(s) of `data` whose values together identify a unit,
#'   e.g. `"school"` or `c("state", "year")`.
#' @param treatment Name of the treatment column (fuzzy design), constant within units.
#'
#' @return An object of class `rddist_r3d`: a list with the effect `tau` on `q_grid`, the
#'   monotone side curves `m_plus` and `m_minus` and their raw intercepts `m_plus_raw`,
#'   `m_minus_raw`, the bandwidths `h = list(num, den)`, the local polynomial
#'   coefficients `coef_plus`, `coef_minus` ((p+1) x M, on the scaled regressor
#'   `(X - cutoff)/h`), the intercept weights `weights_plus`, `weights_minus` (a vector when
#'   all levels share one bandwidth, else an n x M matrix), the counts `n`, `n_plus`,
#'   `n_minus` (units with positive kernel weight on each side), `first_stage` (fuzzy
#'   designs), the settings (`method`, `fuzzy`, `p`, `kernel`, `cutoff`, `compat`,
#'   `quantile_type`), the bandwidth selection (`bwselect`, an [r3d_bwselect()] object, when
#'   bandwidths were selected), the data used (`data`: `X`, `T` and the units' quantile
#'   matrix `Q`) and the `call`; with `boot = TRUE` also the inference fields of
#'   [r3d_bootstrap()] (`se`, `conf_low`, `conf_high`, `band`, `crit_val`, `vcov`,
#'   `se_plus`, `se_minus`, `tests`, `functionals`, `seed`, `boot`). The formula method
#'   adds `units` (a data frame with the key columns, `x`, `draws` and, when given,
#'   `treatment` and `cluster` of each unit, in the order used) and `formula`.
#'
#' @seealso [summary.rddist_r3d()], [plot.rddist_r3d()], [tidy.rddist_r3d()], [predict.rddist_r3d()], [rd_plot()],
#'   [r3d_bwselect()], [r3d_bootstrap()].
#' @references Van Dijcke, D. (2025). Regression Discontinuity Design with
#'   Distribution-Valued Outcomes. arXiv:2504.03992.
#' @examples
#' set.seed(1)
#' n <- 300
#' X <- runif(n, -1, 1)
#' Y_list <- lapply(X, function(x) rnorm(40, mean = 1 + x + (x >= 0), sd = 1 + 0.5 * (x >= 0)))
#' fit <- r3d(X, Y_list, q_grid = seq(0.1, 0.9, 0.1), B = 499)
#' fit
#' # a fixed bandwidth, and the quantile-by-quantile estimator
#' r3d(X, Y_list, q_grid = seq(0.1, 0.9, 0.1), method = "simple", bandwidths = 0.5,
#'     boot = FALSE)
#'
#' # the same data in long form: one row per draw
#' long <- data.frame(id = rep(seq_len(n), each = 40), x = rep(X, each = 40),
#'                    y = unlist(Y_list))
#' fit2 <- r3d(y ~ x, data = long, unit = "id", q_grid = seq(0.1, 0.9, 0.1), B = 499,
#'             seed = fit$seed)
#' all.equal(fit$tau, fit2$tau)
#' @export
r3d <- function(X, ...) UseMethod("r3d")

#' @rdname r3d
#' @export
r3d.default <- function(X, Y_list, T = NULL, cutoff = 0, method = c("frechet", "simple"), p = 2,
                        q_grid = seq(0.01, 0.99, 0.01), fuzzy = !is.null(T),
                        kernel = c("triangular", "epanechnikov", "uniform"), bandwidths = NULL,
                        compat = c("paper", "r3d-0.1.0"), quantile_type = 7, weights = NULL,
                        s = 1, coverage = FALSE, boot = TRUE, B = 2000, alpha = 0.05, seed = NULL,
                        xi = NULL, cluster = NULL, test = c("nullity", "homogeneity"),
                        test_ranges = NULL, functionals = NULL, keep_draws = FALSE,
                        sampler = c("gaussian", "multipliers"), vce = NULL, ..., verbose = FALSE,
                        threads = default_threads()) {
  call <- match.call()
  call[[1L]] <- as.name("r3d")
  check_dots(...)
  method <- match.arg(method)
  kernel <- match.arg(kernel)
  compat <- match.arg(compat)
  check_flag(fuzzy, "fuzzy")
  units <- check_units(X, Y_list, T, fuzzy)
  check_number(cutoff, "cutoff")
  check_number(p, "p", integer = TRUE)
  check_grid(q_grid)
  check_number(threads, "threads", positive = TRUE, integer = TRUE)
  check_number(s, "s", integer = TRUE)
  check_flag(coverage, "coverage")
  check_flag(boot, "boot")
  check_flag(verbose, "verbose")
  if (!quantile_type %in% c(1, 7)) stop_arg("r3d: quantile_type must be 7 or 1")
  bw <- parse_bandwidths(bandwidths, fuzzy, length(q_grid), method)

  Q <- unit_quantiles(Y_list, weights, q_grid, quantile_type, threads, verbose)
  selection <- NULL
  if (anyNA(bw$num) || (fuzzy && is.na(bw$den))) {
    selection <- select_from_quantiles(units$X, Q, q_grid, units$T, cutoff, method, s, p,
                                       kernel, compat, fuzzy, coverage, verbose = verbose,
                                       threads = threads)
    if (anyNA(bw$num)) bw$num <- selection$h_num
    if (fuzzy && is.na(bw$den)) bw$den <- selection$h_den
  }
  fit <- estimate_from_quantiles(units$X, Q, q_grid, units$T, cutoff, method, p, kernel,
                                 compat, fuzzy, bw, verbose)
  fit$bwselect <- selection
  fit$quantile_type <- quantile_type
  fit$call <- call
  if (boot) {
    fit <- r3d_bootstrap(fit, B = B, alpha = alpha, seed = seed, xi = xi, cluster = cluster,
                         test = test, test_ranges = test_ranges, functionals = functionals,
                         keep_draws = keep_draws, sampler = match.arg(sampler),
                         vce = vce, threads = threads, verbose = verbose)
  }
  fit
}

#' @rdname r3d
#' @export
r3d.formula <- function(X, data, unit, treatment = NULL, weights = NULL, cluster = NULL,
                        q_grid = seq(0.01, 0.99, 0.01), quantile_type = 7, ...,
                        verbose = FALSE, threads = default_threads()) {
  call <- match.call()
  call[[1L]] <- as.name("r3d")
  refuse_list_arguments(list(...), "r3d")
  check_grid(q_grid)
  if (!quantile_type %in% c(1, 7)) stop_arg("r3d: quantile_type must be 7 or 1")
  check_flag(verbose, "verbose")
  check_number(threads, "threads", positive = TRUE, integer = TRUE)
  u <- long_to_units(X, data, unit, treatment, weights, cluster, q_grid, quantile_type,
                     threads, verbose, "r3d")
  fit <- r3d.default(u$X, u$Q, T = u$T, q_grid = q_grid, quantile_type = quantile_type,
                     cluster = u$cluster, ..., verbose = verbose, threads = threads)
  fit$call <- call
  fit$formula <- X
  fit$units <- u$units
  fit
}

# Runs the estimator on a units x levels quantile matrix and builds the r3d object.
estimate_from_quantiles <- function(X, Q, q_grid, T, cutoff, method, p, kernel, compat,
                                    fuzzy, bw, verbose = FALSE) {
  est <- call_core(.rddist_estimate(X, Q, as.numeric(q_grid), if (fuzzy) T else NULL,
                                    cutoff, method, as.integer(p), kernel, compat, fuzzy,
                                    bw$num, bw$den, verbose))
  emit_warnings(est$warnings)
  h_num <- if (est$common_bandwidth) est$h_num[1] else est$h_num
  fit <- list(
    tau = est$tau, q_grid = q_grid,
    m_plus = est$plus$curve, m_minus = est$minus$curve,
    m_plus_raw = est$plus$intercept, m_minus_raw = est$minus$intercept,
    h = list(num = h_num, den = if (fuzzy) est$h_den else NULL),
    coef_plus = est$plus$coef, coef_minus = est$minus$coef,
    weights_plus = est$plus$weights, weights_minus = est$minus$weights,
    n = length(X), n_plus = est$plus$n_units, n_minus = est$minus$n_units,
    first_stage = if (fuzzy) est$first_stage else NULL,
    method = method, fuzzy = fuzzy, p = as.integer(p), kernel = kernel, cutoff = cutoff,
    compat = compat,
    data = list(X = X, T = if (fuzzy) T else NULL, Q = Q)
  )
  class(fit) <- "rddist_r3d"
  fit
}

check_dots <- function(..., where = "r3d") {
  dots <- list(...)
  if (length(dots) > 0L) {
    nm <- names(dots)
    nm <- if (is.null(nm)) rep("", length(dots)) else nm
    nm[nm == ""] <- "<unnamed>"
    stop_arg(where, ": unknown argument(s): ", paste(nm, collapse = ", "))
  }
}

check_units <- function(X, Y_list, T, fuzzy) {
  if (!is.numeric(X) || !is.null(dim(X))) stop_arg("r3d: X must be a numeric vector")
  if (length(X) == 0L) stop_arg("r3d: X is empty; give one running-variable value per unit")
  bad <- which(!is.finite(X))
  if (length(bad)) {
    stop_arg("r3d: X has ", length(bad), " missing or non-finite value(s) (first at unit ",
             bad[1], "); remove those units")
  }
  if (is.matrix(Y_list)) {
    if (nrow(Y_list) != length(X)) {
      stop_arg("r3d: X has ", length(X), " units but the quantile matrix Y_list has ",
               nrow(Y_list), " rows; they must match")
    }
  } else {
    if (!is.list(Y_list) || is.data.frame(Y_list)) {
      stop_arg("r3d: Y_list must be a list with one numeric vector of draws per unit")
    }
    if (length(Y_list) != length(X)) {
      stop_arg("r3d: X has ", length(X), " units but Y_list has ", length(Y_list),
               "; they must have the same length")
    }
  }
  if (fuzzy) {
    if (is.null(T)) stop_arg("r3d: a fuzzy design needs the treatment T")
    if (!(is.numeric(T) || is.logical(T))) stop_arg("r3d: T must be numeric or logical")
    if (length(T) != length(X)) {
      stop_arg("r3d: X has ", length(X), " units but T has ", length(T),
               "; they must have the same length")
    }
    T <- as.numeric(T)
  }
  list(X = as.numeric(X), T = T)
}

# The units x levels matrix of empirical quantiles (or a given matrix, checked).
unit_quantiles <- function(Y_list, weights, q_grid, quantile_type, threads, verbose = FALSE) {
  if (is.matrix(Y_list)) {
    if (!is.numeric(Y_list) || ncol(Y_list) != length(q_grid)) {
      stop_arg("r3d: a quantile matrix Y_list needs one numeric column per level of q_grid (",
               length(q_grid), ")")
    }
    if (!is.null(weights)) stop_arg("r3d: weights apply to draws, not to a quantile matrix")
    # The core checks the values; copy only when the storage or attributes need it.
    if (!is.double(Y_list)) storage.mode(Y_list) <- "double"
    if (!is.null(dimnames(Y_list))) dimnames(Y_list) <- NULL
    return(Y_list)
  }
  if (!is.null(weights) && (!is.list(weights) || length(weights) != length(Y_list))) {
    stop_arg("r3d: weights must be a list with one vector of draw weights per unit")
  }
  call_core(.rddist_quantile_matrix(Y_list, weights, as.numeric(q_grid),
                                    as.integer(quantile_type), as.integer(threads),
                                    verbose))
}

check_grid <- function(q_grid) {
  if (!is.numeric(q_grid) || length(q_grid) == 0L) {
    stop_arg("r3d: q_grid must be a non-empty numeric vector of levels in (0, 1)")
  }
  if (any(!is.finite(q_grid)) || any(q_grid <= 0 | q_grid >= 1)) {
    stop_arg("r3d: every level in q_grid must lie strictly between 0 and 1")
  }
  if (any(diff(q_grid) <= 0)) stop_arg("r3d: q_grid must be strictly increasing")
  invisible(q_grid)
}

# Normalises user bandwidths to list(num = numeric or NA, den = number or NA); NA marks
# a bandwidth to be selected.
parse_bandwidths <- function(bandwidths, fuzzy, n_levels, method) {
  if (is.null(bandwidths)) return(list(num = NA_real_, den = NA_real_))
  if (is.list(bandwidths)) {
    num <- bandwidths$num
    den <- bandwidths$den
    if (is.null(num)) stop_arg("r3d: bandwidths$num (the outcome bandwidth) is missing")
  } else {
    num <- bandwidths
    den <- NULL
  }
  if (!is.numeric(num) || length(num) == 0L) stop_arg("r3d: the outcome bandwidth must be numeric")
  if (!(length(num) %in% c(1L, n_levels))) {
    stop_arg("r3d: got ", length(num), " outcome bandwidths for ", n_levels,
             " quantile levels; give one number or one per level")
  }
  if (any(!is.finite(num) | num <= 0)) stop_arg("r3d: bandwidths must be positive numbers")
  if (fuzzy && !is.null(den)) check_number(den, "bandwidths$den", positive = TRUE)
  list(num = as.numeric(num), den = if (fuzzy && !is.null(den)) as.numeric(den) else NA_real_)
}
