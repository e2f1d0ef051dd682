#!/usr/bin/env bash
# Per-layer latency table vs whole-model timing (issue 12): Kendall's tau between the table's calibrated prediction and
# the measured latency of random subnets of zoo ResNet50 and MobileNetV1 (224 px, ORT CPU), and the cost per subnet of
# each option. Arguments go to the bench: --models a,b --genomes N (50) --batch B (1) --rounds R (5) --threads T --seed S
#   bash bench/latency_table.sh
#   bash bench/latency_table.sh --models mobilenetv1 --genomes 60 --batch 8
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/FastPrune.Bench -v q -nologo >&2
exec dotnet bench/FastPrune.Bench/bin/Release/net10.0/FastPrune.Bench.dll latency-table "$@"
