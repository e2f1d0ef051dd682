#!/usr/bin/env bash
# What a .NET user does, on a fresh clone of this repository's HEAD: pack the solution, install the fastprune tool
# from the packed folder, run it without arguments in an empty folder (the bundled sample travels in the package),
# print its version, uninstall. Also checks that the library packages FastPrune and its dependency packages were
# produced. Everything happens under one temporary folder, removed at the end; the tool is installed with
# --tool-path, so no global tool or user setting is touched. The install reads only the packed folder (a
# nuget.config that clears every other source), so it works offline once the pack's restore is done.
#   tools/pack_smoke.sh [BUDGET=10]
# Exit status 0 when every step did what it should; the failing step is named otherwise.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
budget="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "pack_smoke: FAILED: $*" >&2; exit 1; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -1)
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"

echo "pack_smoke: fresh clone of $(git -C "$repo" rev-parse --short HEAD)"
git clone --quiet --no-hardlinks "$repo" "$work/clone"

echo "pack_smoke: dotnet pack FastPrune.sln"
dotnet pack "$work/clone/FastPrune.sln" -c Release -o "$work/packages" -nologo -v quiet -clp:NoSummary >/dev/null \
  || fail "dotnet pack"
for id in FastPrune FastPrune.Graph FastPrune.Kernels FastPrune.Evo FastPrune.TensorRT FastPrune.Cluster FastPrune.Tool; do
  [ -f "$work/packages/$id.$version.nupkg" ] || fail "package $id.$version.nupkg was not produced"
done
# Projects that must not pack (tests, bench, fuzz, examples) did not.
extra=$(find "$work/packages" -name '*.nupkg' | grep -v -E "/FastPrune(\.Graph|\.Kernels|\.Evo|\.TensorRT|\.Cluster|\.Tool)?\.$version\.nupkg$" || true)
[ -z "$extra" ] || fail "unexpected packages: $extra"

cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$work/packages" />
  </packageSources>
</configuration>
EOF
echo "pack_smoke: dotnet tool install FastPrune.Tool"
dotnet tool install --tool-path "$work/tools" --configfile "$work/nuget.config" FastPrune.Tool --version "$version" >/dev/null \
  || fail "dotnet tool install"

printed=$("$work/tools/fastprune" --version) || fail "fastprune --version"
case "$printed" in
  "$version" | "$version+"*) echo "pack_smoke: fastprune --version: $printed" ;;
  *) fail "fastprune --version printed '$printed', expected $version" ;;
esac

mkdir "$work/empty"
echo "pack_smoke: fastprune run --budget $budget --no-bench in an empty folder"
(cd "$work/empty" && "$work/tools/fastprune" run --budget "$budget" --no-bench) >"$work/run.log" 2>&1 \
  || { cat "$work/run.log" >&2; fail "fastprune run"; }
dirs=("$work/empty"/resnet-*)
[ ${#dirs[@]} -eq 1 ] && [ -d "${dirs[0]}" ] || fail "run wrote no single run folder into the current folder"
for f in history.csv front.json front.png pruned-0.50.onnx pruned-0.30.onnx; do
  [ -s "${dirs[0]}/$f" ] || fail "run folder lacks $f"
done
rows=$(($(wc -l <"${dirs[0]}/history.csv") - 1))
[ "$rows" -eq "$budget" ] || fail "history.csv has $rows subnets, expected $budget"

dotnet tool uninstall --tool-path "$work/tools" FastPrune.Tool >/dev/null || fail "dotnet tool uninstall"
[ ! -e "$work/tools/fastprune" ] || fail "uninstall left the fastprune command behind"
echo "pack_smoke: ok ($(du -h "$work/packages/FastPrune.Tool.$version.nupkg" | cut -f1) tool package, $rows subnets written to ${dirs[0]#"$work/"})"
