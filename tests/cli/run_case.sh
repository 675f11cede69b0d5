#!/bin/sh
# run_case.sh — one end-to-end CLI test case, driven by ctest.
#
#   run_case.sh fails CODE FRAGMENT -- COMMAND...
#       COMMAND must exit with CODE and print FRAGMENT (on standard error, or for CODE 0
#       possibly on standard output, e.g. --help); errors must start "rddist: error: ".
#   run_case.sh lacks CODE FRAGMENT -- COMMAND...
#       COMMAND must exit with CODE and print FRAGMENT nowhere (stale or internal text).
#   run_case.sh parity GOLDEN RTOL MAP... -- COMMAND...
#       COMMAND must exit 0; its standard output (the result CSV) must match GOLDEN on the
#       mapped columns (actual=golden) to relative error RTOL (see cli_check.cpp).
#   run_case.sh same REFERENCE_OUTPUT -- COMMAND...
#       COMMAND must exit 0 and print exactly REFERENCE_OUTPUT (byte for byte).
# Environment: CLI_CHECK (the comparator), WORK (a scratch directory).
set -u
mode=$1
shift
tmp=${WORK:-/tmp}/case.$$
out=$tmp.out
err=$tmp.err
trap 'rm -f "$out" "$err"' EXIT

show() {
  echo "command: $*"
  echo "exit code: $code"
  echo "--- stderr:"
  head -c 2000 "$err"
  echo "--- stdout (first lines):"
  head -n 5 "$out"
}

# Runs the command; fails the case unless it exits with the wanted code.
run_expecting() {
  want=$1
  shift
  "$@" >"$out" 2>"$err"
  code=$?
  if [ "$code" != "$want" ]; then
    echo "FAIL: expected exit code $want"
    show "$@"
    exit 1
  fi
}

case $mode in
  fails | lacks)
    want_code=$1
    fragment=$2
    shift 3
    run_expecting "$want_code" "$@"
    if [ "$mode" = lacks ]; then
      if grep -qF -- "$fragment" "$err" "$out"; then
        echo "FAIL: the output contains: $fragment"
        grep -F -- "$fragment" "$err" "$out" | head -n 3
        exit 1
      fi
      echo "ok: exit $code, no '$fragment'"
      exit 0
    fi
    if ! grep -qF -- "$fragment" "$err" && ! grep -qF -- "$fragment" "$out"; then
      echo "FAIL: neither standard error nor standard output contains: $fragment"
      show "$@"
      exit 1
    fi
    if [ "$want_code" != 0 ] && ! grep -q '^rddist: error: ' "$err"; then
      echo "FAIL: the message does not start with 'rddist: error: '"
      show "$@"
      exit 1
    fi
    echo "ok: exit $code, message: $(grep -m1 -F -- "$fragment" "$err" "$out" | head -n 1)"
    ;;
  parity)
    golden=$1
    rtol=$2
    shift 2
    maps=""
    while [ "$1" != "--" ]; do
      maps="$maps $1"
      shift
    done
    shift
    run_expecting 0 "$@"
    # shellcheck disable=SC2086
    "$CLI_CHECK" csv "$out" "$golden" "$rtol" $maps || { show "$@"; exit 1; }
    ;;
  same)
    reference=$1
    shift 2
    run_expecting 0 "$@"
    if ! cmp -s "$out" "$reference"; then
      echo "FAIL: output differs from $reference"
      diff "$out" "$reference" | head -n 20
      exit 1
    fi
    echo "ok: identical to $(basename "$reference")"
    ;;
  *)
    echo "run_case.sh: unknown mode $mode"
    exit 2
    ;;
esac
