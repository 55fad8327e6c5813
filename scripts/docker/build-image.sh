#!/usr/bin/env bash
# Builds the emulator image without reaching any registry (docs/container.md, "Offline build"):
#   1. the base image docker/Dockerfile names (node:20-bookworm-slim): kept when present, else pulled,
#      else made from this machine's node (build-local-base-image.sh);
#   2. the iothub-emulator package as `npm pack` makes it, and its production dependencies copied
#      from this checkout's node_modules (run `npm ci` first), staged in docker/staging/node_modules
#      by stage-emulator.sh;
#   3. docker build with DEPS_SOURCE=context; docker/staging is emptied again afterwards, so that a
#      later plain `docker build` (registry mode) cannot pick up stale packages.
#
#   scripts/docker/build-image.sh [image tag]     # default: iothub-emulator:local
set -euo pipefail

TAG="${1:-${IOTHUB_EMULATOR_IMAGE:-iothub-emulator:local}}"
BASE_IMAGE="${IOTHUB_NODE_IMAGE:-node:20-bookworm-slim}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log() { printf '[build-image] %s\n' "$*" >&2; }
cd "$REPO_ROOT"

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  if timeout 120 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then
    log "pulled $BASE_IMAGE"
  else
    log "$BASE_IMAGE cannot be pulled (no registry?): making it from this machine's node"
    scripts/docker/build-local-base-image.sh "$BASE_IMAGE"
  fi
fi

# The staged packages are this machine's: their native addons (better-sqlite3) must suit the image.
if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ] && [ "$(uname -s)/$(uname -m)" != "Linux/aarch64" ]; then
  log "staging host packages needs a Linux host; on $(uname -s) build with: docker build -f docker/Dockerfile -t $TAG ."
  exit 1
fi
started=$SECONDS
trap 'rm -rf docker/staging/node_modules docker/staging/staged-packages.txt' EXIT
sh scripts/docker/stage-emulator.sh docker/staging
docker build -q -f docker/Dockerfile --build-arg DEPS_SOURCE=context --build-arg NODE_IMAGE="$BASE_IMAGE" -t "$TAG" . >/dev/null
log "built $TAG in $((SECONDS - started))s ($(docker image inspect --format '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
