#!/usr/bin/env bash
# Installs, starts and stops a Docker engine for the container target on machines that have only
# the Docker client (see shared/reference/docker-and-testcontainers.md and docs/container.md).
#
#   scripts/docker/docker-daemon.sh install   # apt-get install docker.io when dockerd is missing
#   scripts/docker/docker-daemon.sh start     # start dockerd (no bridge network), wait for `docker info`
#   scripts/docker/docker-daemon.sh stop      # stop the dockerd that `start` started, by its pid
#   scripts/docker/docker-daemon.sh status
#
# The daemon is started with no bridge and no iptables rules: containers here use the host network
# only and talk to 127.0.0.1, never to a 172.x bridge address.
set -euo pipefail

STATE_DIR="${IOTHUB_DOCKERD_STATE_DIR:-/tmp/iothub-dockerd}"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"
READY_DEADLINE_SECONDS="${IOTHUB_DOCKERD_READY_SECONDS:-60}"

log() { printf '[docker-daemon] %s\n' "$*" >&2; }

docker_answers() { docker info >/dev/null 2>&1; }

install_engine() {
  if command -v dockerd >/dev/null 2>&1; then
    log "dockerd is installed: $(dockerd --version)"
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "dockerd is missing and cannot be installed here (needs root and apt-get): install a Docker engine."
    return 1
  fi
  log "installing docker.io with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  log "installed: $(dockerd --version)"
}

start_engine() {
  mkdir -p "$STATE_DIR"
  if docker_answers; then
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      log "the dockerd this script started earlier (pid $(cat "$PID_FILE")) answers; 'stop' will stop it"
    else
      log "a Docker engine already answers; leaving it as it is ('stop' will not touch it)"
      rm -f "$PID_FILE"
    fi
    return 0
  fi
  command -v dockerd >/dev/null 2>&1 || { log "dockerd is not installed: run '$0 install' first"; return 1; }
  log "starting dockerd (log: $LOG_FILE)"
  dockerd --bridge=none --iptables=false --ip-masq=false >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  wait_until_ready
}

# Polls `docker info` until it answers, the daemon dies, or the deadline passes.
wait_until_ready() {
  local pid deadline
  pid="$(cat "$PID_FILE")"
  deadline=$((SECONDS + READY_DEADLINE_SECONDS))
  until docker_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "dockerd (pid $pid) exited before answering; last lines of $LOG_FILE:"
      tail -n 20 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after ${READY_DEADLINE_SECONDS}s waiting for 'docker info' to answer (dockerd pid $pid)"
      tail -n 20 "$LOG_FILE" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  log "dockerd (pid $pid) is ready after $((SECONDS - deadline + READY_DEADLINE_SECONDS))s"
}

stop_engine() {
  if [ ! -f "$PID_FILE" ]; then
    log "no dockerd started by this script is running"
    return 0
  fi
  local pid deadline
  pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        log "dockerd (pid $pid) did not stop within 30s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  install) install_engine ;;
  start) start_engine ;;
  stop) stop_engine ;;
  status) if docker_answers; then docker version --format 'engine {{.Server.Version}} answers'; else echo "no Docker engine answers"; exit 1; fi ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
