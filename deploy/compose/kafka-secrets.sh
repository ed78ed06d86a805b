#!/bin/sh
# Makes the compose Kafka's TLS identity and SASL passwords once (kept in the kafka-secrets volume):
#   kafka.p12 + kafka-ca.pem     the broker's self-signed certificate (localhost, kafka), the clients' only trust
#   passwords/<user>             random passwords: admin (super user, broker-internal PLAIN) and every KafkaAccess user
#   <user>.quarkus.properties    a service's kafka.* settings (QUARKUS_CONFIG_LOCATIONS points at it)
#   <user>.properties            a Kafka client file (console tools inside the network: kafka:9092)
#   host/producer.properties     the producer's client file for the host (localhost:19092; owner-only: the user
#                                containers run as, e.g. you under rootless podman)
set -eu
S=/secrets
umask 077
mkdir -p "$S/passwords" "$S/host"
pw() { [ -s "$S/passwords/$1" ] || head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$S/passwords/$1"; cat "$S/passwords/$1"; }
[ -s "$S/passwords/keystore" ] || pw keystore > /dev/null
if [ ! -f "$S/kafka.p12" ]; then
  keytool -genkeypair -alias kafka -keyalg RSA -keysize 2048 -validity 3650 -dname CN=kafka \
    -ext SAN=dns:kafka,dns:localhost,ip:127.0.0.1 -storetype PKCS12 -keystore "$S/kafka.p12" \
    -storepass:file "$S/passwords/keystore" -keypass:file "$S/passwords/keystore"
  keytool -exportcert -rfc -alias kafka -keystore "$S/kafka.p12" -storepass:file "$S/passwords/keystore" > "$S/kafka-ca.pem"
fi
pw admin > /dev/null
jaas() { echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$(pw "$1")\";"; }
client() { # user bootstrap truststore
  printf 'bootstrap.servers=%s\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=%s\nssl.truststore.type=PEM\nssl.truststore.location=%s\n' \
    "$2" "$(jaas "$1")" "$3"
}
for user in producer config-service crypto-service sweeper-service lockdown-service dashboard lag-reader; do
  client "$user" kafka:9092 "$S/kafka-ca.pem" > "$S/$user.properties"
  client "$user" kafka:9092 "$S/kafka-ca.pem" | sed 's/^/kafka./' > "$S/$user.quarkus.properties"
done
client producer localhost:19092 "${HOST_DIR:-./.byok/compose/kafka}/host/kafka-ca.pem" > "$S/host/producer.properties"
cp "$S/kafka-ca.pem" "$S/host/kafka-ca.pem"
printf 'security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="%s";\nssl.truststore.type=PEM\nssl.truststore.location=%s\n' \
  "$(pw admin)" "$S/kafka-ca.pem" > "$S/admin.properties"
# the services run as uid 185 and read their own file; the broker (uid 1000) reads its key store
chown 185 "$S"/*-service.quarkus.properties "$S/kafka-ca.pem"
chown 1000 "$S/kafka.p12" "$S/passwords/keystore" "$S/passwords/admin"
chown 1000 "$S/admin.properties"
chmod 0755 "$S" "$S/host" && chmod 0711 "$S/passwords" && chmod 0644 "$S/kafka-ca.pem" "$S/host/kafka-ca.pem"
