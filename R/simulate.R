#' Simulate the paper's designs
#'
#' Draws a data set from the simulation designs of Van Dijcke (2025, Sec. 4.1): units
#' with running variable \eqn{X_i \sim U(-1, 1)}, cutoff 0, and `draws` outcome draws each.
#' \describe{
#'   \item{DGP 1}{\eqn{\mu_i \sim N(5 + 5X_i + \Delta D_i, 1)},
#'     \eqn{\sigma_i \sim |N(1 + X_i, 1)|}, draws \eqn{N(\mu_i, \sigma_i^2)}; the effect is
#'     \eqn{\Delta} at every quantile.}
#'   \item{DGP 2}{\eqn{\mu_i = U(-5, 5) + 2X_i}, \eqn{\lambda_i \sim U(0.5, 1.5) + \Delta_\lambda D_i},
#'     draws \eqn{N(\mu_i + \Delta D_i, 1) + 2 E} with \eqn{E} exponential of rate
#'     \eqn{\lambda_i}; the effect varies across quantiles when \eqn{\Delta_\lambda \ne 0}.}
#' }
#' In the sharp design \eqn{D_i = 1\{X_i \ge 0\}}; with `fuzzy = TRUE` the treatment is
#' drawn with probability 0.1 below and 0.9 above the cutoff and \eqn{D_i = T_i}.
#' The paper does not state \eqn{\Delta_\lambda}; the default 0.5 is this package's choice.
#' The same `seed` gives the same data in R, C++ and the command-line tool.
#'
#' @param dgp 1 or 2.
#' @param n Number of units.
#' @param draws Draws per unit.
#' @param delta The location shift \eqn{\Delta}.
#' @param delta_lambda The change \eqn{\Delta_\lambda} of the exponential rate (DGP 2).
#' @param fuzzy Fuzzy design?
#' @param seed Seed; `NULL` takes one from R's random number generator, so `set.seed()`
#'   makes the call reproducible.
#' @return A list with `X`, `Y_list` (a list of draw vectors), `T` (the treatment; the
#'   side indicator in a sharp design), and the settings.
#' @seealso [r3d_true_effect()] for the estimand.
#' @examples
#' sim <- r3d_simulate(dgp = 2, n = 200, draws = 50, delta = 1, seed = 3)
#' str(sim$Y_list[1:2])
#' @export
r3d_simulate <- function(dgp = 1, n = 500, draws = n, delta = 0, delta_lambda = 0.5,
                         fuzzy = FALSE, seed = NULL) {
  check_number(dgp, "dgp", "r3d_simulate", integer = TRUE)
  check_number(n, "n", "r3d_simulate", integer = TRUE)
  check_number(draws, "draws", "r3d_simulate", integer = TRUE)
  check_number(delta, "delta", "r3d_simulate")
  check_number(delta_lambda, "delta_lambda", "r3d_simulate")
  check_flag(fuzzy, "fuzzy", "r3d_simulate")
  seed <- resolve_seed(seed, "r3d_simulate")
  d <- call_core(.rddist_simulate(as.integer(dgp), n, draws, delta, delta_lambda, fuzzy, seed))
  Y_list <- lapply(seq_len(ncol(d$draws)), function(i) d$draws[, i])
  list(X = d$x, Y_list = Y_list, T = d$treatment, dgp = dgp, delta = delta,
       delta_lambda = delta_lambda, fuzzy = fuzzy, seed = seed)
}

#' True effect of the simulation designs
#'
#' The estimand \eqn{\tau(q)} of [r3d_simulate()]'s designs: \eqn{\Delta} for DGP 1;
#' for DGP 2 \eqn{\Delta + E_\lambda[G^{-1}_{\lambda + \Delta_\lambda}(q)] - E_\lambda[G^{-1}_\lambda(q)]},
#' with \eqn{G_\lambda} the distribution function of \eqn{N(0, 1) + 2\,\mathrm{Exp}(\lambda)},
#' computed by quadrature.
#' @inheritParams r3d_simulate
#' @param q Quantile levels in (0, 1).
#' @return A numeric vector, one effect per level.
#' @examples
#' r3d_true_effect(q = c(0.1, 0.5, 0.9), dgp = 2, delta = 1)
#' @export
r3d_true_effect <- function(q, dgp = 1, delta = 0, delta_lambda = 0.5) {
  check_number(dgp, "dgp", "r3d_true_effect", integer = TRUE)
  if (!is.numeric(q) || any(!is.finite(q)) || any(q <= 0 | q >= 1)) {
    stop_arg("r3d_true_effect: q must be levels strictly between 0 and 1")
  }
  call_core(.rddist_true_effect(as.integer(dgp), delta, delta_lambda, as.numeric(q)))
}

# A seed for the core: the given one (a whole number in [0, 2^53)), or one drawn from R's
# generator so that set.seed() governs it.
resolve_seed <- function(seed, where) {
  if (is.null(seed)) return(as.numeric(sample.int(.Machine$integer.max, 1L)))
  ok <- is.numeric(seed) && length(seed) == 1L && is.finite(seed) && seed >= 0 &&
    seed == round(seed) && seed < 2^53
  if (!ok) stop_arg(where, ": seed must be a whole number between 0 and 2^53")
  as.numeric(seed)
}
