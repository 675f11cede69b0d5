#!/usr/bin/env bash
# Installs every system package rddist needs on Debian bookworm (R, its packages from
# Debian, the C++ libraries and tools), then the R packages that Debian does not ship
# (rdrobust, the scalar-limit oracle of the tests) from CRAN. Idempotent: only missing
# packages are installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates time
  r-base-dev r-cran-rcpp r-cran-rcpparmadillo r-cran-testthat r-cran-ggplot2
  r-cran-knitr r-cran-rmarkdown r-cran-generics r-cran-dbi r-cran-rsqlite r-cran-cli sqlite3
  pandoc qpdf
  libarmadillo-dev libopenblas-dev liblapack-dev libboost-math-dev
  catch2 libcli11-dev nlohmann-json3-dev zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} system packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# R packages from CRAN, into the site library every user's R searches.
cran=(rdrobust)
for p in "${cran[@]}"; do
  if Rscript -e "quit(status = !requireNamespace('$p', quietly = TRUE))" 2>/dev/null; then
    echo "install-deps: R package $p present"
  else
    echo "install-deps: installing R package $p from CRAN"
    $sudo Rscript -e "install.packages('$p', lib = '/usr/local/lib/R/site-library', repos = 'https://cloud.r-project.org')"
    Rscript -e "quit(status = !requireNamespace('$p', quietly = TRUE))" ||
      { echo "install-deps: R package $p did not install"; exit 1; }
  fi
done
