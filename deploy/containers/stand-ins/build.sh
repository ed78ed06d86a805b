#!/usr/bin/env bash
# Builds local stand-ins for the two official images docker-compose.yml uses, tagged with their official names,
# for machines that cannot pull them (such as CI here): apache/kafka (Apache Kafka's broker and tools from Maven
# Central) and postgres (Debian's PostgreSQL). Each honours the environment contract the compose file relies on.
# With registry access, skip this: docker compose pulls the official images.
#   deploy/containers/stand-ins/build.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$(command -v podman || command -v docker || true)"
[[ -n "$engine" ]] || { echo "stand-ins: neither podman nor docker is installed" >&2; exit 2; }
pull=()
[[ "$(basename "$engine")" == podman ]] && pull=(--pull=never)
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")"
context="$here/../../../target/stand-ins/kafka"
rm -rf "$context" && mkdir -p "$context"
cp -r "$here/kafka/bin" "$here/kafka/docker" "$here/kafka/Dockerfile" "$context/"
mvn -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$context/libs"
"$engine" build "${pull[@]}" --build-arg "KAFKA_VERSION=$kafka_version" -t "docker.io/apache/kafka:$kafka_version" "$context"
"$engine" build "${pull[@]}" -t docker.io/library/postgres:15 "$here/postgres"
echo "built stand-ins: apache/kafka:$kafka_version, postgres:15"
