#!/usr/bin/env bash
# Long fuzzing runs: instruments FastPrune's model loader and data readers with SharpFuzz and runs AFL++ on
# each target for SECONDS (default 600), then replays every crash and hang it saved.
#   tools/fuzz.sh [SECONDS] [TARGET...]        targets: model npy idx image (default: all four, one after another)
# Needs the .NET SDK, AFL++ (Debian: apt-get install afl++) and the tool manifest's sharpfuzz (dotnet tool restore).
# Output under out/fuzz (FUZZ_OUT overrides): plain/ and bin/ (the build before and after instrumenting), seeds/, TARGET/ (AFL++ state),
# crashes/TARGET/ (inputs to turn into regression tests) and summary.txt. Exit status 1 when a crash was found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(model npy idx image)
out=${FUZZ_OUT:-out/fuzz}
mkdir -p "$out"
out=$(cd "$out" && pwd)

command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 2; }
dotnet tool restore >/dev/null
rm -rf "$out/bin" "$out/plain"
dotnet publish tests/FastPrune.Fuzz -c Release -o "$out/plain" --nologo -v quiet
# Instrumented code writes its trace to AFL's shared memory and faults outside afl-fuzz, so seeds and replays
# use the plain build.
cp -r "$out/plain" "$out/bin"
# Coverage comes from the instrumented managed code: the loader, validator, shape inference and pruning analysis
# (FastPrune.Graph), the protobuf parser under it, and the data readers (FastPrune.Data). Skia's codecs are native
# and not instrumented: the image target explores them blind, through the managed checks around them.
dotnet sharpfuzz "$out/bin/FastPrune.Graph.dll"
dotnet sharpfuzz "$out/bin/Google.Protobuf.dll"
dotnet sharpfuzz "$out/bin/FastPrune.dll" FastPrune.Data
rm -rf "$out/seeds"
dotnet "$out/plain/FastPrune.Fuzz.dll" seeds "$out/seeds"

# AFL++ starts `dotnet`, which is not instrumented itself; SharpFuzz speaks the fork-server protocol from managed
# code. A 2 GB GC heap limit turns an allocation sized by a hostile header into an OutOfMemoryException, which is
# reported as a crash instead of taking the machine's memory.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_GCHeapHardLimit=0x80000000 DOTNET_TieredPGO=0

status=0
: > "$out/summary.txt"
for t in "${targets[@]}"; do
  rm -rf "${out:?}/$t"
  # -V: stop after the given seconds; -t: per-input timeout in ms (a hang is saved like a crash).
  afl-fuzz -V "$seconds" -t 5000 -m none -i "$out/seeds/$t" -o "$out/$t" -- dotnet "$out/bin/FastPrune.Fuzz.dll" "$t" \
    > "$out/$t.log" 2>&1 || echo "fuzz.sh: afl-fuzz on $t ended with status $? (see $out/$t.log)" >&2
  stats="$out/$t/default/fuzzer_stats"
  stat() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | head -1; }
  mkdir -p "$out/crashes/$t"
  find "$out/$t/default/crashes" "$out/$t/default/hangs" -type f -name 'id:*' -exec cp {} "$out/crashes/$t/" \; 2>/dev/null || true
  found=$(find "$out/crashes/$t" -type f | wc -l)
  line="$t: $(stat execs_done) executions in $(stat run_time) s, corpus $(stat corpus_count), crashes $(stat saved_crashes), hangs $(stat saved_hangs)"
  echo "$line" | tee -a "$out/summary.txt"
  if [ "$found" -gt 0 ]; then
    status=1
    dotnet "$out/plain/FastPrune.Fuzz.dll" replay "$t" "$out/crashes/$t"/* | sed 's/^/  /' | tee -a "$out/summary.txt" || true
  fi
done
exit $status
