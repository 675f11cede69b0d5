# Internal helpers: argument checks and calls into the C++ core.

# Runs a call into the core and re-raises its errors without the internal call, so the
# user sees "Error: r3d: <what to change>".
call_core <- function(expr) {
  tryCatch(expr, error = function(e) stop(conditionMessage(e), call. = FALSE))
}

# Emits warnings the core collected during a computation.
emit_warnings <- function(messages) {
  for (m in messages) warning(m, call. = FALSE)
}

stop_arg <- function(...) stop(paste0(...), call. = FALSE)

check_number <- function(x, name, where = "r3d", positive = FALSE, integer = FALSE) {
  ok <- is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x)
  if (ok && positive) ok <- x > 0
  if (ok && integer) ok <- x == round(x)
  if (!ok) {
    what <- if (integer) "a whole number" else if (positive) "a positive number" else "a finite number"
    stop_arg(where, ": ", name, " must be ", what)
  }
  invisible(x)
}

check_flag <- function(x, name, where = "r3d") {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) stop_arg(where, ": ", name, " must be TRUE or FALSE")
  invisible(x)
}

# Default number of threads for per-unit work.
default_threads <- function() {
  as.integer(getOption("rddist.threads", 1L))
}
