#' Distributional dynamic programming with stock augmentation
#'
#' Finds a policy maximising a criterion of the whole return distribution of a finite Markov
#' decision process, such as the probability of reaching a target, the CVaR, a mean-CVaR
#' trade-off, a quantile, or closeness to a target (homeostasis). The state is augmented
#' with the stock \eqn{c_{t+1} = (c_t + r_{t+1})/\gamma}{c[t+1] = (c[t] + r[t+1])/gamma},
#' which makes greedy dynamic programming exact for expected utilities
#' \eqn{E f(c_0 + G)} whose utility satisfies \eqn{f(\gamma z) = a f(z) + b}{f(gamma z) = a f(z) + b}
#' (Avila Pires et al. 2025). Other criteria (for example an exponential utility with
#' \eqn{\gamma < 1}, or a quantile taken directly) are refused with the reason, unless
#' `force = TRUE`.
#'
#' With a `horizon`, or an MDP without cycles, the stocks reachable from `start_state` are
#' enumerated exactly, and the value and policy are exact whatever the representation.
#' Otherwise the stock lives on a grid (`stock_grid`, by default `stock_points` points over
#' the range of the return) with stochastic rounding, and the value is that of the rounded
#' model; for piecewise-linear utilities the expected-return policy is used outside that
#' range, where it is optimal. Decisions use the values of the dynamic program only; the
#' return distribution is computed afterwards for reporting, in the `representation`, and
#' `law_error_bound` bounds its Wasserstein-1 error. Every solution is re-evaluated by
#' running the policy with the true stock, exactly when possible, else by Monte Carlo with
#' `episodes` episodes from `seed`.
#'
#' @param transitions A data frame with one row per outcome and columns `state`, `action`,
#'   `prob`, `reward` and `next_state` (`NA` for termination). States and actions may be
#'   character, factor or integer; the order of first appearance breaks ties.
#' @param gamma Discount factor in (0, 1]; 1 needs a `horizon` or an MDP in which every
#'   policy terminates.
#' @param objective What to maximise: [ddp_mean()] (default), [ddp_threshold()],
#'   [ddp_cvar()], [ddp_mean_cvar()], [ddp_homeostatic()], [ddp_quantile()], [ddp_hinge()],
#'   [ddp_exponential()] or [ddp_utility()].
#' @param representation How the reported return distributions are stored: `"auto"`
#'   (exact with exact stock enumeration, else categorical), `"categorical"` (`atoms`
#'   evenly spaced atoms over the range of the return), `"quantile"` (`atoms` equal-mass
#'   atoms) or `"exact"` (all atoms; needs exact stock enumeration). A warning says when
#'   an approximate representation cannot resolve the goal (a threshold between its atoms).
#' @param atoms Number of atoms of the categorical or quantile representation.
#' @param stock_grid Optional increasing grid of stocks; implies stock handling on a grid.
#' @param horizon Optional number of steps after which the episode stops.
#' @param method `"value_iteration"` or `"policy_iteration"` (stock grids without a horizon).
#' @param start_state The initial state (default: the first state of `transitions`).
#' @param ... Reserved; unknown arguments are an error.
#' @param stock `"auto"`, `"exact"` (enumerate the reachable stocks) or `"grid"`.
#' @param stock_points Number of evenly spaced points of the default stock grid; the start
#'   stock is added as a further point when it falls between two of them.
#' @param rounding `"stochastic"` or `"nearest"` rounding of off-grid stocks.
#' @param tolerance Value iteration stops when no value (nor expected return) moves by
#'   more than this in a sweep.
#' @param law_tolerance On a stock grid, the reported distributions are iterated until none
#'   moves by more than this in Wasserstein-1 distance in a sweep. `NULL` (default): until
#'   their remaining iteration error is at most 1% of the representation's own error
#'   bound, or `tolerance` if that is larger.
#' @param max_iterations Maximum number of sweeps (value iteration) or improvements
#'   (policy iteration).
#' @param max_nodes Maximum number of (state, time, stock) nodes of exact enumeration.
#' @param closed_form Use the closed form outside the relevant stock range.
#' @param force Solve objectives that greedy dynamic programming cannot optimise anyway
#'   (with a warning).
#' @param evaluation Re-evaluation with the true stock: `"auto"`, `"exact"`,
#'   `"monte_carlo"` or `"none"`.
#' @param episodes,seed Monte Carlo episodes and seed of the re-evaluation.
#' @param verbose Feedback during the solve, as in [r3d()]: `NULL` (default) a progress bar
#'   of the value-iteration sweeps when interactive, `TRUE` a line per stage, `FALSE` silent.
#'
#' @return An object of class `rddist_ddp`: `policy` (a data frame with `state`, `stock`, `action`
#'   and, with a horizon, `time`), `value` (the objective according to the dynamic program),
#'   `value_true_stock` (the policy re-evaluated with the true stock; details in
#'   `true_stock`), `mean` and `risk_neutral_mean` (expected returns of the optimal and of
#'   the expected-return-maximising policy), `return_distribution` and `risk_neutral` (data
#'   frames `value`, `prob`: the laws of the return from the start under the two policies,
#'   in the representation used, `representation`; `law_error_bound` bounds their W1
#'   error), `start_state`, `start_stock` (searched for CVaR and quantile objectives;
#'   `search` lists the candidates), `iterations`, `converged`, `residual`, and the settings.
#'
#' @references Avila Pires, B., Rowland, M., Borsa, D., Guo, Z. D., Khetarpal, K.,
#'   Barreto, A., Abel, D., Munos, R. and Dabney, W. (2025). Optimizing Return Distributions
#'   with Distributional Dynamic Programming. arXiv:2501.13028.
#' @examples
#' # Reach a total of 8: after a good first step play safe, after a bad one gamble.
#' tr <- data.frame(
#'   state = c("s0", "s0", "s1", "s1", "s1"),
#'   action = c("go", "go", "safe", "gamble", "gamble"),
#'   prob = c(0.5, 0.5, 1, 0.5, 0.5),
#'   reward = c(0, 10, 0, 10, -10),
#'   next_state = c("s1", "s1", NA, NA, NA)
#' )
#' fit <- ddp_solve(tr, gamma = 1, objective = ddp_threshold(8), representation = "exact")
#' fit
#' fit$policy
#' @export
ddp_solve <- function(transitions, gamma, objective = ddp_mean(),
                      representation = c("auto", "categorical", "quantile", "exact"), atoms = 101,
                      stock_grid = NULL, horizon = NULL,
                      method = c("value_iteration", "policy_iteration"), start_state = NULL, ...,
                      stock = c("auto", "exact", "grid"), stock_points = 201,
                      rounding = c("stochastic", "nearest"), tolerance = 1e-8, law_tolerance = NULL,
                      max_iterations = 10000, max_nodes = 1e6, closed_form = TRUE,
                      force = FALSE, evaluation = c("auto", "exact", "monte_carlo", "none"),
                      episodes = 10000, seed = 1, verbose = NULL) {
  call <- match.call()
  where <- "ddp_solve"
  check_dots(..., where = where)
  representation <- match.arg(representation)
  method <- match.arg(method)
  stock <- match.arg(stock)
  rounding <- match.arg(rounding)
  evaluation <- match.arg(evaluation)
  tr <- check_transitions(transitions)
  check_number(gamma, "gamma", where)
  if (!inherits(objective, "rddist_ddp_objective")) {
    stop_arg("ddp_solve: objective must be made by ddp_mean(), ddp_threshold(), ddp_cvar(), ",
             "ddp_mean_cvar(), ddp_homeostatic(), ddp_quantile(), ddp_hinge(), ",
             "ddp_exponential() or ddp_utility()")
  }
  check_number(atoms, "atoms", where, positive = TRUE, integer = TRUE)
  if (!is.null(stock_grid)) {
    if (!is.numeric(stock_grid) || length(stock_grid) < 2L || anyNA(stock_grid)) {
      stop_arg("ddp_solve: stock_grid must be a numeric vector of at least 2 increasing stocks")
    }
  }
  if (is.null(horizon)) {
    horizon <- 0
  } else {
    check_number(horizon, "horizon", where, positive = TRUE, integer = TRUE)
  }
  if (is.null(start_state)) {
    start_state <- tr$state[1]
  } else {
    if (length(start_state) != 1L || is.na(start_state)) {
      stop_arg("ddp_solve: start_state must be a single state")
    }
    start_state <- as.character(start_state)
    if (!start_state %in% tr$state) {
      stop_arg("ddp_solve: start_state '", start_state, "' is not a state of transitions")
    }
  }
  check_number(stock_points, "stock_points", where, positive = TRUE, integer = TRUE)
  check_number(tolerance, "tolerance", where, positive = TRUE)
  if (is.null(law_tolerance)) {
    law_tolerance <- 0
  } else {
    check_number(law_tolerance, "law_tolerance", where, positive = TRUE)
  }
  check_number(max_iterations, "max_iterations", where, positive = TRUE, integer = TRUE)
  check_number(max_nodes, "max_nodes", where, positive = TRUE, integer = TRUE)
  check_number(episodes, "episodes", where, positive = TRUE, integer = TRUE)
  check_number(seed, "seed", where, integer = TRUE)
  if (seed < 0) stop_arg("ddp_solve: seed must be a non-negative whole number")
  check_flag(closed_form, "closed_form", where)
  check_flag(force, "force", where)
  feedback <- core_feedback(verbose, where)

  options <- list(
    representation = representation, atoms = as.numeric(atoms), stock = stock,
    stock_grid = if (is.null(stock_grid)) NULL else as.numeric(stock_grid),
    stock_points = as.numeric(stock_points), rounding = rounding, method = method,
    max_iterations = as.numeric(max_iterations), tolerance = as.numeric(tolerance),
    law_tolerance = as.numeric(law_tolerance),
    closed_form = closed_form, force = force, max_nodes = as.numeric(max_nodes),
    start_state = start_state, evaluation = evaluation, episodes = as.numeric(episodes),
    seed = as.numeric(seed), verbose = feedback$verbose, progress = feedback$progress
  )
  res <- tryCatch(
    .rddist_ddp_solve(tr$state, tr$action, tr$prob, tr$reward, tr$next_state,
                      as.numeric(gamma), as.numeric(horizon), unclass(objective), options),
    error = function(e) stop(conditionMessage(e), call. = FALSE))
  emit_warnings(ddp_warning_text(res$warnings))

  policy <- data.frame(state = tr$state_out(res$policy$state), stringsAsFactors = FALSE)
  if (horizon > 0) policy$time <- as.integer(res$policy$time)
  policy$stock <- res$policy$stock
  policy$action <- tr$action_out(res$policy$action)
  law <- function(l) data.frame(value = l$value, prob = l$prob)
  search <- if (length(res$search$start_stock)) {
    data.frame(start_stock = res$search$start_stock, value = res$search$value)
  } else {
    NULL
  }
  fit <- list(
    policy = policy,
    value = res$value,
    value_true_stock = if (res$true_stock$method == "none") NA_real_ else res$true_stock$value,
    true_stock = c(res$true_stock, list(returns = law(res$true_returns))),
    mean = res$mean,
    risk_neutral_mean = res$risk_neutral_mean,
    return_distribution = law(res$returns),
    risk_neutral = law(res$risk_neutral),
    law_error_bound = res$law_error_bound,
    start_state = tr$state_out(res$start_state),
    start_stock = res$start_stock,
    search = search,
    iterations = as.integer(res$iterations),
    sweeps = as.integer(res$sweeps),
    converged = res$converged,
    residual = res$residual,
    objective = objective,
    goal = res$goal,
    utility = res$utility,
    gamma = gamma,
    horizon = if (horizon > 0) as.integer(horizon) else NULL,
    representation = res$representation,
    atoms = if (res$representation == "exact") NULL else as.integer(atoms),
    stock = res$stock_mode,
    stock_grid = if (res$stock_mode == "grid") res$stock_grid else NULL,
    nodes = if (res$stock_mode == "exact") as.integer(res$nodes) else NULL,
    support = res$support,
    method = method,
    seconds = res$seconds,
    call = call
  )
  class(fit) <- "rddist_ddp"
  fit
}

