#!/usr/bin/env bash
# Makes a minimal Node base image from THIS machine's node binary, for machines that reach no
# container registry (see shared/reference/docker-and-testcontainers.md, point 4, and docs/container.md).
#
#   scripts/docker/build-local-base-image.sh [tag]     # default tag: node:20-bookworm-slim
#
# The image is tagged with the name docker/Dockerfile uses on normal machines, so one Dockerfile
# builds in both places. It mirrors what the emulator image needs from the official image:
#   /usr/local/bin/node, npm under /usr/local/lib/node_modules/npm, the shared libraries that
#   `ldd node` lists, /bin/sh and /usr/bin/env (for shell-form RUN and npm's `#!/usr/bin/env node`),
#   a writable /tmp, and a `node` user with uid/gid 1000.
# An image of that name that this script did not make (a pulled official one) is never replaced.
set -euo pipefail

TAG="${1:-node:20-bookworm-slim}"
LABEL_KEY="io.github.iothub-emulator.local-base"
log() { printf '[local-base-image] %s\n' "$*" >&2; }

if docker image inspect "$TAG" >/dev/null 2>&1 &&
  [ "$(docker image inspect --format "{{ index .Config.Labels \"$LABEL_KEY\" }}" "$TAG")" != "true" ]; then
  log "$TAG exists and was not made by this script (a pulled image?): keeping it"
  exit 0
fi

NODE_BIN="$(readlink -f "$(command -v node)")"
NODE_VERSION="$(node --version)"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT

# Copies a file to the same absolute path under the root, following symlinks (merged-/usr hosts
# list /lib64/ld-linux-x86-64.so.2, itself a link).
copy_at_same_path() {
  mkdir -p "$ROOTFS$(dirname "$1")"
  cp -L "$1" "$ROOTFS$1"
}

mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/lib/node_modules" "$ROOTFS/bin" "$ROOTFS/usr/bin" "$ROOTFS/etc" "$ROOTFS/home/node" "$ROOTFS/tmp"
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
cp -r "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
cp -L /bin/sh "$ROOTFS/bin/sh"
cp -L /usr/bin/env "$ROOTFS/usr/bin/env"
for binary in "$NODE_BIN" /bin/sh /usr/bin/env; do
  for library in $(ldd "$binary" | grep -oE '/[^ ]+'); do copy_at_same_path "$library"; done
done
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$ROOTFS/etc/group"
chmod 1777 "$ROOTFS/tmp"
chown 1000:1000 "$ROOTFS/home/node"

tar -C "$ROOTFS" -c . | docker import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=${NODE_VERSION#v}" \
  --change "LABEL $LABEL_KEY=true" \
  --change 'CMD ["node"]' \
  - "$TAG" >/dev/null
log "made $TAG from node $NODE_VERSION ($(docker image inspect --format '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
