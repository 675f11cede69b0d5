# Parity with the reference package R3D 0.1.0: the largest relative error per golden file
# over every comparison the R package's tests make (tests/testthat, golden files in
# tests/testthat/fixtures). Needs the installed package:
#   R CMD INSTALL . && Rscript validation/parity_report.R
# Writes validation/results/parity.md. The tests themselves require every error ≤ 1e-8.
library(testthat)
log <- tempfile(fileext = ".tsv")
Sys.setenv(RDDIST_PARITY_LOG = log)
test_dir("tests/testthat", package = "rddist", load_package = "installed", reporter = "silent",
         stop_on_failure = TRUE)
d <- utils::read.delim(log, header = FALSE, col.names = c("file", "quantity", "error"),
                       quote = "")
d$file[d$file == ""] <- "(computed reference)"
by_file <- do.call(rbind, lapply(split(d, d$file), function(g) {
  data.frame(file = g$file[1], comparisons = nrow(g), max_rel_error = max(g$error),
             exact = sum(g$error == 0))
}))
by_file <- by_file[order(by_file$file), ]
lines <- c("# Parity of the R package with R3D 0.1.0's golden files", "",
           sprintf("%d comparisons over %d golden files; largest relative error %.2g.",
                   nrow(d), nrow(by_file), max(d$error)),
           "Reproduce: `R CMD INSTALL . && Rscript validation/parity_report.R`.", "",
           "| golden file | comparisons | exactly equal | max relative error |",
           "|---|---|---|---|",
           sprintf("| `%s` | %d | %d | %.2g |", by_file$file, by_file$comparisons, by_file$exact,
                   by_file$max_rel_error))
writeLines(lines, "validation/results/parity.md")
writeLines(lines)
