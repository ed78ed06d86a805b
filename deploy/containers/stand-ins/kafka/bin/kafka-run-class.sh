#!/bin/sh
# Runs a class of Kafka's jars, as the distribution's script of the same name does (heap, JVM and log4j options from
# the same environment variables).
set -eu
[ $# -ge 1 ] || { echo "usage: kafka-run-class.sh CLASS [ARGS...]" >&2; exit 2; }
: "${KAFKA_LOG4J_OPTS:=-Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.yaml}"
# shellcheck disable=SC2086 # the options are word lists, as in Kafka's own scripts
exec /usr/bin/java ${KAFKA_HEAP_OPTS:--Xmx256M} ${KAFKA_JVM_PERFORMANCE_OPTS:-} $KAFKA_LOG4J_OPTS ${KAFKA_OPTS:-} \
  -cp '/opt/kafka/libs/*' "$@"
