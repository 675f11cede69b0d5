#!/bin/sh
# make_inputs.sh DIR REFERENCE_DIR RDDIST GOVERNORS_CSV_GZ — writes the inputs of the
# end-to-end CLI tests.
#
# Valid variants of the golden long file (shuffled rows, CRLF, BOM, quoted keys, gzip)
# and one malformed file per failure the reader must report. Everything is derived from
# long_sharp_data.csv / long_fuzzy_data.csv or written literally, so it is deterministic.
# base_out.csv is the reference result the valid variants must reproduce byte for byte;
# governors_out.csv the same for the weighted example data and its shuffled rows.
set -eu
dir=$1
ref=$2
rddist=$3
governors=$4
mkdir -p "$dir"
cd "$dir"

cp "$ref/long_sharp_data.csv" base.csv
cp "$ref/long_fuzzy_data.csv" fuzzy.csv
"$rddist" estimate base.csv --bandwidth 0.4 --quantiles 0.1:0.9:0.1 --boot 0 --quiet > base_out.csv

# Weighted draws with ties, rows shuffled.
gov_opts="--id state,year --x dem_share --y income_pov --weight famwgt --cutoff 0.5 --bandwidth 0.2 --quantiles 0.05:0.95:0.05 --boot 0 --quiet"
# shellcheck disable=SC2086
"$rddist" estimate "$governors" $gov_opts > governors_out.csv
{ gzip -dc "$governors" | head -n 1
  gzip -dc "$governors" | tail -n +2 | awk 'BEGIN { srand(3) } { printf "%.15f\t%s\n", rand(), $0 }' |
    sort -t "$(printf '\t')" -k1,1 | cut -f 2-
} > governors_shuffled.csv

# Valid variants.
{ head -n 1 base.csv
  tail -n +2 base.csv | awk 'BEGIN { srand(42) } { printf "%.15f\t%s\n", rand(), $0 }' |
    sort -t "$(printf '\t')" -k1,1 | cut -f 2-
} > shuffled.csv
gzip -c base.csv > base.csv.gz
cp base.csv.gz gzip_without_suffix
sed 's/$/\r/' base.csv > crlf.csv
printf '\357\273\277' > bom.csv && cat base.csv >> bom.csv
tr ',' '\t' < base.csv > tabs.tsv
tr ',' ';' < base.csv > semicolons.csv
# Keys with a comma and escaped quotes inside quoted fields: u0001 becomes "u0001, ""q""".
sed 's/^"\(u[0-9]*\)"/"\1, ""q"""/' base.csv > quoted.csv

