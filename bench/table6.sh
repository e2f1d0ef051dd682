#!/usr/bin/env bash
# The paper's Table 6 on this machine: dense vs uniformly pruned (≈50% MACs; ResNet50 also ≈30%) zoo networks,
# img/s and speedup measured in one process. Arguments go to the table6 bench:
#   --engine ort-cpu|ort-cuda|trt|auto   (default ort-cpu)
#   --batch N      (default: 16 for ResNet50/MobileNetV1 and 8 for DeiT-Base on ort-cpu, 128 on a GPU engine)
#   --warmup N --iters N --threads N     (defaults 2, 10, ORT's choice)
#   --round N      gene counts rounded to multiples of N (default 1: no rounding)
#   --models resnet50,mobilenetv1,deit_base   --keep DIR (keep the ONNX files)
# Examples:
#   bash bench/table6.sh                                    # ORT CPU, this machine
#   bash bench/table6.sh --engine ort-cuda --batch 128 --warmup 10 --iters 50
#   bash bench/table6.sh --engine trt --batch 128 --warmup 10 --iters 50
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/FastPrune.Bench -v q -nologo >&2
exec dotnet bench/FastPrune.Bench/bin/Release/net10.0/FastPrune.Bench.dll table6 "$@"
