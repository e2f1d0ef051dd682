#!/bin/bash
# Time per subnet, --objective macs vs latency (--latency-source measure, mix, table), bundled sample, same seed and
# budget, alternating order, N rounds (default 3). Prints the search loop's subnets/s (its progress line) and the
# whole run's wall seconds (which includes the table's calibration and, with a fresh cache, its layer timings).
#   bash bench/latency_cost.sh [ROUNDS]
cd "$(dirname "$0")/.." && out=${OUT:-/tmp/latcost} && mkdir -p "$out"
./fastprune --version >/dev/null
for i in $(seq 1 "${1:-3}"); do for v in macs measure mix table; do
  d=$out/$v-$i; rm -rf "$d" "$d.cache"
  case $v in macs) args=(--objective macs);; *) args=(--objective latency --latency-source "$v");; esac
  start=$(date +%s.%N)
  # A fresh layer cache per run: the cost of a run on a machine that has never timed these layers.
  XDG_CACHE_HOME=$d.cache ./fastprune run "${args[@]}" --budget 40 --targets 0.5 --out "$d" 2>"$d.err" >"$d.out"
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  rate=$(tr '\r' '\n' < "$d.err" | grep -o '40/40 subnets · [0-9.]*/s' | tail -1 | grep -o '[0-9.]*/s')
  src=$(tail -n +2 "$d/history.csv" | awk -F, '{print $13}' | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
  echo "$v run $i: loop $rate, wall ${wall%.*} s, rows: ${src:-macs}, written: $(ls "$d" | grep -c '^pruned-')"
done; done
