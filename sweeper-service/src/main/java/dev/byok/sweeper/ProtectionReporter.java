package dev.byok.sweeper;

import dev.byok.kms.KeyVersionId;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.ProtectionStatus;
import dev.byok.model.Topics;
import dev.byok.service.KafkaTopics;
import dev.byok.service.KeyConfigs;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * After each sweep: every configured tenant's {@link ProtectionStatus}, published to the compacted
 * protection topic when it changed, and the oldest-unprotected metrics.
 */
@ApplicationScoped
public class ProtectionReporter {
    /** One group of a tenant's DEKs: same customer key version (null: managed only) and pending flag. */
    private record DekGroup(String customerKeyId, boolean pending, long count, Instant oldest) {
    }

    private final Pool pool;
    private final KeyConfigs keyConfigs;
    private final SweeperMetrics metrics;
    private final Duration protectWithin;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, ProtectionStatus> published = new ConcurrentHashMap<>();

    ProtectionReporter(Pool pool, KeyConfigs keyConfigs, SweeperMetrics metrics, SweeperConfig config, KafkaTopics topics) {
        this.pool = pool;
        this.keyConfigs = keyConfigs;
        this.metrics = metrics;
        this.protectWithin = config.protectWithin();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    void report(Instant now) throws Exception {
        Map<String, KeyConfigEvent> configs = new HashMap<>(keyConfigs.snapshot());
        configs.values().removeIf(KeyConfigEvent.TenantOffboarded.class::isInstance);
        Map<String, List<DekGroup>> groups = groups(configs.keySet());
        Map<String, Double> oldestUnprotected = new HashMap<>();
        int overdue = 0;
        for (Map.Entry<String, KeyConfigEvent> entry : configs.entrySet()) {
            ProtectionStatus status = status(entry.getKey(), entry.getValue(), groups.getOrDefault(entry.getKey(), List.of()), now);
            if (status.targetKeyVersionId().isPresent()) {
                oldestUnprotected.put(status.tenantId(),
                        status.oldestUnprotectedAt().map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0)).orElse(0.0));
            }
            overdue += status.protectionOverdue() ? 1 : 0;
            if (!status.sameAs(published.get(status.tenantId()))) {
                producer.send(new ProducerRecord<>(Topics.TENANT_PROTECTION, status.tenantId(), EventCodec.encode(status))).get(30, TimeUnit.SECONDS);
                published.put(status.tenantId(), status);
            }
        }
        metrics.protection(oldestUnprotected, overdue);
    }

    private ProtectionStatus status(String tenant, KeyConfigEvent config, List<DekGroup> groups, Instant now) {
        Optional<String> target = keyConfigs.customerKey(tenant).map(KeyVersionId::toString);
        long deks = 0;
        long onTarget = 0;
        Instant oldestUnprotected = null;
        List<String> older = new ArrayList<>();
        for (DekGroup g : groups) {
            deks += g.count();
            boolean managedOnly = g.customerKeyId() == null;
            if (target.isPresent() ? target.get().equals(g.customerKeyId()) : managedOnly && !g.pending()) {
                onTarget += g.count();
            }
            if (target.isPresent() && managedOnly && (oldestUnprotected == null || g.oldest().isBefore(oldestUnprotected))) {
                oldestUnprotected = g.oldest();
            }
            if (!managedOnly && !target.equals(Optional.of(g.customerKeyId())) && !older.contains(g.customerKeyId())) {
                older.add(g.customerKeyId());
            }
        }
        Optional<String> retired = config instanceof KeyConfigEvent.KeyVersionRolled rolled
                ? Optional.of(KeyVersionId.parse(rolled.fromKeyVersionId()).toString()).filter(from -> !older.contains(from))
                : Optional.empty();
        boolean overdue = oldestUnprotected != null && oldestUnprotected.isBefore(now.minus(protectWithin));
        return new ProtectionStatus(tenant, now, target, deks, onTarget, Optional.ofNullable(oldestUnprotected), overdue, older, retired);
    }

    private Map<String, List<DekGroup>> groups(java.util.Set<String> tenants) {
        Map<String, List<DekGroup>> out = new HashMap<>();
        if (tenants.isEmpty()) {
            return out;
        }
        for (Row r : pool.preparedQuery("SELECT tenant_id, customer_key_id, pending, count(*) AS n, min(created_at) AS oldest FROM dek"
                        + " WHERE tenant_id = ANY($1) GROUP BY tenant_id, customer_key_id, pending")
                .execute(Tuple.of(tenants.toArray(new String[0]))).await().atMost(Duration.ofMinutes(1))) {
            out.computeIfAbsent(r.getString("tenant_id"), t -> new ArrayList<>()).add(new DekGroup(r.getString("customer_key_id"),
                    r.getBoolean("pending"), r.getLong("n"), r.getOffsetDateTime("oldest").toInstant()));
        }
        return out;
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
