#!/usr/bin/env bash
# The container target, end to end, for CI (.ci/run) and by hand (docs/container.md):
#   1. install docker.io when dockerd is missing; start dockerd (no bridge) and wait for it;
#   2. build the local base image when needed, then the emulator image (offline);
#   3. run the testcontainers module tests and the feature suite on the container target, over
#      Mqtt and MqttWs;
#   4. stop the dockerd that step 1 started, by its pid.
# Exit code: 0 only when every suite passed. No Docker means failure with a message, never a skip.
# Needs node_modules (npm ci) in the checkout.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DAEMON="$REPO_ROOT/scripts/docker/docker-daemon.sh"
export IOTHUB_EMULATOR_IMAGE="${IOTHUB_EMULATOR_IMAGE:-iothub-emulator:local}"
log() { printf '[ci-container-tests] %s\n' "$*" >&2; }
cd "$REPO_ROOT" || exit 1

# Runs on every exit: stops only a daemon this run started (docker-daemon.sh keeps its pid).
trap '"$DAEMON" stop' EXIT

if ! "$DAEMON" install || ! "$DAEMON" start; then
  log "FAILED: the container target needs a working Docker engine and none could be installed or started (see above)."
  exit 1
fi

started=$SECONDS
if ! scripts/docker/build-image.sh "$IOTHUB_EMULATOR_IMAGE"; then
  log "FAILED: the emulator image did not build."
  exit 1
fi
log "image build: $((SECONDS - started))s"

passed=0
failed=0
run_suite() {
  local name="$1"
  shift
  local suite_started=$SECONDS
  log "running $name"
  if "$@"; then
    passed=$((passed + 1))
    log "$name passed in $((SECONDS - suite_started))s"
  else
    failed=$((failed + 1))
    log "$name FAILED after $((SECONDS - suite_started))s"
  fi
}

run_suite "testcontainers module tests" npm run --silent test:container:module
run_suite "features on the container target (Mqtt)" npm run --silent test:container
run_suite "features on the container target (MqttWs)" npm run --silent test:container:ws
run_suite "features on the container target (Amqp)" npm run --silent test:container:amqp
run_suite "features on the container target (AmqpWs)" npm run --silent test:container:amqp-ws
run_suite "features on the container target (Http)" npm run --silent test:container:http

# The legacy builder leaves each replaced image and build stage behind, untagged.
docker image prune -f >/dev/null 2>&1 || true
echo "container: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
