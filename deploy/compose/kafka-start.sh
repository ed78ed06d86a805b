#!/bin/sh
# Starts the compose broker with its passwords from the kafka-secrets volume (never in compose.yml or a command line).
set -eu
S=/secrets
ADMIN="$(cat "$S/passwords/admin")"
export KAFKA_SSL_KEYSTORE_PASSWORD="$(cat "$S/passwords/keystore")"
export KAFKA_SSL_KEY_PASSWORD="$KAFKA_SSL_KEYSTORE_PASSWORD"
# clients (SCRAM) on 9092 (the compose network) and 19092 (the host); the broker's own traffic and provisioning on PLAIN
SCRAM_JAAS="org.apache.kafka.common.security.scram.ScramLoginModule required;"
PLAIN_JAAS="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$ADMIN\" user_admin=\"$ADMIN\";"
export KAFKA_LISTENER_NAME_CLIENTS_SCRAM___SHA___512_SASL_JAAS_CONFIG="$SCRAM_JAAS"
export KAFKA_LISTENER_NAME_HOST_SCRAM___SHA___512_SASL_JAAS_CONFIG="$SCRAM_JAAS"
export KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG="$PLAIN_JAAS"
export KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG="$PLAIN_JAAS"
exec /etc/kafka/docker/run