# The core's warnings in ddp_solve()'s words: they arrive spelled for R (spell_r in
# src/r/arguments.cpp) and are prefixed here as the errors are by the glue.
ddp_warning_text <- function(m) {
  if (length(m)) m <- paste0("ddp_solve: ", m)
  m
}

# Checks the transition table and converts labels to character, remembering how to turn
# them back into the user's type (character, factor, integer or numeric).
check_transitions <- function(transitions) {
  if (!is.data.frame(transitions)) {
    stop_arg("ddp_solve: transitions must be a data frame with columns state, action, prob, ",
             "reward, next_state")
  }
  need <- c("state", "action", "prob", "reward", "next_state")
  missing <- setdiff(need, names(transitions))
  if (length(missing)) {
    stop_arg("ddp_solve: transitions lacks column(s) ", paste(missing, collapse = ", "))
  }
  if (nrow(transitions) == 0L) stop_arg("ddp_solve: transitions has no rows")
  labels <- function(x, name, allow_na = FALSE) {
    ok <- is.character(x) || is.factor(x) || is.numeric(x) || is.logical(x) && all(is.na(x))
    if (!ok) stop_arg("ddp_solve: ", name, " must be character, factor or integer")
    if (is.numeric(x) && any(!is.na(x) & (x != round(x)))) {
      stop_arg("ddp_solve: numeric ", name, " values must be whole numbers")
    }
    out <- as.character(x)
    bad <- which(is.na(out))
    if (!allow_na && length(bad)) {
      stop_arg("ddp_solve: ", name, " is missing in row ", bad[1], "; every row needs a ", name)
    }
    out
  }
  numbers <- function(x, name) {
    if (!is.numeric(x)) stop_arg("ddp_solve: ", name, " must be numeric")
    bad <- which(!is.finite(x))
    if (length(bad)) {
      stop_arg("ddp_solve: ", name, " is missing or not finite in row ", bad[1])
    }
    as.numeric(x)
  }
  converter <- function(x) {
    if (is.factor(x)) {
      lv <- levels(x)
      return(function(v) factor(v, levels = lv))
    }
    if (is.integer(x)) return(function(v) as.integer(v))
    if (is.numeric(x)) return(function(v) as.numeric(v))
    function(v) v
  }
  list(
    state = labels(transitions$state, "state"),
    action = labels(transitions$action, "action"),
    prob = numbers(transitions$prob, "prob"),
    reward = numbers(transitions$reward, "reward"),
    next_state = labels(transitions$next_state, "next_state", allow_na = TRUE),
    state_out = converter(transitions$state),
    action_out = converter(transitions$action)
  )
}

