#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line "N passed, N failed, N skipped".
# Needs only the .NET SDK, cmake and a C compiler (the TensorRT binding's tests build a fake of the shim).
#   tools/test.sh          every test (what CI runs)
#   tools/test.sh --fast   without the tests tagged [Trait("Category", "Slow")]: whole searches, full-size zoo networks
set -euo pipefail
cd "$(dirname "$0")/.."
filter=()
case "${1:-}" in
  --fast) filter=(--filter "Category!=Slow") ;;
  "") ;;
  *) echo "usage: tools/test.sh [--fast]" >&2; exit 2 ;;
esac
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test FastPrune.sln -c Release --logger "trx" --results-directory "$results" "${filter[@]}" || status=$?
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
