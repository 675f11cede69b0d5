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
#'     are constant within each unit. Keys are compared as text (the values as
#'     [as.character()] writes them), and units are listed in the byte order of their keys,
#'     so the result does not depend on the order of the rows; `fit$units` lists them in
#'     that order, which is also the row order of a multiplier matrix `xi`.}
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
#' @param cutoff The cutoff: units with `X >= cutoff` are above it (default 0).
#' @param method `"frechet"` (local Fréchet regression, one bandwidth for the whole curve;
#'   the default) or `"simple"` (local polynomial regression level by level).
#' @param p Order of the local polynomial (default 2, the bias-corrected choice for the
#'   bandwidth of order `s = 1`).
#' @param q_grid Strictly increasing quantile levels in (0, 1); `NULL` (default) means
#'   0.01, 0.02, ..., 0.99.
#' @param fuzzy Fuzzy design? `NULL` (default): fuzzy exactly when `T` is given.
#' @param kernel `"triangular"` (default), `"epanechnikov"` or `"uniform"`.
#' @param bandwidths `NULL` (default) selects them with [r3d_bwselect()]. Otherwise a
#'   positive number; for `"simple"` also a vector with one bandwidth per level of
#'   `q_grid`; `list(plus = , minus = )` for one bandwidth above and one below the cutoff;
#'   for fuzzy designs `list(num = , den = )` with the outcome and treatment bandwidths
#'   (each a number or `list(plus = , minus = )`; a missing `den` is selected).
#' @param compat `"paper"` (the default) computes as in the paper; `"r3d-0.1.0"` reproduces
#'   the reference package R3D 0.1.0 exactly (its rearrangement for `"simple"`).
#' @param quantile_type Definition of the units' empirical quantiles: 7 (the default, as R's,
#'   linear interpolation) or 1 (inverse of the empirical distribution function).
#' @param na.rm Drop missing draws (`NA` outcomes, or `NA` draw weights) instead of
#'   stopping, as the command line's `--drop-missing` does: a warning says how many draws
#'   of how many units were dropped, and `fit$na_dropped` records it. A unit left without
#'   draws is still an error. Infinite draws are never dropped.
#' @param weights Optional list of sampling weights of the draws, parallel to `Y_list`.
#'   Weighted quantiles are used (see the package documentation of
#'   `quantile_type`; equal weights give the unweighted quantiles). For the formula
#'   method, the name of the column of draw weights.
#' @param s Order whose (I)MSE the automatic bandwidth optimises (default 1 = `p - 1`,
#'   robust bias correction).
#' @param coverage Shrink automatic bandwidths by the coverage-error rule (see
#'   [r3d_bwselect()]).
#' @param covs Covariates, one row per unit: a numeric matrix or a data frame (factors and
#'   text become dummies of their levels after the first). For the formula method, the
#'   names of columns of `data` that are constant within units. Each level's fit then
#'   regresses the units' quantiles on the side polynomials and the covariates, with one
#'   coefficient vector common to both sides (Calonico, Cattaneo, Farrell and Titiunik
#'   2019), and the bootstrap runs on the adjusted residuals; `fit$gamma` holds the
#'   coefficients (covariates x levels). The side curves are those of units with the
#'   average covariates.
#' @param unit_weights Optional non-negative weight per unit multiplying the kernel
#'   weights in every fit (and in the bandwidth selection); for the formula method, the
#'   name of a column constant within units. Units of weight zero are left out.
#' @param donut Leave out the units with `abs(X - cutoff) < donut` (default 0: none); they
#'   are counted in `fit$n_donut`.
#' @param bwselect How bandwidths that are not given are selected: `"common"` (default),
#'   one for both sides minimising the (I)MSE of the effect, or `"two"`, one per side
#'   minimising the (I)MSE of that side's curve (rdrobust's `msetwo`).
#' @param boot Run the multiplier bootstrap ([r3d_bootstrap()]) for standard errors, a
#'   uniform band and tests.
#' @param B,alpha,seed,xi,cluster,test,test_ranges,functionals,keep_draws,sampler,vce,band_type,test_statistic
#'   Passed to [r3d_bootstrap()], where their defaults are given (`NULL` means the default).
#'   For the formula method `cluster` is the name of a column that is constant within
#'   units.
#' @param ... Further arguments: for the formula method, any argument of the default
#'   method (`cutoff`, `method`, `p`, `bandwidths`, `B`, `seed`, ...); for the default
#'   method, unknown arguments are an error.
#' @param verbose Feedback during the computation. `NULL` (the default): a progress bar
#'   (the cli package) for stages that take more than about two seconds when R is
#'   interactive, unless `options(rddist.progress = FALSE)`; `TRUE`: a line as each
#'   stage finishes, with the elapsed time; `FALSE`: silent. `options(rddist.progress =)`
#'   may also be a `function(stage, fraction)` receiving every report (`fraction` in
#'   \[0, 1\]), for example to drive a Shiny progress bar.
#' @param threads Number of threads for the per-unit quantiles (and the two sides of
#'   the bandwidth selector). The default is `getOption("rddist.threads", 1)`.
#' @param data A data frame with one row per draw (formula method).
#' @param unit Name(s) of the column(s) of `data` whose values together identify a unit,
#'   e.g. `"school"` or `c("state", "year")`.
#' @param treatment Name of the treatment column (fuzzy design), constant within units.
#'
#' @return An object of class `rddist_r3d`: a list with the effect `tau` on `q_grid`, the
#'   monotone side curves `m_plus` and `m_minus` and their raw intercepts `m_plus_raw`,
#'   `m_minus_raw`, the bandwidths `h = list(num, den)` (in the form `bandwidths` takes),
#'   `n_donut`, `gamma` and `gamma_treatment` (with covariates), the local polynomial
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
r3d.default <- function(X, Y_list, T = NULL, cutoff = NULL, method = NULL, p = NULL,
                        q_grid = NULL, fuzzy = NULL, kernel = NULL, bandwidths = NULL,
                        compat = NULL, quantile_type = NULL, weights = NULL, s = NULL,
                        coverage = NULL, covs = NULL, unit_weights = NULL, donut = NULL,
                        bwselect = NULL, boot = TRUE, B = NULL, alpha = NULL, seed = NULL,
                        xi = NULL, cluster = NULL, test = NULL, test_ranges = NULL,
                        functionals = NULL, keep_draws = FALSE, sampler = NULL, vce = NULL,
                        band_type = NULL, test_statistic = NULL, na.rm = FALSE, ...,
                        verbose = NULL,
                        threads = default_threads()) {
  call <- match.call()
  call[[1L]] <- as.name("r3d")
  check_dots(...)
  check_flag(boot, "boot")
  source <- unit_source(X, Y_list, T, weights, na.rm)
  args <- c(source, model_args(cutoff, method, p, q_grid, fuzzy, kernel, compat, quantile_type),
            design_args(covs, unit_weights, donut, length(X), "r3d"),
            bandwidth_args(bandwidths, s, coverage, bwselect = bwselect))
  if (boot) {
    args <- c(args, inference_args(B, alpha, seed, xi, cluster, length(X), test, test_ranges,
                                   functionals, keep_draws, sampler, vce, band_type,
                                   test_statistic))
  } else {
    args$cluster_units <- cluster_codes(cluster, length(X), "r3d")  # kept for r3d_bootstrap()
  }
  fit <- fit_r3d(args, if (boot) "inference" else "estimate", "r3d", verbose, threads, call)
  fit$data$cluster <- cluster
  fit
}