new_objective <- function(kind, ..., label) {
  structure(list(kind = kind, ..., label = label), class = "rddist_ddp_objective")
}

check_tau <- function(tau, where, open_right = TRUE) {
  check_number(tau, "tau", where)
  if (tau <= 0 || tau > 1 || (open_right && tau == 1)) {
    stop_arg(where, ": tau must lie in (0, ", if (open_right) "1)" else "1]")
  }
}

#' Objectives for ddp_solve()
#'
#' Each constructor states what [ddp_solve()] maximises over stock-augmented policies.
#'
#' * `ddp_mean()`: the expected return \eqn{E G}.
#' * `ddp_threshold(b)`: the probability of success \eqn{P(G \ge b)}{P(G >= b)}.
#' * `ddp_cvar(tau)`: the conditional value at risk of the lower `tau` tail, found by a
#'   global search over the initial stock (Rockafellar-Uryasev). With `direct = TRUE`,
#'   greedy DP on the CVaR itself, which is refused unless forced.
#' * `ddp_mean_cvar(lambda, tau)`: \eqn{\lambda E G + (1 - \lambda) CVaR_\tau(G)}{lambda E G + (1 - lambda) CVaR_tau(G)}.
#' * `ddp_homeostatic(target, p)`: closeness to a target, \eqn{-E|G - T|^p}.
#' * `ddp_quantile(tau)`: the largest `tau`-quantile of the return (lower quantile), by a
#'   search over thresholds. With `direct = TRUE`, greedy DP on the quantile itself, which
#'   is refused unless forced (it is not linear in mixtures).
#' * `ddp_hinge(w_left, w_right, start_stock)`: \eqn{E f(c_0 + G)} with
#'   \eqn{f(z) = w_l \min(z, 0) + w_r \max(z, 0)}{f(z) = w_left min(z, 0) + w_right max(z, 0)}.
#' * `ddp_exponential(beta, start_stock)`: the exponential utility
#'   \eqn{(1 - e^{-\beta z})/\beta}{(1 - exp(-beta z))/beta}, refused for \eqn{\gamma < 1}.
#' * `ddp_utility(f, gamma_property, start_stock)`: \eqn{E f(c_0 + G)} for a vectorised R
#'   function `f`. Its property \eqn{f(\gamma z) = a f(z) + b}{f(gamma z) = a f(z) + b} is
#'   checked numerically, or given as `gamma_property = c(a, b)` (then verified).
#'
#' @param b Target level of the return.
#' @param tau Level of the tail, quantile or CVaR, in (0, 1).
#' @param lambda Weight of the mean in \[0, 1\].
#' @param target Target of homeostatic regulation.
#' @param p Power of the distance to the target.
#' @param direct Optimise the criterion greedily as it stands (refused unless forced).
#' @param w_left,w_right Slopes of a hinge utility below and above 0.
#' @param beta Risk aversion of the exponential utility (non-zero).
#' @param f A vectorised function of the total \eqn{c_0 + G}.
#' @param gamma_property Optional `c(a, b)` with \eqn{f(\gamma z) = a f(z) + b}.
#' @param start_stock The initial stock \eqn{c_0}.
#' @param name A name for printing.
#' @return An object of class `rddist_ddp_objective`.
#' @examples
#' ddp_cvar(0.25)
#' ddp_utility(function(z) pmin(z, 0), gamma_property = NULL)
#' @name ddp_objectives
NULL

