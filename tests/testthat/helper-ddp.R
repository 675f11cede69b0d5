# MDPs of the worked examples T1-T10 (doc/ddp.md §7) as transition tables.
ddp_chain <- data.frame(state = c("s0", "s1", "s2"), action = "go", prob = 1,
                        reward = c(1, 2, 3), next_state = c("s1", "s2", NA))
ddp_bandit <- data.frame(state = "s", action = c("S", "R", "R"), prob = c(1, 0.9, 0.1),
                         reward = c(0, 10, -50), next_state = NA)
ddp_two_step <- function(second = c("G", "R")) {
  second <- match.arg(second)
  p <- if (second == "G") c(0.5, 0.5) else c(0.75, 0.25)
  data.frame(state = c("s0", "s0", "s1", "s1", "s1"),
             action = c("go", "go", "S", second, second),
             prob = c(0.5, 0.5, 1, p), reward = c(0, 10, 0, 10, -10),
             next_state = c("s1", "s1", NA, NA, NA))
}
ddp_coin <- data.frame(state = "s", action = "flip", prob = 0.5, reward = c(1, -1), next_state = "s")
ddp_homeo <- data.frame(state = "s", action = c("A", "B", "B"), prob = c(1, 0.5, 0.5),
                        reward = c(6, 0, 14), next_state = NA)
ddp_gambler <- data.frame(state = "s", action = c("safe", "gamble", "gamble"),
                          prob = c(1, 0.5, 0.5), reward = c(0, 1, -1), next_state = "s")
ddp_expo <- data.frame(state = c("s0", "s1", "s1", "s1"), action = c("go", "A", "B", "B"),
                       prob = c(1, 1, 0.5, 0.5), reward = c(0, 0.9, 0, 4),
                       next_state = c("s1", NA, NA, NA))
ddp_median <- data.frame(state = c("s0", "s0", "s1", "s1", "s1", "s2"),
                         action = c("go", "go", "a", "b", "b", "pay"),
                         prob = c(0.5, 0.5, 1, 0.5, 0.5, 1), reward = c(0, 0, 0, -1, 10, 5),
                         next_state = c("s1", "s2", NA, NA, NA, NA))

# Action chosen in `state` at `stock` (and `time`) according to a fit's policy table.
ddp_action <- function(fit, state, stock, time = NULL) {
  p <- fit$policy
  rows <- p$state == state & abs(p$stock - stock) < 1e-9
  if (!is.null(time)) rows <- rows & p$time == time
  stopifnot(sum(rows) == 1)
  as.character(p$action[rows])
}

# The README's example (T3 with reward 10 for the gamble) and a seeded random MDP of
# `states` states, 4 actions and 3 outcomes (rewards uniform on [-1, 1], no termination).
ddp_readme <- ddp_two_step("G")
ddp_random <- function(states, seed = 1) {
  set.seed(seed)
  rows <- expand.grid(k = 1:3, action = paste0("a", 1:4), state = paste0("s", seq_len(states)),
                      stringsAsFactors = FALSE)
  w <- stats::rexp(nrow(rows))
  rows$prob <- w / ave(w, rows$state, rows$action, FUN = sum)
  rows$reward <- stats::runif(nrow(rows), -1, 1)
  rows$next_state <- sample(paste0("s", seq_len(states)), nrow(rows), replace = TRUE)
  rows[, c("state", "action", "prob", "reward", "next_state")]
}
