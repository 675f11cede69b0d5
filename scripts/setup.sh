#!/usr/bin/env bash
# README command 1: set everything up on a fresh Debian machine and run the main job.
#   installs the system packages, builds the C++ library and tool, installs the R
#   package, then estimates the effect of a Democratic governor on the family income
#   distribution in the bundled example data (inst/extdata/governors.csv.gz), first with
#   the command-line tool (CSV, JSON and SVG in out/), then from R.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# The tarball carries the built vignettes, so vignette("getting-started", "rddist") works
# after the install. Both steps compile the package; MAKEFLAGS uses every core for that.
export MAKEFLAGS="-j$(nproc 2>/dev/null || echo 2)"
mkdir -p build/r
(cd build/r && rm -f rddist_*.tar.gz && R CMD build ../.. >/dev/null)
R CMD INSTALL build/r/rddist_*.tar.gz
mkdir -p out
build/cli/rddist estimate inst/extdata/governors.csv.gz --id state,year --x dem_share \
  --y income_pov --weight famwgt --cluster state --cutoff 0.5 --quantiles 0.05:0.95:0.05 \
  --seed 1 --test nullity,homogeneity,gini --functional mean,gini,q90-q10 \
  --out out/governors_effect.csv --json out/governors_effect.json --plot out/governors_effect.svg
echo "wrote out/governors_effect.csv, out/governors_effect.json and out/governors_effect.svg"
Rscript scripts/example.R
# The installed vignettes (vignette("getting-started", "rddist") opens the first).
Rscript -e 'v <- vignette(package = "rddist")$results; stopifnot(nrow(v) >= 2); print(v[, c("Item", "Title")], right = FALSE)'