#' @rdname ddp_objectives
#' @export
ddp_mean <- function() new_objective("mean", label = "expected return")

#' @rdname ddp_objectives
#' @export
ddp_threshold <- function(b) {
  check_number(b, "b", "ddp_threshold")
  new_objective("success", level = b, label = sprintf("P(G >= %s)", format(b)))
}

#' @rdname ddp_objectives
#' @export
ddp_cvar <- function(tau, direct = FALSE) {
  check_tau(tau, "ddp_cvar", open_right = FALSE)
  check_flag(direct, "direct", "ddp_cvar")
  if (direct) {
    return(new_objective("utility", utility = "cvar", tau = tau, start_stock = 0,
                         label = sprintf("CVaR_%s(G), greedy", format(tau))))
  }
  new_objective("cvar", tau = tau, label = sprintf("CVaR_%s(G)", format(tau)))
}

#' @rdname ddp_objectives
#' @export
ddp_mean_cvar <- function(lambda, tau) {
  check_number(lambda, "lambda", "ddp_mean_cvar")
  if (lambda < 0 || lambda > 1) stop_arg("ddp_mean_cvar: lambda must lie in [0, 1]")
  check_tau(tau, "ddp_mean_cvar", open_right = FALSE)
  new_objective("mean_cvar", lambda = lambda, tau = tau,
                label = sprintf("%s E G + %s CVaR_%s(G)", format(lambda), format(1 - lambda),
                                format(tau)))
}

