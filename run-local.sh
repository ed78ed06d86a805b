#!/usr/bin/env sh
# Runs the whole system locally: builds what it needs (tests skipped), then starts a Kafka broker,
# PostgreSQL, the Key Vault emulator and the four services. Ctrl-C stops everything.
#   ./run-local.sh [--fresh] [--demo-timers] [--help for every option]
set -e
cd "$(dirname "$0")"
echo "[byok] building (mvn install, tests skipped)..."
mvn -q -B install -DskipTests
exec mvn -q -B exec:java -pl local-stack -Dexec.args="$*"