#' @rdname r3d
#' @export
r3d.formula <- function(X, data, unit, treatment = NULL, weights = NULL, cluster = NULL,
                        q_grid = NULL, quantile_type = NULL, na.rm = FALSE, covs = NULL,
                        unit_weights = NULL, ..., verbose = NULL, threads = default_threads()) {
  call <- match.call()
  call[[1L]] <- as.name("r3d")
  refuse_list_arguments(list(...), "r3d")
  long <- long_source(X, data, unit, treatment, weights, cluster, "r3d", na.rm)
  long$source <- c(long$source, long_design_args(covs, unit_weights, data, "r3d"))
  fit <- r3d_long(long, q_grid = q_grid, quantile_type = quantile_type, ..., verbose = verbose,
                  threads = threads, call = call)
  fit$formula <- X
  fit
}

# The formula method's runner: the list method's arguments on long rows.
r3d_long <- function(long, cutoff = NULL, method = NULL, p = NULL, q_grid = NULL, fuzzy = NULL,
                     kernel = NULL, bandwidths = NULL, compat = NULL, quantile_type = NULL,
                     s = NULL, coverage = NULL, donut = NULL, bwselect = NULL, boot = TRUE,
                     B = NULL, alpha = NULL, seed = NULL, xi = NULL, test = NULL,
                     test_ranges = NULL, functionals = NULL, keep_draws = FALSE, sampler = NULL,
                     vce = NULL, band_type = NULL, test_statistic = NULL, ..., verbose = NULL,
                     threads = default_threads(), call = NULL) {
  check_dots(...)
  check_flag(boot, "boot")
  args <- c(long$source, model_args(cutoff, method, p, q_grid, fuzzy, kernel, compat, quantile_type),
            list(donut = donut), bandwidth_args(bandwidths, s, coverage, bwselect = bwselect))
  if (boot) {
    args <- c(args, inference_args(B, alpha, seed, xi, NULL, long$n_units, test, test_ranges,
                                   functionals, keep_draws, sampler, vce, band_type,
                                   test_statistic))
  }
  fit <- fit_r3d(args, if (boot) "inference" else "estimate", "r3d", verbose, threads, call)
  fit$units <- long_units(long, fit$core_units, fit$data$X, fit$data$T)
  fit$core_units <- NULL
  fit
}

