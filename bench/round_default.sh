#!/bin/bash
# What run's default --round buys: the CNN samples searched with the bundled sample's settings (budget 150, 1500
# calibration and evaluation images, the test split measured) at each --round and seed; prints each written model's
# share of the MACs, test accuracy and the speedup the run measured (front.json: the original and the written models
# timed interleaved on ORT CPU, batch 64). Each run pinned to one core.
#   bash bench/round_default.sh                       # ROUNDS="1 4 8 16" SEEDS="1 2" SAMPLES="resnet mobilenet"
#   ROUNDS="1 8" SEEDS=3 bash bench/round_default.sh
cd "$(dirname "$0")/.." && out=${OUT:-/tmp/round-default} && mkdir -p "$out"
./fastprune --version >/dev/null
for s in ${SEEDS:-1 2}; do for m in ${SAMPLES:-resnet mobilenet}; do for r in ${ROUNDS:-1 4 8 16}; do
  d=$out/$m-r$r-s$s; rm -rf "$d"
  taskset -c "${CORE:-1}" ./fastprune run "samples/$m.onnx" --data samples/data/calib-images-idx3-ubyte \
    --test-data samples/data/test-images-idx3-ubyte --calib 1500 --eval 1500 --budget 150 --round "$r" --seed "$s" \
    --out "$d" >"$d.out" 2>"$d.err" || { echo "$m --round $r --seed $s failed: $(tail -1 "$d.err")"; continue; }
  python3 - "$d/front.json" "$m --round $r --seed $s" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sys.argv[2] + ': ' + ' | '.join('%s %.1f %% MACs, test %.2f %%, %.2fx' % (m['file'], 100 * m['macs'] / d['original']['macs'],
      100 * m['test_accuracy'], m['speedup']) for m in d['models']))
PY
done; done; done
