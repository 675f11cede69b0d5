#!/usr/bin/env bash
# README command 1: set everything up on a fresh Debian machine and run the main job.
#   installs the system packages, builds the C++ library and tool, installs the R
#   package, then estimates the effect of a Democratic governor on the family income
#   distribution in the bundled example data (inst/extdata/governors.csv.gz).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p build/r
(cd build/r && rm -f rddist_*.tar.gz && R CMD build --no-build-vignettes ../.. >/dev/null)
R CMD INSTALL build/r/rddist_*.tar.gz
mkdir -p out
Rscript scripts/example.R