# One call into the core: select what is not given, estimate, bootstrap; then the fit.
fit_r3d <- function(args, stage, where, verbose, threads, call) {
  res <- call_core(.rddist_r3d(c(args, list(stage = stage, where = where, threads = threads),
                                 core_feedback(verbose, where))))
  emit_warnings(res$warnings)
  fit <- fit_object(res, args)
  fit$call <- call
  # What na.rm = TRUE dropped (the core has warned already).
  if (!is.null(res$dropped) && res$dropped$draws > 0) fit$na_dropped <- res$dropped
  if (!is.null(res$inference)) fit <- add_inference(fit, res$inference, args)
  fit
}

# The r3d object from the core's result; `args` supplies the data when R holds them.
fit_object <- function(res, args) {
  est <- res$estimate
  o <- est$options
  fuzzy <- o$fuzzy
  X <- if (is.null(res$X)) args$X else res$X
  T <- if (is.null(res$T)) args$T else res$T
  Q <- if (is.null(res$Q)) args$Q else res$Q
  covs <- if (is.null(res$covs)) args$covs else res$covs
  st <- res$settings
  gamma <- est$gamma
  if (!is.null(gamma)) dimnames(gamma) <- list(colnames(covs), format_level(res$q_grid))
  fit <- list(
    tau = est$tau, q_grid = res$q_grid,
    m_plus = est$plus$curve, m_minus = est$minus$curve,
    m_plus_raw = est$plus$intercept, m_minus_raw = est$minus$intercept,
    h = fit_bandwidths(est, fuzzy), bandwidth_rule = st$bwselect,
    coef_plus = est$plus$coef, coef_minus = est$minus$coef,
    weights_plus = est$plus$weights, weights_minus = est$minus$weights,
    n = length(X), n_plus = est$plus$n_units, n_minus = est$minus$n_units,
    n_donut = as.integer(res$kept$donut), n_other_side = as.integer(res$kept$other_side),
    donut = st$donut, true_cutoff = if (is.na(st$true_cutoff)) NULL else st$true_cutoff,
    gamma = gamma,
    gamma_treatment = if (is.null(est$gamma_treatment)) NULL else
      stats::setNames(est$gamma_treatment, colnames(covs)),
    first_stage = if (fuzzy) est$first_stage else NULL,
    method = o$method, fuzzy = fuzzy, p = as.integer(o$p), kernel = o$kernel,
    cutoff = o$cutoff, compat = o$compat, quantile_type = res$settings$quantile_type,
    bwselect = if (is.null(res$selection)) NULL else bwselect_object(res, length(X)),
    data = list(X = X, T = if (fuzzy) T else NULL, Q = Q, covs = covs,
                unit_weights = if (is.null(res$unit_weights)) args$unit_weights else res$unit_weights),
    core_units = res$units
  )
  class(fit) <- "rddist_r3d"
  fit
}