# A quantile file whose column names carry the levels (one row per unit of base.csv, its
# type-7 quantiles), its estimate, and damaged copies: a cell that is not a number, a row
# whose quantiles decrease.
awk -F, 'NR > 1 { k = $1; gsub(/"/, "", k); x[k] = $2; y[k] = y[k] " " $3 }
  END { print "unit,x,q0.1,q0.3,q0.5,q0.7,q0.9"
        for (k in x) { n = split(y[k], v, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
                         if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
                       printf "%s,%s", k, x[k]
                       for (p = 1; p <= 9; p += 2) { h = (n - 1) * p / 10 + 1; lo = int(h)
                         printf ",%.17g", v[lo] + (h - lo) * (lo < n ? v[lo + 1] - v[lo] : 0) }
                       print "" } }' base.csv | { read -r header; echo "$header"; sort; } > named_q.csv
"$rddist" estimate named_q.csv --format quantiles --quantiles 0.1:0.9:0.2 --bandwidth 0.4 --boot 0 --quiet > base_named_out.csv
awk -F, 'NR == 4 { $4 = "abc" } { print }' OFS=, named_q.csv > named_q_bad.csv
awk -F, 'NR == 3 { $3 = $7 + 1 } { print }' OFS=, named_q.csv > named_q_down.csv

# Malformed files.
: > empty.csv
printf 'unit,x,y\n' > header_only.csv
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000\010\006\000\000\000\037\363\377a' > garbage.csv
printf 'unit,x,y\nu1,0.5,1.0\nu1,0.5,2\000.0\n' > nul.csv
printf 'unit,x,y\nu1,0.5,1.0\n"u2,0.5,2.0\nu3,0.1,1\n' > unterminated.csv
printf 'unit,x,y\nu1,0.5,1.0\nu2,0.5,2"5\n' > stray_quote.csv
printf 'unit,x,y\nu1,0.5,1.0\nu2,0.5\n' > ragged.csv
printf 'unit,x,x\nu1,0.5,1.0\n' > duplicate_header.csv
printf 'unit,,y\nu1,0.5,1.0\n' > empty_name.csv
sed '5s/,[^,]*$/,abc/' base.csv > y_not_numeric.csv
sed '5s/,[^,]*$/,NA/; 9s/,[^,]*$/,/; 800s/,[^,]*$/,NA/' base.csv > y_missing.csv
sed '/^"u0002"/s/,[^,]*$/,NA/' base.csv > unit_all_missing.csv
sed '5s/^"u0001",[^,]*,/"u0001",0.5,/' base.csv > x_varies.csv
sed '3s/,1$/,0/' fuzzy.csv > t_varies.csv
sed '3s/,1$/,2/' fuzzy.csv > t_out_of_range.csv
sed '2,$s/,[01]$/,1/' fuzzy.csv > t_no_jump.csv
sed '5s/,[^,]*$/,1e400/' base.csv > y_huge.csv
sed '5s/,[^,]*$/,1e-400/' base.csv > y_tiny.csv
awk -F, 'NR == 1 { print; next } { $2 = $2 "e-200"; print }' OFS=, base.csv > x_tiny.csv
sed '5s/^"u0001",[^,]*,/"u0001",-1e400,/' base.csv > x_huge.csv
printf 'unit,x,y\na,0,1\na,0,2\nb,0.5,1\nb,0.5,3\nc,0.7,2\nc,0.7,4\n' > one_side.csv
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," (NR == 6 ? -1 : 1) }' base.csv > negative_weight.csv
# Draw weights all zero for unit u0002 (rows grouped by unit, so read streaming too).
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," ($1 == "\"u0002\"" ? 0 : 1) }' base.csv > zero_weight.csv
# Below the cutoff four units share x = -0.1 and unit 'lone' alone has x = -0.3: a local
# linear fit there gives 'lone' leverage one. Units are listed by key, so 'lone' is the
# last unit by key but the first by x.
{ echo "unit,x,y"
  i=0
  for u in a1:0.1 a2:0.2 a3:0.3 a4:0.15 a5:0.25 a6:0.35 b1:-0.1 b2:-0.1 b3:-0.1 b4:-0.1 lone:-0.3; do
    k=${u%%:*}; x=${u#*:}; i=$((i + 1))
    for d in 1 2 3 4; do echo "$k,$x,$(( (i * 7 + d * 3) % 11 )).$d"; done
  done; } > lever.csv
# Clusters: every unit below the cutoff in cluster 'c0', those above in one cluster each.
awk -F, 'NR == 1 { print $0 ",cl"; next } { print $0 "," ($2 < 0 ? "c0" : $1) }' base.csv > cluster_one_side.csv
# Unit-level columns: a covariate z and a unit weight m, both functions of the unit's number;
# then z varying within unit u0001, and z not a number on one row.
awk -F, 'NR == 1 { print $0 ",\"z\",\"m\""; next }
  { k = $1; gsub(/[^0-9]/, "", k); print $0 "," (k % 7) / 7 "," 1 + (k % 3) / 2 }' base.csv > covs.csv
awk -F, 'NR == 3 { $4 = 0.5 } { print }' OFS=, covs.csv > covs_varies.csv
awk -F, 'NR == 5 { $4 = "abc" } { print }' OFS=, covs.csv > covs_not_numeric.csv
head -c 20000 base.csv.gz > truncated.csv.gz
# The gzip trailer (CRC and length, 8 bytes) cut off; plain CSV rows appended after the
# compressed stream; the file as two gzip members (valid: the same rows).
head -c "$(($(wc -c < base.csv.gz) - 8))" base.csv.gz > no_trailer.csv.gz
{ cat base.csv.gz; tail -n 3 base.csv; } > trailing.csv.gz
{ head -n 1000 base.csv | gzip -c; tail -n +1001 base.csv | gzip -c; } > members.csv.gz
mkdir -p a_directory.csv
echo "inputs written to $dir"
