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
mkdir -p build/r
(cd build/r && rm -f rddist_*.tar.gz && R CMD build --no-build-vignettes ../.. >/dev/null)
R CMD INSTALL build/r/rddist_*.tar.gz
mkdir -p out
build/cli/rddist estimate inst/extdata/governors.csv.gz --id state,year --x dem_share \
  --y income_pov --weight famwgt --cluster state --cutoff 0.5 --quantiles 0.05:0.95:0.05 \
  --seed 1 --test nullity,homogeneity,gini --functional mean,gini,q90-q10 \
  --out out/governors_effect.csv --json out/governors_effect.json --plot out/governors_effect.svg
echo "wrote out/governors_effect.csv, out/governors_effect.json and out/governors_effect.svg"
Rscript scripts/example.R