# The inference fields of an r3d fit from the core's bootstrap result.
add_inference <- function(fit, b, args) {
  fit$se <- b$se
  fit$conf_low <- b$conf_low
  fit$conf_high <- b$conf_high
  fit$band <- data.frame(q = fit$q_grid, lower = b$band_low, upper = b$band_high)
  fit$crit_val <- b$crit_val
  fit$statistic <- b$statistic
  fit$p_value <- b$p_value
  fit$p_value_uniform <- b$p_value_uniform
  fit$crit_val_sides <- b$crit_val_sides
  fit$band_sides <- data.frame(q = fit$q_grid, b$band_sides)
  fit$vcov <- b$covariance
  fit$se_plus <- b$se_plus
  fit$se_minus <- b$se_minus
  fit$tests <- b$tests
  fit$functionals <- b$functionals
  fit$seed <- b$seed
  fit$boot <- list(B = as.integer(b$draws), alpha = b$alpha, sampler = b$sampler, vce = b$vce,
                   band_type = b$band_type, test_statistic = b$test_statistic,
                   clusters = if (b$clusters > 0) as.integer(b$clusters) else NULL,
                   first_stage_se = if (fit$fuzzy) b$first_stage_se,
                   first_stage_f = if (fit$fuzzy) b$first_stage_f)
  fit$draws <- if (isTRUE(args$keep_draws)) {
    list(tau = b$process, nu_plus = b$nu_plus, nu_minus = b$nu_minus)
  }
  fit
}

# The units as the core takes them: a quantile matrix, or each unit's draws.
unit_source <- function(X, Y_list, T, weights, na.rm = FALSE, where = "r3d") {
  check_flag(na.rm, "na.rm", where)
  if (!is.numeric(X) || !is.null(dim(X))) stop_arg(where, ": X must be a numeric vector")
  if (!is.null(T) && !(is.numeric(T) || is.logical(T))) stop_arg(where, ": T must be numeric or logical")
  T <- if (is.null(T)) NULL else as.numeric(T)
  if (is.matrix(Y_list)) {
    if (!is.numeric(Y_list)) stop_arg(where, ": a quantile matrix Y_list must be numeric")
    if (!is.null(weights)) stop_arg(where, ": weights apply to draws, not to a quantile matrix")
    # The core reads the matrix in place; copy only when the storage or attributes need it.
    if (!is.double(Y_list)) storage.mode(Y_list) <- "double"
    if (!is.null(dimnames(Y_list))) dimnames(Y_list) <- NULL
    return(list(source = "quantiles", X = as.numeric(X), T = T, Q = Y_list))
  }
  if (!is.list(Y_list) || is.data.frame(Y_list)) {
    stop_arg(where, ": Y_list must be a list with one numeric vector of draws per unit, or a ",
             "quantile matrix")
  }
  if (!is.null(weights) && !is.list(weights)) {
    stop_arg(where, ": weights must be a list with one vector of draw weights per unit")
  }
  if (!is.null(weights) && length(weights) != length(Y_list)) {
    stop_arg(where, ": weights has ", length(weights), " elements but Y_list has ",
             length(Y_list), "; give one vector of draw weights per unit")
  }
  list(source = "draws", X = as.numeric(X), T = T, Y_list = Y_list, weights = weights,
       na_rm = na.rm)
}

# The estimator's options, as given (NULL: the core's default).
model_args <- function(cutoff, method, p, q_grid, fuzzy, kernel, compat, quantile_type) {
  list(cutoff = cutoff, method = method, p = p, q_grid = q_grid, fuzzy = fuzzy, kernel = kernel,
       compat = compat, quantile_type = quantile_type)
}

check_dots <- function(..., where = "r3d") {
  dots <- list(...)
  if (length(dots) == 0L) return(invisible())
  nm <- names(dots)
  nm <- if (is.null(nm)) rep("", length(dots)) else nm
  # Names of the reference package R3D 0.1.0 and their rddist spelling.
  r3d_names <- c(boot_reps = "B", kernel_fun = "kernel", boot_cores = "threads")
  known <- nm[nm %in% names(r3d_names)]
  if (length(known)) {
    stop_arg(where, ": ", paste0(known, collapse = ", "), " is R3D 0.1.0's name; rddist ",
             "calls it ", paste0(r3d_names[known], collapse = ", "))
  }
  nm[nm == ""] <- "<unnamed>"
  stop_arg(where, ": unknown argument(s): ", paste(nm, collapse = ", "))
}
