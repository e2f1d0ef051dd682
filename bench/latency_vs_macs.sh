#!/bin/bash
# Latency search against MACs search on a bundled sample (issue 12, third pass): same seed and budget, one core.
#   bash bench/latency_vs_macs.sh SAMPLE [BUDGET]      # SAMPLE: resnet, mobilenet or vit; BUDGET default 150 (the sample default: two NSGA-III generations after the 64 initial subnets)
#   DATA=D TEST=T bash bench/latency_vs_macs.sh MODEL.onnx [BUDGET]   # any model: calibration/evaluation data D, test data T
# BATCH (default 64), CALIB and EVAL (default 1500 each) set the bench batch and the image counts; LAT_TARGETS (default
# 0.5) the latency runs' targets.
# Runs: --objective latency --latency-source table and mix (--targets 0.5), --objective macs without and with
# --round 8 (--targets 0.6,0.5,0.4,0.3,0.25,0.2, so a written model lies near every latency); all at --threads 1,
# --bench-batch 64, test accuracy on samples/data's test split (front.json); lat-table-rN / macs-rN (any N, e.g.
# lat-table-r16) are those runs with --round N as well. Then one interleaved `bench` of the original and every model written under OUT/SAMPLE, twice (the
# second gives the spread). OUT (default /tmp/latvsmacs) holds all; VARIANTS="a b" runs only those (the bench still
# takes every model already there; VARIANTS=none only benches), SKIP_BENCH=1 only runs.
# Pin and nice it yourself on a shared machine: taskset -c 1 nice bash bench/latency_vs_macs.sh resnet
set -e
cd "$(dirname "$0")/.." && s=${1:?sample: resnet, mobilenet or vit, or a model file} && budget=${2:-150}
model=samples/$s.onnx data=samples/data/calib-images-idx3-ubyte test=samples/data/test-images-idx3-ubyte
if [[ $s == *.onnx ]]; then model=$s data=${DATA:?DATA: calibration data} test=${TEST:?TEST: test data} s=$(basename "$s" .onnx); fi
batch=${BATCH:-64}
out=${OUT:-/tmp/latvsmacs}/$s && mkdir -p "$out"
./fastprune --version >/dev/null
common=("$model" --data "$data" --test-data "$test"
        --calib "${CALIB:-1500}" --eval "${EVAL:-1500}" --budget "$budget" --seed 0 --threads 1 --bench-batch "$batch")
macs_targets=0.6,0.5,0.4,0.3,0.25,0.2
for v in ${VARIANTS:-lat-table lat-mix lat-table-r8 macs macs-r8}; do
  [[ $v == none ]] && continue
  d=$out/$v; rm -rf "$d"
  case $v in
    lat-table) args=(--objective latency --latency-source table --targets "${LAT_TARGETS:-0.5}");;
    lat-mix) args=(--objective latency --latency-source mix --targets "${LAT_TARGETS:-0.5}");;
    lat-table-r*) args=(--objective latency --latency-source table --round "${v#lat-table-r}" --targets "${LAT_TARGETS:-0.5}");;
    macs) args=(--objective macs --round 1 --targets $macs_targets);;   # the paper's every-count space (run's default rounds to 8)
    macs-r*) args=(--objective macs --round "${v#macs-r}" --targets $macs_targets);;
  esac
  start=$(date +%s.%N)
  ./fastprune run "${common[@]}" "${args[@]}" --out "$d" >"$d.out" 2>"$d.err" || echo "$v: exit $?"
  echo "$v: wall $(echo "$(date +%s.%N) - $start" | bc | cut -d. -f1) s, written: $(ls "$d" | grep '^pruned-' | tr '\n' ' ')"
done
[[ -n $SKIP_BENCH ]] && exit 0
models=("$model" $(ls "$out"/*/pruned-*.onnx))
for i in 1 2; do
  echo "bench pass $i (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  ./fastprune bench "${models[@]}" --engine ort-cpu --batch "$batch" --threads 1 --warmup 5 --iters 30 | tee "$out/bench-$i.txt"
done
