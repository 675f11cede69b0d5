library(testthat)
library(rddist)

test_check("rddist")
