# Scalar limit against rdrobust on its Senate data: with one draw per unit rddist's
# "simple" fit at q = 0.5 is rdrobust's conventional estimate, with covariates, for every
# kernel, order p = 1, 2, a common or a per-side bandwidth and each of HC0, HC2, HC3.
# Prints the largest relative difference in the estimate and the standard error over the
# 36 cases (tests/testthat/test-rdrobust.R checks each to 1e-8).
#   Rscript validation/rdrobust_parity.R
library(rddist)
e <- new.env(); utils::data("rdrobust_RDsenate", package = "rdrobust", envir = e); d <- e$rdrobust_RDsenate
d <- d[stats::complete.cases(d[c("vote","margin","class","termshouse","termssenate","population")]), ]
d$population <- d$population / 1e6
covs <- as.matrix(d[c("class","termshouse","termssenate","population")]); y <- as.list(d$vote)
worst <- 0
for (kernel in c("triangular","epanechnikov","uniform")) for (p in 1:2) for (h in list(15, c(12,20))) for (vce in c("hc0","hc2","hc3")) {
  ref <- rdrobust::rdrobust(d$vote, d$margin, covs = covs, p = p, h = h, kernel = kernel, vce = vce)
  bw <- if (length(h) == 1) h else list(minus = h[1], plus = h[2])
  fit <- r3d(d$margin, y, covs = covs, p = p, bandwidths = bw, kernel = kernel, method = "simple", q_grid = 0.5, B = 99, seed = 1, vce = vce)
  worst <- max(worst, abs(fit$tau / ref$coef[1,1] - 1), abs(fit$se / ref$se[1,1] - 1))
}
cat("Senate, 36 cases: max relative difference in tau and se:", format(worst, digits = 3), "\n")
