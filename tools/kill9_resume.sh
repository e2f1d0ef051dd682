#!/usr/bin/env bash
# kill -9 a `fastprune run` on the bundled ResNet sample at N seeded random moments, resume each with
# --resume DIR, and check that every resumed run ends with the history and the models of an uninterrupted run
# of the same seed.
#   tools/kill9_resume.sh [N=20] [SEED=1] [PHASE=all|search]        (work folder: out/kill9, KILL9_OUT overrides)
# Moments: a seeded draw u in (0, 1) picks a point of the reference run's timeline between its first history
# row and its end (search, then the final reconstruction and writing of the models). The killed run is held to
# the same point by its progress, not by the clock: it is killed once it has written as many history rows as
# the reference had at that point, plus the time the reference then still took to reach it. On a loaded machine
# a clock alone would land most kills before the search has started. With PHASE=search the point is drawn
# between the first and the last history row only (on the sample the search is a few seconds of a run whose
# time goes to start-up and to the final reconstruction, so uniform moments rarely land in it).
# Resume: first `run --resume DIR` alone (the run's stored options); if that is refused, `--resume DIR` with the
# original options again (what the CLI required before it stored them). The form that worked is printed.
# Compared, byte for byte: history.csv without its timing columns (t_surgery_s … t_infer_s are wall-clock
# seconds, which no two runs share; index, generation, genome, macs, params and accuracy must match exactly),
# front.json (no throughput in it: --no-bench) and the written pruned-*.onnx. There is no tolerance.
# Exit status 0 when all N resumes match.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
seed=${2:-1}
phase=${3:-all}
work=${KILL9_OUT:-out/kill9}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# A private copy of the command, so that a build elsewhere in the tree cannot swap it mid-run.
dotnet publish src/FastPrune.Cli -c Release -o "$work/bin" -nologo -v quiet >&2
cli=(dotnet "$work/bin/FastPrune.Cli.dll")
budget=10
opts=(samples/resnet.onnx --data samples/data/calib-images-idx3-ubyte --test-data samples/data/test-images-idx3-ubyte
      --calib 64 --eval 64 --budget "$budget" --seed 7 --no-bench --threads 1)
compared=(history.csv.cut front.json pruned-0.50.onnx pruned-0.30.onnx)
cut_history() { [ ! -f "$1/history.csv" ] || cut -d, -f1-6 "$1/history.csv" > "$1/history.csv.cut"; }
rows() { local r; r=$( (cat "$1/history.csv" 2>/dev/null || true) | wc -l); echo $(( r > 0 ? r - 1 : 0 )); }
now() { date +%s.%N; }

# The reference run, with the time at which each history row appeared: at[k] = seconds until k rows existed.
"${cli[@]}" run "${opts[@]}" --out "$work/ref" > "$work/ref.log" 2>&1 &
pid=$!
start=$(now)
at=()
while kill -0 "$pid" 2>/dev/null; do
  r=$(rows "$work/ref")
  while [ "${#at[@]}" -le "$r" ]; do at+=("$(echo "$(now) - $start" | bc)"); done
  sleep 0.05
done
wait "$pid"
total=$(echo "$(now) - $start" | bc)
cut_history "$work/ref"
echo "reference run: ${total}s; first history row at ${at[1]}s, all $budget at ${at[$budget]}s"

mapfile -t draws < <(awk -v s="$seed" -v n="$n" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f\n", rand() }')

failures=0
for i in $(seq 1 "$n"); do
  dir="$work/run$i"
  u=${draws[$((i - 1))]}
  if [ "$phase" = search ]; then end=${at[$budget]}; else end=$total; fi
  moment=$(echo "${at[1]} + $u * ($end - ${at[1]})" | bc -l)
  # Rows the reference had at that moment, and how long after the last of them the moment lies.
  k=1
  while [ "$k" -lt "$budget" ] && (( $(echo "${at[$((k + 1))]} <= $moment" | bc) )); do k=$((k + 1)); done
  extra=$(echo "$moment - ${at[$k]}" | bc -l)
  "${cli[@]}" run "${opts[@]}" --out "$dir" > "$work/run$i.log" 2>&1 &
  pid=$!
  while [ "$(rows "$dir")" -lt "$k" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
  sleep "$extra"
  if kill -9 "$pid" 2>/dev/null; then killed="killed"; else killed="had already ended"; fi
  wait "$pid" 2>/dev/null || true
  at_kill=$(rows "$dir")
  models=$(find "$dir" -maxdepth 1 -name 'pruned-*.onnx' | wc -l)
  leftovers=$(find "$dir" -maxdepth 1 -name '*.tmp' | wc -l)
  form="--resume DIR"
  if ! "${cli[@]}" run --resume "$dir" > "$work/resume$i.log" 2>&1; then
    form="--resume DIR + options"
    "${cli[@]}" run "${opts[@]}" --resume "$dir" > "$work/resume$i.log" 2>&1 || { form="$form: exit $?"; }
  fi
  cut_history "$dir"
  verdict="identical"
  for f in "${compared[@]}"; do
    if ! cmp -s "$work/ref/$f" "$dir/$f"; then verdict="DIFFERS: $f"; break; fi
  done
  [ "$verdict" = "identical" ] || failures=$((failures + 1))
  printf '%2d  u=%.3f: %s at %2d of %d history rows + %5.2fs; then %2d rows, %d models, %d temp files; resumed with %s: %s\n' \
    "$i" "$u" "$killed" "$k" "$budget" "$extra" "$at_kill" "$models" "$leftovers" "$form" "$verdict"
done
echo "$((n - failures)) of $n resumed runs identical to the uninterrupted run (history.csv without timings, front.json, pruned-*.onnx byte for byte)"
[ "$failures" -eq 0 ]
