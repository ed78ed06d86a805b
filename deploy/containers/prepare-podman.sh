#!/usr/bin/env bash
# Prepares a Debian machine without a Docker engine to run the project's containers, as root (CI runs it before
# the containers suite): Debian's podman with runc, docker-compose and podman-compose, and the base image
# debian:bookworm-slim made locally with debootstrap when it cannot be pulled. Idempotent: what is there is kept.
#   deploy/containers/prepare-podman.sh
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
for tool in podman runc debootstrap docker-compose; do
  command -v "$tool" > /dev/null || need+=("$tool")
done
if ((${#need[@]})); then
  apt-get update -q || true
  apt-get install -y -q podman runc debootstrap docker-compose podman-compose
fi
# crun (podman's default runtime) refuses hybrid cgroups, and podman's default ulimits exceed the hard limits of
# such machines: runc and no default ulimits, system-wide (a machine that already has a containers.conf keeps it)
if [[ ! -f /etc/containers/containers.conf ]]; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' > /etc/containers/containers.conf
fi
base=docker.io/library/debian:bookworm-slim
if ! podman image exists "$base" && ! timeout 60 podman pull -q "$base" > /dev/null 2>&1; then
  # the same Debian packages as the official image, from the mirror apt uses here
  mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2> /dev/null || true)"
  rootfs="$(mktemp -d)"
  debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" > /dev/null
  tar -C "$rootfs" -c . | podman import - "$base" > /dev/null
  rm -rf "$rootfs"
fi
echo "podman $(podman version --format '{{.Client.Version}}'), $(docker-compose version --short 2> /dev/null | head -1 | sed 's/^/docker-compose /'), base image $base ready"
