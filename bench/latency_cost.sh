#!/bin/bash
# time per subnet, --objective latency vs macs, bundled sample, same seed and budget, alternating order
cd "$(dirname "$0")/.." && mkdir -p "${OUT:-/tmp/latcost}"
for i in 1 2 3 4; do for obj in macs latency; do
  d=${OUT:-/tmp/latcost}/$obj-$i; rm -rf $d
  ./fastprune run --objective $obj --budget 40 --targets 0.5 --out $d 2>$d.err >$d.out
  rate=$(tr '\r' '\n' < $d.err | grep -o '40/40 subnets · [0-9.]*/s' | tail -1 | grep -o '[0-9.]*/s')
  echo "$obj run $i: $rate"
done; done
