#!/bin/sh
# cli_read.sh — wall time, peak memory and reading share of `rddist estimate` at scale.
#
# Writes a 10,000,000-row long file (200,000 units × 50 draws, DGP1, rows shuffled) and
# its grouped twin with `rddist simulate`, then runs `rddist estimate` under
# /usr/bin/time -v with a fixed bandwidth, 99 quantile levels and B = 1000 bootstrap
# draws (Gaussian sampler, the default).
# Per-step timings come from the JSON report. Usage:
#   bench/cli_read.sh [RDDIST_BINARY] [WORK_DIR]
# (defaults: build/cli/rddist and a directory under /tmp; the files take about 0.9 GB).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rddist=${1:-$root/build/cli/rddist}
work=${2:-${TMPDIR:-/tmp}/rddist_cli_bench}
units=${UNITS:-200000}
draws=${DRAWS:-50}
mkdir -p "$work"
[ -x "$rddist" ] || { echo "no rddist binary at $rddist (build first: scripts/build.sh)"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }

shuffled=$work/long_${units}x${draws}_shuffled.csv
grouped=$work/long_${units}x${draws}_grouped.csv
if [ ! -s "$shuffled" ]; then
  "$rddist" simulate --dgp 1 --n "$units" --draws "$draws" --delta 1 --seed 1 --shuffle --quiet --out "$shuffled"
fi
if [ ! -s "$grouped" ]; then
  "$rddist" simulate --dgp 1 --n "$units" --draws "$draws" --delta 1 --seed 1 --quiet --out "$grouped"
fi
rows=$((units * draws))
parsed_mb=$(awk -v r="$rows" 'BEGIN { printf "%.0f", r * 16 / 1e6 }')  # y (8 B) + unit id and x per row (8 B)

json_value() {  # json_value FILE KEY: a number from the JSON report (one key per line)
  sed -n "s/^ *\"$2\": \([-0-9.eE+]*\),*\$/\1/p" "$1" | head -n 1
}

run() {  # run LABEL FILE OPTIONS...
  label=$1
  file=$2
  shift 2
  /usr/bin/time -v "$rddist" estimate "$file" --bandwidth 0.3 --quantiles 0.01:0.99:0.01 \
    --boot 1000 --quiet --out "$work/out.csv" --json "$work/report.json" "$@" 2>"$work/time.txt"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  user=$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")
  sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.txt")
  rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  read=$(json_value "$work/report.json" read)
  quant=$(json_value "$work/report.json" quantiles)
  est=$(json_value "$work/report.json" estimate)
  boot=$(sed -n 's/^ *"inference": \([-0-9.eE+]*\),*$/\1/p' "$work/report.json" | head -n 1)
  total=$(json_value "$work/report.json" total)
  mode=$(sed -n 's/^ *"read_mode": "\(.*\)",*$/\1/p' "$work/report.json")
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v k="$rss_kb" -v r="$read" \
      -v q="$quant" -v e="$est" -v b="$boot" -v t="$total" -v m="$mode" -v p="$parsed_mb" 'BEGIN {
    printf "%s (read mode: %s)\n", l, m
    printf "  wall %s (user %s s, sys %s s)\n", w, u, s
    printf "  peak RSS %.0f MB = %.2f x the parsed numeric data (%d MB)\n", k / 1024, k / 1024 / p, p
    printf "  steps: read %.2f s, quantiles %.2f s, estimate %.2f s, bootstrap %.2f s, total %.2f s\n", r, q, e, b, t
    printf "  reading share: %.0f%% (read), %.0f%% (read + quantiles)\n", 100 * r / t, 100 * (r + q) / t
  }'
}

echo "rddist estimate on $rows rows ($units units x $draws draws), 99 levels, B = 1000, $(nproc) cores"
run "unsorted input" "$shuffled"
run "grouped input, --sorted (streamed)" "$grouped" --sorted
