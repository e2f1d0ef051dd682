#!/bin/bash
# Time per subnet, --objective macs vs latency (--latency-source measure, mix, table), bundled sample, same seed and
# budget, alternating order, N rounds (default 3). Prints the search loop's subnets/s (its progress line), the whole
# run's wall seconds (which includes the table's calibration and, with a fresh cache, its layer timings) and the layer
# cache's hits and misses.
#   bash bench/latency_cost.sh [ROUNDS]          # every run starts from an empty layer cache (a machine's first run)
#   WARM=1 bash bench/latency_cost.sh [ROUNDS]   # every run starts from the cache one earlier run (seed 1) left
#   VARIANTS="macs table mix" bash bench/latency_cost.sh   # these sources only, in this order
cd "$(dirname "$0")/.." && out=${OUT:-/tmp/latcost} && mkdir -p "$out"
./fastprune --version >/dev/null
if [[ -n $WARM ]]; then
  # A machine's second run: another seed's search filled the cache; each timed run starts from a copy of it.
  rm -rf "$out/prefill" "$out/prefill.cache"
  XDG_CACHE_HOME=$out/prefill.cache ./fastprune run --objective latency --latency-source table --budget 40 --targets 0.5 --seed 1 \
    --out "$out/prefill" >/dev/null 2>&1 || { echo "prefill run failed"; exit 2; }
fi
for i in $(seq 1 "${1:-3}"); do for v in ${VARIANTS:-macs measure mix table}; do
  d=$out/$v-$i; rm -rf "$d" "$d.cache"
  case $v in macs) args=(--objective macs --round 1);; *) args=(--objective latency --latency-source "$v");; esac
  if [[ -n $WARM ]]; then cp -r "$out/prefill.cache" "$d.cache"; else mkdir -p "$d.cache"; fi
  start=$(date +%s.%N)
  XDG_CACHE_HOME=$d.cache ./fastprune run "${args[@]}" --budget 40 --targets 0.5 --out "$d" 2>"$d.err" >"$d.out"
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  rate=$(tr '\r' '\n' < "$d.err" | grep -o '40/40 subnets · [0-9.]*/s' | tail -1 | grep -o '[0-9.]*/s')
  src=$(tail -n +2 "$d/history.csv" | awk -F, '{print $13}' | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
  cache=$(grep -h '^latency table:' "$d.out" | tail -1)
  echo "$v run $i: loop $rate, wall ${wall%.*} s, rows: ${src:-macs}, written: $(ls "$d" | grep -c '^pruned-')${cache:+, $cache}"
done; done
