#!/usr/bin/env bash
# Runs the health checks of a compose project's containers under podman on a machine without systemd (a container,
# CI). podman schedules health checks with systemd timers; without systemd nothing runs them, containers stay
# "starting", and compose's depends_on: condition: service_healthy waits forever. This runs each not-yet-healthy
# container's own health check (podman healthcheck run: the command the compose file declares, in that container)
# every two seconds until stopped. Healthy containers are left alone: compose needs them healthy once.
#   deploy/containers/podman-healthchecks.sh [PROJECT]      (default: byok; Ctrl-C stops it)
set -uo pipefail
project="${1:-byok}"
while true; do
  for health in starting unhealthy; do
    podman ps --filter "label=com.docker.compose.project=$project" --filter "health=$health" --format '{{.Names}}' |
      while read -r name; do
        podman healthcheck run "$name" > /dev/null 2>&1
      done
  done
  sleep 2
done
