#!/bin/sh
# sql_sqlite.sh RDDIST CLI_CHECK GOVERNORS_CSV_GZ — `rddist sql` run in a real engine.
#
# Loads the long example files into SQLite (the sqlite3 shell), runs the printed query,
# and estimates from its one-row-per-unit result with `rddist estimate --format
# quantiles`; the effect must be the one estimated from the long files directly
# (governors_out.csv and base_out.csv, written by make_inputs.sh with the same options).
# The tolerance 1e-9 (relative) covers the sqlite3 shell's CSV output, which writes
# doubles with 15 significant digits (relative rounding up to 5e-16 in each quantile),
# on levels where the effect is close to zero, as in the other parity cases.
# Then a broken table: the query answers NULL for the affected units, the estimate
# refuses them, and the checks query names the unit and the counts.
# Runs in the current directory (the CLI tests' work directory).
set -eu
rddist=$1
check=$2
governors=$3
fail() { echo "FAIL: $*"; exit 1; }

rm -f sql.db
gzip -dc "$governors" > sql_gov.csv
sqlite3 sql.db \
  "CREATE TABLE gov (state TEXT, year INTEGER, dem_share REAL, income_pov REAL, famwgt REAL);" \
  "CREATE TABLE base (unit TEXT, x REAL, y REAL);" \
  ".import --csv --skip 1 sql_gov.csv gov" \
  ".import --csv --skip 1 base.csv base"

# Weighted draws, two key columns (no --id: each row of the result is one unit).
"$rddist" sql --table gov --id state,year --x dem_share --y income_pov --weight famwgt \
  --quantiles 0.05:0.95:0.05 > sql_gov.sql
sqlite3 -csv -header sql.db < sql_gov.sql > sql_gov_q.csv
[ "$(wc -l < sql_gov_q.csv)" -eq 357 ] || fail "expected a header and 356 units in sql_gov_q.csv"
head -n 1 sql_gov_q.csv | grep -q '^state,year,dem_share,q0.05,q0.1,q0.15,' ||
  fail "unexpected header: $(head -n 1 sql_gov_q.csv)"
"$rddist" estimate sql_gov_q.csv --format quantiles --x dem_share --qcols q \
  --quantiles 0.05:0.95:0.05 --cutoff 0.5 --bandwidth 0.2 --boot 0 --quiet > sql_gov_out.csv
"$check" csv sql_gov_out.csv governors_out.csv 1e-9 quantile estimate m_plus m_minus

# Unweighted draws, one key column read back with --id.
"$rddist" sql --table base --id unit --x x --y y --quantiles 0.1:0.9:0.1 > sql_base.sql
sqlite3 -csv -header sql.db < sql_base.sql > sql_base_q.csv
"$rddist" estimate sql_base_q.csv --format quantiles --id unit --x x --qcols q \
  --quantiles 0.1:0.9:0.1 --bandwidth 0.4 --boot 0 --quiet > sql_base_out.csv
"$check" csv sql_base_out.csv base_out.csv 1e-9 quantile estimate m_plus m_minus

# A missing draw and a running variable that varies within a unit.
sqlite3 sql.db "CREATE TABLE broken AS SELECT * FROM base;" \
  "UPDATE broken SET y = NULL WHERE rowid = 3;" \
  "UPDATE broken SET x = 0.5 WHERE rowid = (SELECT MAX(rowid) FROM broken WHERE unit = 'u0002');"
"$rddist" sql --table broken --id unit --x x --y y --quantiles 0.1:0.9:0.1 > sql_broken.sql
sqlite3 -csv -header sql.db < sql_broken.sql > sql_broken_q.csv
grep -q '^u0001,-0.255603247322142,,,' sql_broken_q.csv || fail "u0001 should have NULL quantiles"
grep -q '^u0002,,' sql_broken_q.csv || fail "u0002 should have a NULL running variable"
if "$rddist" estimate sql_broken_q.csv --format quantiles --id unit --x x --qcols q \
     --quantiles 0.1:0.9:0.1 --bandwidth 0.4 --boot 0 --quiet > /dev/null 2> sql_broken.err; then
  fail "the estimate should refuse units with NULL values"
fi
grep -q "column 'x'" sql_broken.err || fail "unexpected message: $(cat sql_broken.err)"
"$rddist" sql --checks --table broken --id unit --x x --y y > sql_checks.sql
sqlite3 -csv -header sql.db < sql_checks.sql > sql_checks.csv
[ "$(wc -l < sql_checks.csv)" -eq 3 ] || fail "the checks should list 2 units: $(cat sql_checks.csv)"
# columns: unit, then per check its count, then the ranges, then totals and unit counts
head -n 1 sql_checks.csv | grep -q '^unit,rddist_unit_missing,rddist_y_missing,' || fail "checks header"
grep -q '^u0001,0,1,0,0,0,0,' sql_checks.csv || fail "u0001 should have one missing draw"
grep -q '^u0002,0,0,0,0,0,1,' sql_checks.csv || fail "u0002 should have a varying x"
echo "ok: rddist sql through sqlite3 reproduces the long-file estimates; NULLs and checks name the broken units"
