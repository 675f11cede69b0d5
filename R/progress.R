# Feedback during long computations: progress bars (the cli package), stage lines, or
# nothing. The core reports (stage, fraction done) through its hooks; the glue calls the
# function made here from the R thread, at most once per percent of a stage.
#
#   verbose = NULL (default)  a progress bar per stage when R is interactive and
#                             getOption("rddist.progress", TRUE) is TRUE (cli shows a bar
#                             only for stages that last more than about two seconds)
#   verbose = TRUE            one line per stage as it finishes, with the elapsed time
#   verbose = FALSE           silent
# getOption("rddist.progress") may also be a function(stage, fraction), which then
# receives every report whatever `verbose` and interactivity say (unless verbose = FALSE).

# The core's feedback arguments for `verbose`: list(verbose = , progress = ).
core_feedback <- function(verbose, where) {
  if (!is.null(verbose)) check_flag(verbose, "verbose", where)
  if (isFALSE(verbose)) return(list(verbose = FALSE, progress = NULL))
  option <- getOption("rddist.progress", TRUE)
  progress <- if (is.function(option)) {
    option
  } else if (is.null(verbose) && isTRUE(option) && interactive() &&
             requireNamespace("cli", quietly = TRUE)) {
    cli_progress_reporter()
  }
  list(verbose = isTRUE(verbose), progress = progress)
}

# A function(stage, fraction) drawing one cli progress bar per stage. A bar that cannot
# be drawn never stops the computation it reports on.
cli_progress_reporter <- function() {
  state <- new.env(parent = baseenv())  # cli evaluates its format strings here
  state$stage <- ""
  state$id <- NULL
  function(stage, fraction) {
    tryCatch(update_bar(state, stage, fraction), error = function(e) NULL)
    invisible(NULL)
  }
}

# One report on the bar of its stage, opening and closing bars as stages change.
update_bar <- function(state, stage, fraction) {
  if (!identical(stage, state$stage)) {
    if (!is.null(state$id)) cli::cli_progress_done(id = state$id, .envir = state)
    state$stage <- stage
    state$id <- cli::cli_progress_bar(name = paste("rddist:", stage), total = 100,
                                      clear = TRUE, .envir = state)
  }
  cli::cli_progress_update(set = round(100 * fraction), id = state$id, .envir = state)
  if (fraction >= 1) {
    cli::cli_progress_done(id = state$id, .envir = state)
    state$id <- NULL
    state$stage <- ""
  }
}
