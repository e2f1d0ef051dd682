#!/usr/bin/env bash
# Subnets per minute of a search on localhost Orleans workers: 1 worker with 2 ONNX Runtime threads against 2 workers
# with 1 thread each, on the bundled sample (same seed, same budget; the histories must match). Ratios only mean
# something within one run of this script on an otherwise idle machine.
#   bash bench/cluster_scaling.sh [BUDGET]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-60}
dotnet build src/FastPrune.Cli -c Release -nologo -v quiet >/dev/null
cli=(dotnet src/FastPrune.Cli/bin/Release/net10.0/FastPrune.Cli.dll)
work=$(mktemp -d)
pids=()
stop() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap 'stop; rm -rf "$work"' EXIT
measure() { # name workers threads
  for ((i = 0; i < $2; i++)); do
    "${cli[@]}" worker --cluster localhost --threads "$3" >"$work/$1-w$i.log" 2>&1 & pids+=($!)
    until grep -q joined "$work/$1-w$i.log" 2>/dev/null; do sleep 0.5; done
  done
  local t0=$(date +%s.%N)
  "${cli[@]}" run --cluster localhost --threads "$3" --budget "$budget" --no-bench --out "$work/$1" >/dev/null 2>&1
  local t1=$(date +%s.%N)
  stop
  echo "$1 $(echo "$t1 - $t0" | bc)"
}
a=$(measure one-worker-2-threads 1 2)
b=$(measure two-workers-1-thread 2 1)
cmp <(cut -d, -f1-6 "$work/one-worker-2-threads/history.csv") <(cut -d, -f1-6 "$work/two-workers-1-thread/history.csv") \
  && same=yes || same=no
ta=${a#* }; tb=${b#* }
echo "budget $budget: 1 worker x 2 threads ${ta}s ($(echo "scale=1; $budget * 60 / $ta" | bc) subnets/min incl. opening), 2 workers x 1 thread ${tb}s ($(echo "scale=1; $budget * 60 / $tb" | bc) subnets/min); ratio $(echo "scale=2; $ta / $tb" | bc)x; same history: $same"
