#!/bin/sh
# ddp_cli.sh — `rddist dp` of two builds side by side on the DDP benchmark problems
# (bench/README.md, issue 16): wall time, peak resident memory and the reported values.
#
#   bench/ddp_cli.sh OLD_RDDIST NEW_RDDIST CSV_WRITER [WORK_DIR]
#
# CSV_WRITER is rddist_bench_ddp_csv (bench/ddp_csv.cpp). Each case runs the same command
# line with both binaries, one after the other; a run longer than LIMIT seconds (default
# 600) is stopped and shown as "> LIMIT". Values: the goal's value by DP, and with the true
# stock (± its Monte Carlo standard error when it has one).
set -eu
old=$1
new=$2
writer=$3
work=${4:-${TMPDIR:-/tmp}/rddist-ddp-bench}
limit=${LIMIT:-600}
mkdir -p "$work"
cd "$work"

"$writer" random 300 > random300.csv
"$writer" random 1000 > random1000.csv
"$writer" chain 32000 forward > chain32k_forward.csv
"$writer" chain 32000 reverse > chain32k_reverse.csv
"$writer" chain 200000 forward > chain200k_forward.csv
"$writer" binary 1000 > binary1000.csv

field() { sed -n "s/^ *\"$1\": \([^,]*\),*$/\1/p" "$2" | head -n 1; }

# run LABEL BINARY ARGS...: prints "wall_s peak_MB value true_value se" (or a timeout).
run() {
  bin=$1
  shift
  rm -f out.json
  if /usr/bin/time -f "%e %M" -o time.txt timeout "$limit" "$bin" dp "$@" --quiet \
      --json out.json > out.csv 2> err.txt; then
    read -r wall kb < time.txt
    echo "$wall $((kb / 1024)) $(field value out.json) $(field true_stock_value out.json) $(field true_stock_std_error out.json)"
  else
    echo ">$limit - - - -"
  fi
}

printf '%-34s %9s %9s %8s %9s %9s  %s\n' case old_s new_s ratio old_MB new_MB "value old | new (true stock old | new ± s.e.)"
bench() {
  label=$1
  shift
  o=$(run "$old" "$@")
  n=$(run "$new" "$@")
  set -- $o
  ow=$1 om=$2 ov=$3 ot=$4
  set -- $n
  nw=$1 nm=$2 nv=$3 nt=$4 ns=$5
  case $ow in
    ">"*) ratio=">$(echo "$limit / $nw" | bc -l | cut -c1-6)" ;;
    *) ratio=$(echo "$ow / $nw" | bc -l | cut -c1-6) ;;
  esac
  printf '%-34s %9s %9s %8s %9s %9s  %s | %s (%s | %s ± %s)\n' "$label" "$ow" "$nw" "$ratio" "$om" "$nm" "$ov" "$nv" "$ot" "$nt" "$ns"
}

bench "random 300, cvar:0.25" --transitions random300.csv --gamma 0.95 --goal cvar:0.25
bench "random 1000, cvar:0.25" --transitions random1000.csv --gamma 0.95 --goal cvar:0.25
bench "chain 32,000 forward, mean" --transitions chain32k_forward.csv --gamma 1 --start-state c0
bench "chain 32,000 reverse, mean" --transitions chain32k_reverse.csv --gamma 1 --start-state c0
bench "chain 200,000 forward, mean" --transitions chain200k_forward.csv --gamma 1 --start-state c0
bench "binary 1,000, mean, exact re-eval." --transitions binary1000.csv --gamma 1 --evaluation exact
