#!/bin/sh
# What Strimzi's KafkaUser and KafkaTopic resources do in Kubernetes: a SCRAM user with exactly the ACLs of
# shared-model KafkaAccess per principal (the deploy check compares the "grant" lines), and every topic of TopicSpecs.
set -eu
S=/secrets
K=/opt/kafka/bin
B="--bootstrap-server kafka:9094 --command-config $S/admin.properties"
for user in producer config-service crypto-service sweeper-service lockdown-service dashboard lag-reader; do
  $K/kafka-configs.sh $B --alter --entity-type users --entity-name "$user" \
    --add-config "SCRAM-SHA-512=[iterations=4096,password=$(cat "$S/passwords/$user")]"
done
# grant USER OPERATION topic|group NAME [prefixed]
grant() { $K/kafka-acls.sh $B --add --allow-principal "User:$1" --operation "$2" "--$3" "$4" ${5:+--resource-pattern-type prefixed}; }
grant producer Write topic byok.activity.ingest
grant config-service Read topic byok.tenant.lock-state
grant config-service Read topic byok.tenant.key-config
grant config-service Write topic byok.key-access
grant config-service Write topic byok.audit.key-usage
grant crypto-service Read topic byok.tenant.lock-state
grant crypto-service Read topic byok.tenant.key-config
grant crypto-service Write topic byok.key-access
grant crypto-service Write topic byok.audit.key-usage
grant sweeper-service Read topic byok.tenant.lock-state
grant sweeper-service Read topic byok.tenant.key-config
grant sweeper-service Write topic byok.key-access
grant sweeper-service Write topic byok.audit.key-usage
grant lockdown-service Read topic byok.tenant.lock-state
grant lockdown-service Read topic byok.tenant.key-config
grant lockdown-service Write topic byok.key-access
grant lockdown-service Write topic byok.audit.key-usage
grant config-service Write topic byok.tenant.key-config
grant config-service Read topic byok.tenant.protection
grant config-service Read topic byok.audit.key-usage
grant config-service Read group config-service prefixed
grant crypto-service Read topic byok.activity.ingest
grant crypto-service Read group crypto-service prefixed
grant crypto-service Write topic byok.activity.ingest.dlq
grant sweeper-service Write topic byok.tenant.protection
grant lockdown-service Read topic byok.key-access
grant lockdown-service Read group lockdown-service prefixed
grant lockdown-service Write topic byok.tenant.lock-state
grant dashboard Read topic byok.tenant.lock-state
grant dashboard Read group dashboard prefixed
grant lag-reader Describe topic byok.activity.ingest
grant lag-reader Describe group crypto-service
t() { $K/kafka-topics.sh $B --create --if-not-exists --partitions 6 --replication-factor 1 --topic "$1" $2; }
t byok.activity.ingest "--config retention.ms=172800000 --config segment.ms=3600000"
t byok.activity.ingest.dlq "--config retention.ms=604800000 --config segment.ms=3600000"
t byok.tenant.key-config "--config cleanup.policy=compact --config min.compaction.lag.ms=0"
t byok.key-access "--config retention.ms=604800000 --config message.timestamp.type=LogAppendTime"
t byok.tenant.lock-state "--config cleanup.policy=compact --config min.compaction.lag.ms=0"
t byok.tenant.protection "--config cleanup.policy=compact --config min.compaction.lag.ms=0"
t byok.audit.key-usage "--config retention.ms=2592000000"
