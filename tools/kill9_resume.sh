#!/usr/bin/env bash
# kill -9 a `fastprune run` on the bundled ResNet sample at N seeded random moments, resume each with
# --resume DIR, and check that every resumed run ends with the history and the models of an uninterrupted run
# of the same seed.
#   tools/kill9_resume.sh [N=20] [SEED=1]        (work folder: out/kill9, KILL9_OUT overrides)
# Each moment is drawn after the run has written its checkpoint (before it, there is nothing to resume and the
# folder is simply rerun): uniformly over the rest of the reference run's wall time, so kills land in the
# search and in the final reconstruction and writing of the models.
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
work=${KILL9_OUT:-out/kill9}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# A private copy of the command, so that a build elsewhere in the tree cannot swap it mid-run.
dotnet publish src/FastPrune.Cli -c Release -o "$work/bin" -nologo -v quiet >&2
cli=(dotnet "$work/bin/FastPrune.Cli.dll")
opts=(samples/resnet.onnx --data samples/data/calib-images-idx3-ubyte --test-data samples/data/test-images-idx3-ubyte
      --calib 128 --eval 128 --budget 12 --seed 7 --no-bench --threads 1)
compared=(history.csv.cut front.json pruned-0.50.onnx pruned-0.30.onnx)
cut_history() { [ ! -f "$1/history.csv" ] || cut -d, -f1-6 "$1/history.csv" > "$1/history.csv.cut"; }

now() { date +%s.%N; }
start=$(now)
"${cli[@]}" run "${opts[@]}" --out "$work/ref" > "$work/ref.log" 2>&1
total=$(echo "$(now) - $start" | bc)
cut_history "$work/ref"
echo "reference run: ${total}s, $(($(wc -l < "$work/ref/history.csv") - 1)) subnets"

# The moments: a seeded stream of fractions in (0.02, 0.98), one per kill.
mapfile -t fractions < <(awk -v s="$seed" -v n="$n" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.3f\n", 0.02 + 0.96 * rand() }')

failures=0
for i in $(seq 1 "$n"); do
  dir="$work/run$i"
  "${cli[@]}" run "${opts[@]}" --out "$dir" > "$work/run$i.log" 2>&1 &
  pid=$!
  t0=$(now)
  # Wait for the checkpoint, then for the drawn share of what the reference run took after that point.
  while [ ! -f "$dir/checkpoint.json" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  wait_s=$(echo "${fractions[$((i - 1))]} * ($total - ($(now) - $t0))" | bc -l)
  if (( $(echo "$wait_s < 0" | bc) )); then wait_s=0; fi
  sleep "$wait_s"
  if kill -9 "$pid" 2>/dev/null; then killed="killed"; else killed="had already ended"; fi
  wait "$pid" 2>/dev/null || true
  rows=$(( $( (cat "$dir/history.csv" 2>/dev/null || true) | wc -l) - 1 ))
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
  printf '%2d  kill at %5.1f%% after the checkpoint (%s): %2d history rows, %d models, %d temp files; resumed with %s: %s\n' \
    "$i" "$(echo "${fractions[$((i - 1))]} * 100" | bc -l)" "$killed" "$rows" "$models" "$leftovers" "$form" "$verdict"
done
echo "$((n - failures)) of $n resumed runs identical to the uninterrupted run (history.csv without timings, front.json, pruned-*.onnx byte for byte)"
[ "$failures" -eq 0 ]
