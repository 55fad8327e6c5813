#!/bin/sh
# Stages what the emulator image holds (docs/container.md), after `npm ci` in this checkout:
#   <out>/node_modules/iothub-emulator   the package exactly as `npm pack` makes it (what a consumer
#                                        installs; its prepack builds dist/ from clean);
#   <out>/node_modules/...               its production dependencies, as npm's own dependency graph
#                                        lists them (`npm ls --omit=dev -w iothub-emulator`), copied
#                                        from node_modules with their installed native addons, minus
#                                        the addons' C sources and object files;
#   <out>/staged-packages.txt            the list (docker/Dockerfile checks for it).
# No network: everything comes from the checkout. Used by scripts/docker/build-image.sh on the host
# (DEPS_SOURCE=context) and by docker/Dockerfile itself (DEPS_SOURCE=registry). POSIX sh.
#
#   scripts/docker/stage-emulator.sh <out dir>
set -eu

[ $# -eq 1 ] || { echo "usage: $0 <out dir>" >&2; exit 64; }
REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
log() { printf '[stage-emulator] %s\n' "$*" >&2; }
cd "$REPO_ROOT"
[ -d node_modules/aedes ] || { log "node_modules is missing or incomplete: run 'npm ci' first"; exit 1; }

rm -rf "$OUT/node_modules" "$OUT/staged-packages.txt"
mkdir -p "$OUT/node_modules/iothub-emulator"

# 1. The package. npm prints the build's compiler errors on stdout: keep them, on stderr.
npm pack --silent -w iothub-emulator --pack-destination "$WORK" >&2
set -- "$WORK"/iothub-emulator-*.tgz
TARBALL=$1
[ -f "$TARBALL" ] || { log "npm pack wrote no iothub-emulator tarball"; exit 1; }
tar -xzf "$TARBALL" -C "$OUT/node_modules/iothub-emulator" --strip-components=1

# 2. Its production dependencies: the emulator's own, never the harness's.
npm ls --silent -w iothub-emulator --omit=dev --all --parseable >"$WORK/graph.txt"
sed "s#^$REPO_ROOT/##" "$WORK/graph.txt" | grep -E '^(emulator/)?node_modules/' | grep -vx 'node_modules/iothub-emulator' | LC_ALL=C sort -u >"$WORK/packages.txt"

# A node-gyp addon (it has binding.gyp) needs only build/Release/*.node, or its prebuilds/, at run time.
prune_addon() {
  rm -rf "$1/deps" "$1/src"
  [ -d "$1/build" ] || return 0
  find "$1/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  [ -d "$1/build/Release" ] || return 0
  find "$1/build/Release" -mindepth 1 -maxdepth 1 ! -name '*.node' -exec rm -rf {} +
}

# The emulator's own node_modules (a version the root could not hoist) goes inside the package.
destination() {
  case "$1" in
    emulator/*) echo "$OUT/node_modules/iothub-emulator/${1#emulator/}" ;;
    *) echo "$OUT/$1" ;;
  esac
}

copied=0
while read -r package; do
  case "${package#emulator/}" in
    # A nested package comes with the package it is nested in (its dependent lives in that subtree).
    node_modules/*/node_modules/*) continue ;;
  esac
  target=$(destination "$package")
  mkdir -p "$(dirname "$target")"
  cp -R "$package" "$target"
  if [ -f "$target/binding.gyp" ]; then prune_addon "$target"; fi
  copied=$((copied + 1))
done <"$WORK/packages.txt"

# Every nested package npm listed must have arrived with its parent.
while read -r package; do
  [ -e "$(destination "$package")/package.json" ] || { log "$package was not staged"; exit 1; }
done <"$WORK/packages.txt"

cp "$WORK/packages.txt" "$OUT/staged-packages.txt"
log "iothub-emulator ($(basename "$TARBALL")) and $(wc -l <"$WORK/packages.txt" | tr -d ' ') dependency packages ($copied top-level) staged in $OUT/node_modules"
