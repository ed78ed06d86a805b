package dev.byok.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The full Kafka client property set every client of a process is built from: bootstrap servers,
 * {@code security.protocol}, TLS trust and key stores, SASL mechanism and JAAS login. Services take
 * it from their {@code kafka.*} configuration; no client is built from bootstrap servers alone.
 * {@link #toString()} and {@link #describe()} name the principal and listener, never a password.
 */
public final class KafkaClientConfig {
    private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final Map<String, Object> properties;

    private KafkaClientConfig(Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
    }

    /** The given client properties; {@code bootstrap.servers} is required. */
    public static KafkaClientConfig of(Map<String, ?> properties) {
        Object bootstrap = properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.toString().isBlank()) {
            throw new IllegalArgumentException("Kafka client configuration without bootstrap.servers");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> copy.put(k, Objects.requireNonNull(v, k)));
        return new KafkaClientConfig(copy);
    }

    /** These properties plus (or replaced by) {@code overrides}. */
    public KafkaClientConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(properties);
        merged.putAll(overrides);
        return new KafkaClientConfig(merged);
    }

    public KafkaClientConfig with(String key, Object value) {
        return with(Map.of(key, value));
    }

    /** A copy of every property: what a client that is not built here (a test's, a tool's) is given. */
    public Map<String, Object> properties() {
        return new LinkedHashMap<>(properties);
    }

    public String bootstrapServers() {
        return properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
    }

    /** The SASL username of the JAAS login, if any: the principal the broker will see. */
    public String principal() {
        Object jaas = properties.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            return "ANONYMOUS";
        }
        Matcher m = JAAS_USERNAME.matcher(jaas.toString());
        return m.find() ? m.group(1) : "(" + properties.getOrDefault(SaslConfigs.SASL_MECHANISM, "GSSAPI") + " login)";
    }

    /** Principal, listener and protocol, for log lines that must say who failed to connect where. */
    public String describe() {
        Object protocol = properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        Object mechanism = properties.get(SaslConfigs.SASL_MECHANISM);
        return "principal " + principal() + " at " + bootstrapServers() + " over " + protocol
                + (mechanism == null ? "" : "/" + mechanism);
    }

    /** A consumer in {@code groupId}; offsets are committed by its owner, never automatically. */
    public KafkaConsumer<String, byte[]> consumer(String groupId, Map<String, ?> overrides) {
        Map<String, Object> props = clientProperties(overrides);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A consumer outside any consumer group, for {@code assign()}: needs read rights on topics only. */
    public KafkaConsumer<String, byte[]> groupLessConsumer(Map<String, ?> overrides) {
        Map<String, Object> props = clientProperties(overrides);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public KafkaProducer<String, byte[]> producer(Map<String, ?> overrides) {
        return new KafkaProducer<>(clientProperties(overrides), new StringSerializer(), new ByteArraySerializer());
    }

    public Admin admin(Map<String, ?> overrides) {
        return Admin.create(clientProperties(overrides));
    }

    /** These properties with {@code overrides}, without a consumer group (Quarkus' map may name one): each client adds its own. */
    private Map<String, Object> clientProperties(Map<String, ?> overrides) {
        Map<String, Object> props = new LinkedHashMap<>(properties);
        props.putAll(overrides);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    @Override
    public String toString() {
        return "KafkaClientConfig[" + describe() + "]";
    }
}
