#!/usr/bin/env bash
# Builds every image of the project: the four services and the Key Vault emulator, from
# debian:bookworm-slim and Debian's OpenJDK 17 JRE. Run from anywhere after `mvn -B install -DskipTests`
# (the images copy each module's target/). Uses podman when present, else docker; the base image is
# never pulled when it is already there (docs/operations.md, "Run it in containers").
#   deploy/containers/build-images.sh [VERSION]
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${1:-0.1.0}"
engine="$(command -v podman || command -v docker || true)"
if [[ -z "$engine" ]]; then
  echo "build-images: neither podman nor docker is installed" >&2
  exit 2
fi
pull=()
if [[ "$(basename "$engine")" == podman ]]; then
  pull=(--pull=never)   # debian:bookworm-slim is local (made here with debootstrap) or pulled once by hand
fi
build() { # module dockerfile
  "$engine" build "${pull[@]}" --build-arg "VERSION=$version" -f "$1/$2" -t "byok/$1:$version" "$1"
}
for module in config-service crypto-service sweeper-service lockdown-service; do
  [[ -d "$module/target/quarkus-app" ]] || { echo "build-images: $module/target/quarkus-app is missing: run mvn -B install -DskipTests first" >&2; exit 2; }
  build "$module" src/main/docker/Dockerfile.jvm
done
[[ -d keyvault-emulator/target/dependency ]] || { echo "build-images: keyvault-emulator/target/dependency is missing: run mvn -B install -DskipTests first" >&2; exit 2; }
build keyvault-emulator src/main/docker/Dockerfile
echo "built: byok/{config-service,crypto-service,sweeper-service,lockdown-service,keyvault-emulator}:$version"
