package dev.byok.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may do what on the Kafka control plane: one principal per service plus {@value #PRODUCER}
 * for event producers, each with the least it needs (docs/security.md explains every row). The
 * embedded broker provisions exactly these ACLs and deploy-check holds the Strimzi
 * {@code KafkaUser} resources to them. Kafka's READ and WRITE imply DESCRIBE. A service's consumer
 * groups are prefixed with its name, and only it may use them: no other principal can join a
 * group and take its partitions away.
 */
public final class KafkaAccess {
    public static final String PRODUCER = "producer";
    public static final String CONFIG_SERVICE = "config-service";
    public static final String CRYPTO_SERVICE = "crypto-service";
    public static final String SWEEPER_SERVICE = "sweeper-service";
    public static final String LOCKDOWN_SERVICE = "lockdown-service";
    /** Dashboards reading the lock states (key = tenant): the lock-state topic and nothing else. */
    public static final String DASHBOARD = "dashboard";
    /** The autoscaler (KEDA) reading crypto-service's ingest lag: it sees offsets, never records. */
    public static final String LAG_READER = "lag-reader";

    /**
     * What a grant allows: read or write one topic, use the consumer groups whose names start with
     * a prefix, or only describe a topic or group (offsets and lag, no records).
     */
    public enum Operation {
        READ_TOPIC,
        WRITE_TOPIC,
        USE_GROUP_PREFIX,
        DESCRIBE_TOPIC,
        DESCRIBE_GROUP
    }

    public record Grant(Operation operation, String resource) {}

    /** A SASL user and everything it may do; anything else is refused by the broker. */
    public record Principal(String name, List<Grant> grants) {
        public boolean mayWrite(String topic) {
            return grants.contains(new Grant(Operation.WRITE_TOPIC, topic));
        }

        public boolean mayRead(String topic) {
            return grants.contains(new Grant(Operation.READ_TOPIC, topic));
        }
    }

    private KafkaAccess() {}

    public static List<Principal> principals() {
        return List.of(
                new Principal(PRODUCER, List.of(write(Topics.ACTIVITY_INGEST))),
                new Principal(
                        CONFIG_SERVICE,
                        service(
                                write(Topics.TENANT_KEY_CONFIG),
                                read(Topics.TENANT_PROTECTION),
                                read(Topics.AUDIT_KEY_USAGE),
                                group(CONFIG_SERVICE))),
                new Principal(
                        CRYPTO_SERVICE,
                        service(
                                read(Topics.ACTIVITY_INGEST),
                                group(CRYPTO_SERVICE),
                                write(Topics.ACTIVITY_INGEST_DLQ))),
                new Principal(SWEEPER_SERVICE, service(write(Topics.TENANT_PROTECTION))),
                new Principal(
                        LOCKDOWN_SERVICE,
                        service(read(Topics.KEY_ACCESS), group(LOCKDOWN_SERVICE), write(Topics.TENANT_LOCK_STATE))),
                new Principal(DASHBOARD, List.of(read(Topics.TENANT_LOCK_STATE), group(DASHBOARD))),
                new Principal(
                        LAG_READER,
                        List.of(
                                new Grant(Operation.DESCRIBE_TOPIC, Topics.ACTIVITY_INGEST),
                                new Grant(Operation.DESCRIBE_GROUP, CRYPTO_SERVICE))));
    }

    public static Principal principal(String name) {
        return principals().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka principal named " + name));
    }

    /**
     * A service's own grants plus what every service needs: its tenant gate and key-config view read
     * lock-state and key-config, and its Key Vault calls are audited and their failures reported.
     */
    private static List<Grant> service(Grant... own) {
        List<Grant> grants = new ArrayList<>(List.of(own));
        grants.addAll(List.of(
                read(Topics.TENANT_LOCK_STATE),
                read(Topics.TENANT_KEY_CONFIG),
                write(Topics.KEY_ACCESS),
                write(Topics.AUDIT_KEY_USAGE)));
        return grants.stream().distinct().toList();
    }

    private static Grant read(String topic) {
        return new Grant(Operation.READ_TOPIC, topic);
    }

    private static Grant write(String topic) {
        return new Grant(Operation.WRITE_TOPIC, topic);
    }

    private static Grant group(String prefix) {
        return new Grant(Operation.USE_GROUP_PREFIX, prefix);
    }
}
