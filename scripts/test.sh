#!/usr/bin/env bash
# README command 2: run every test.
#   1. C++: Catch2 unit tests (golden-file parity), CLI end-to-end tests, the downstream
#      find_package(rddist) project and the consistency checks, all through ctest;
#   2. the C++ and CLI suites again with Debian's reference BLAS and LAPACK preloaded in
#      place of OpenBLAS, so that no test passes only with one library's rounding;
#   3. R: R CMD build, then R CMD check --as-cran of the tarball (testthat suite,
#      examples, vignettes). The check fails this script on any ERROR or WARNING and on
#      any NOTE other than the accepted top-level 'include' folder and 'new submission'.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/build.sh
(cd build && ctest --output-on-failure -j 2)

# The test binaries link OpenBLAS; preloading the reference libraries makes every BLAS and
# LAPACK call resolve to them (the test "[blas]" checks that it did).
arch=$(gcc -print-multiarch)
reference="/usr/lib/$arch/blas/libblas.so.3:/usr/lib/$arch/lapack/liblapack.so.3"
echo "C++ and CLI suites with the reference BLAS/LAPACK ($reference)"
(cd build && LD_PRELOAD="$reference" RDDIST_EXPECT_BLAS=reference \
  ctest --output-on-failure -j 2 -E "downstream_find_package|golden_files_unchanged|core_source_list|r_glue_registration")

export MAKEFLAGS="-j$(nproc 2>/dev/null || echo 2)"  # R's compilation on every core
check_dir=$(mktemp -d)
trap 'rm -rf "$check_dir"' EXIT
(cd "$check_dir" && R CMD build "$root" >build.log 2>&1) || { cat "$check_dir/build.log"; exit 1; }
tarball=$(ls "$check_dir"/rddist_*.tar.gz)
# Environment: the machine has no network (skip the clock and CRAN-incoming lookups)
# (the shared library is stripped of debug sections by src/Makevars).
export _R_CHECK_SYSTEM_CLOCK_=0 _R_CHECK_CRAN_INCOMING_REMOTE_=false
(cd "$check_dir" && R CMD check --as-cran --no-manual "$tarball" >check.log 2>&1) || true
log="$check_dir/rddist.Rcheck/00check.log"
cat "$log"
status=0
grep -q "^Status: OK" "$log" || grep -q "^Status: [0-9]* NOTE" "$log" || status=1
# Every NOTE must be one of the accepted ones.
notes=$(grep -E "^\* checking .* \.\.\. NOTE" "$log" | grep -v -E "top-level files|CRAN incoming feasibility" || true)
if [ -n "$notes" ]; then echo "unexpected NOTE(s):"; echo "$notes"; status=1; fi
if [ $status -ne 0 ]; then
  echo "R CMD check failed"
  [ -d "$check_dir/rddist.Rcheck/tests" ] && cat "$check_dir"/rddist.Rcheck/tests/*.Rout.fail 2>/dev/null || true
  exit 1
fi
echo "all tests passed"
