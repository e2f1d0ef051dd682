#!/bin/bash
# Table 6 analogue with searched models (issue 12, third pass): a zoo network (seeded random weights, 224 px) searched
# with --objective latency --latency-source table --round 8 for target 0.5 (LAT_ROUND=1: without rounding; on ORT CPU
# unrounded widths fall off the blocked NCHWc kernels, see the sample comparison) and with --objective macs for target
# 0.5, next to uniform pruning to ≈ 50 % MACs (widths as the ratio gives them, and rounded to 8; the table6 bench's
# models), all timed in one interleaved `bench` run, twice. Accuracy on random weights means nothing; only speed and MACs count.
#   bash bench/latency_table6.sh NET [BUDGET] [BATCH]    # NET: resnet50 or mobilenetv1; BUDGET 24, BATCH 1 by default
# Data: a flat synthetic 256-px JPEG folder (the `jpegs` bench, one class, flattened), 32 calibration + 32 evaluation
# images, paper reconstruction in the search and for the written models. Flat, so accuracy is top-1 agreement with the
# unpruned model (labels of random data would give every subnet 0 %, and ties go to the cheapest subnet, so both
# searches would write their smallest model). OUT (default /tmp/latt6) holds everything.
# Pin and nice it yourself on a shared machine: taskset -c 1 nice bash bench/latency_table6.sh resnet50
set -e
cd "$(dirname "$0")/.." && net=${1:?resnet50 or mobilenetv1} && budget=${2:-24} && batch=${3:-1}
out=${OUT:-/tmp/latt6}/$net && mkdir -p "$out"
jpg=${OUT:-/tmp/latt6}/flat
if [ ! -d "$jpg" ]; then
  dotnet run -c Release --project bench/FastPrune.Bench -- jpegs "$jpg" 96 256 1 >/dev/null
  mv "$jpg"/*/*.jpg "$jpg"/ && rmdir "$jpg"/*/
fi
[ -f "$out/$net.onnx" ] || ./fastprune zoo "$net" -o "$out/$net.onnx" >/dev/null
common=("$out/$net.onnx" --data "$jpg" --calib 32 --eval 32 --search-recon paper --recon paper --budget "$budget"
        --seed 0 --threads 1 --bench-batch "$batch" --memory-limit 8 --targets 0.5)
for v in lat-table macs; do
  d=$out/$v; [ -n "$SKIP_RUNS" ] && [ -d "$d" ] && continue   # SKIP_RUNS=1: keep the runs already there
  rm -rf "$d"
  case $v in lat-table) args=(--objective latency --latency-source table --round "${LAT_ROUND:-8}");; macs) args=(--objective macs --round 1);; esac
  start=$(date +%s.%N)
  ./fastprune run "${common[@]}" "${args[@]}" --out "$d" >"$d.out" 2>"$d.err" || echo "$v: exit $?"
  echo "$v: wall $(echo "$(date +%s.%N) - $start" | bc | cut -d. -f1) s, written: $(ls "$d" | grep '^pruned-' | tr '\n' ' ')"
done
for r in 1 8; do   # uniform ≈ 50 % MACs by bisection on the keep-ratio (the table6 bench; its own timing is a quick one)
  [ -n "$SKIP_RUNS" ] && [ -f "$out/uniform-r$r/$net-50.onnx" ] && continue
  bash bench/table6.sh --models "$net" --round $r --keep "$out/uniform-r$r" --batch "$batch" --threads 1 --warmup 0 --iters 1 >/dev/null
done
# With random weights every subnet ties on accuracy (agreement 100 %) and a tie goes to the cheapest, so the written
# models are the smallest each search met the target with. The capacity a search could keep at the target is its
# largest-MACs subnet under it: latency_ms <= 0.5 x latency.json's (as the search saw it), or MACs <= 0.5 x the original's.
ref=$(grep -o '"OriginalMs":[0-9.]*' "$out/lat-table/latency.json" | cut -d: -f2)
macs0=$(grep -o '"macs": [0-9]*' "$out/macs/front.json" | head -1 | grep -o '[0-9]*$')
for v in lat-table macs; do
  g=$(awk -F, -v v=$v -v ref="$ref" -v m0="$macs0" 'NR > 1 && (v == "macs" ? $4 <= 0.5 * m0 : $11 <= 0.5 * ref) && $4 + 0 > best { best = $4 + 0; g = $3 }
      END { gsub(/ /, ",", g); print g }' "$out/$v/history.csv")
  [ -n "$g" ] && ./fastprune prune "$out/$net.onnx" -g "$g" -o "$out/$v-maxmacs.onnx" >/dev/null
done
models=("$out/$net.onnx" "$out/lat-table/pruned-0.50.onnx" "$out/lat-table-maxmacs.onnx" "$out/macs/pruned-0.50.onnx" "$out/macs-maxmacs.onnx"
        "$out/uniform-r1/$net-50.onnx" "$out/uniform-r8/$net-50.onnx")
present=(); for m in "${models[@]}"; do [ -f "$m" ] && present+=("$m"); done   # in this order: the original first
for m in "${present[@]}"; do echo "$m: $(./fastprune inspect "$m" | grep -m1 '^MACs')"; done
for i in 1 2; do
  echo "bench pass $i (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  ./fastprune bench "${present[@]}" --engine ort-cpu --batch "$batch" --threads 1 --warmup 3 --iters 20 | tee "$out/bench-$i.txt"
done