#' @rdname ddp_objectives
#' @export
ddp_homeostatic <- function(target, p = 1) {
  check_number(target, "target", "ddp_homeostatic")
  check_number(p, "p", "ddp_homeostatic", positive = TRUE)
  new_objective("homeostatic", level = target, power = p,
                label = sprintf("-E|G - %s|^%s", format(target), format(p)))
}

#' @rdname ddp_objectives
#' @export
ddp_quantile <- function(tau, direct = FALSE) {
  check_tau(tau, "ddp_quantile")
  check_flag(direct, "direct", "ddp_quantile")
  if (direct) {
    return(new_objective("utility", utility = "quantile", tau = tau, start_stock = 0,
                         label = sprintf("%s-quantile of G, greedy", format(tau))))
  }
  new_objective("quantile", tau = tau, label = sprintf("%s-quantile of G", format(tau)))
}

#' @rdname ddp_objectives
#' @export
ddp_hinge <- function(w_left = 1, w_right = 0, start_stock = 0) {
  check_number(w_left, "w_left", "ddp_hinge")
  check_number(w_right, "w_right", "ddp_hinge")
  check_number(start_stock, "start_stock", "ddp_hinge")
  new_objective("utility", utility = "hinge", w_left = w_left, w_right = w_right,
                start_stock = start_stock,
                label = sprintf("E[%s min(c0 + G, 0) + %s max(c0 + G, 0)], c0 = %s",
                                format(w_left), format(w_right), format(start_stock)))
}

#' @rdname ddp_objectives
#' @export
ddp_exponential <- function(beta, start_stock = 0) {
  check_number(beta, "beta", "ddp_exponential")
  if (beta == 0) stop_arg("ddp_exponential: beta must be non-zero")
  check_number(start_stock, "start_stock", "ddp_exponential")
  new_objective("utility", utility = "exponential", beta = beta, start_stock = start_stock,
                label = sprintf("exponential utility, beta = %s", format(beta)))
}

#' @rdname ddp_objectives
#' @export
ddp_utility <- function(f, gamma_property = NULL, start_stock = 0, name = "custom") {
  if (!is.function(f)) stop_arg("ddp_utility: f must be a function")
  if (!is.null(gamma_property)) {
    if (!is.numeric(gamma_property) || length(gamma_property) != 2L || anyNA(gamma_property)) {
      stop_arg("ddp_utility: gamma_property must be c(a, b) with f(gamma z) = a f(z) + b")
    }
    gamma_property <- as.numeric(gamma_property)
  }
  check_number(start_stock, "start_stock", "ddp_utility")
  if (!is.character(name) || length(name) != 1L) stop_arg("ddp_utility: name must be a string")
  new_objective("utility", utility = "custom", fun = f, gamma_property = gamma_property,
                start_stock = start_stock, name = name,
                label = sprintf("E f(c0 + G) with f = %s, c0 = %s", name, format(start_stock)))
}

#' @param x A `ddp_objective`.
#' @param ... Ignored.
#' @rdname ddp_objectives
#' @export
print.rddist_ddp_objective <- function(x, ...) {
  cat("ddp objective:", x$label, "\n")
  invisible(x)
}
