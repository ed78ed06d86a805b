package dev.byok.sweeper;

import dev.byok.kms.KeyVersionId;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.ProtectionStatus;
import dev.byok.service.ChannelRecords;
import dev.byok.service.KeyConfigs;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * After each sweep: every configured tenant's {@link ProtectionStatus}, published to the compacted
 * protection topic when it changed, and the oldest-unprotected and quarantine metrics. A tenant
 * whose configuration is unreadable is reported (status, metric, an error line when it changes).
 */
@ApplicationScoped
public class ProtectionReporter {
    /** One group of a tenant's DEKs: same customer key version (null: managed only), pending flag and quarantine. */
    private record DekGroup(String customerKeyId, boolean pending, boolean quarantined, long count, Instant oldest) {
    }

    private final Pool pool;
    private final KeyConfigs keyConfigs;
    private final SweeperMetrics metrics;
    private final Duration protectWithin;
    private final Emitter<byte[]> channel;
    private final Map<String, ProtectionStatus> published = new ConcurrentHashMap<>();

    ProtectionReporter(Pool pool, KeyConfigs keyConfigs, SweeperMetrics metrics, SweeperConfig config,
                       @Channel("protection-status") Emitter<byte[]> channel) {
        this.pool = pool;
        this.keyConfigs = keyConfigs;
        this.metrics = metrics;
        this.protectWithin = config.protectWithin();
        this.channel = channel;
    }

    void report(Instant now) throws Exception {
        Map<String, KeyConfigEvent> configs = new HashMap<>(keyConfigs.snapshot());
        configs.values().removeIf(KeyConfigEvent.TenantOffboarded.class::isInstance);
        Map<String, List<DekGroup>> groups = groups(configs.keySet());
        Map<String, Double> oldestUnprotected = new HashMap<>();
        int overdue = 0;
        long quarantined = 0;
        int unreadable = 0;
        for (Map.Entry<String, KeyConfigEvent> entry : configs.entrySet()) {
            ProtectionStatus status = status(entry.getKey(), entry.getValue(), groups.getOrDefault(entry.getKey(), List.of()), now);
            if (status.targetKeyVersionId().isPresent()) {
                oldestUnprotected.put(status.tenantId(),
                        status.oldestUnprotectedAt().map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0)).orElse(0.0));
            }
            overdue += status.protectionOverdue() ? 1 : 0;
            quarantined += status.quarantinedDeks();
            unreadable += status.unreadableConfig().isPresent() ? 1 : 0;
            if (!status.sameAs(published.get(status.tenantId()))) {
                status.unreadableConfig().ifPresent(why -> Log.errorf("tenant %s: %s; its DEKs are left as they are", status.tenantId(), why));
                ChannelRecords.send(channel, status.tenantId(), EventCodec.encode(status)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                published.put(status.tenantId(), status);
            }
        }
        metrics.protection(oldestUnprotected, overdue, quarantined, unreadable);
    }

    private ProtectionStatus status(String tenant, KeyConfigEvent config, List<DekGroup> groups, Instant now) {
        Optional<String> unreadable = keyConfigs.unreadable(tenant);
        Optional<String> target = unreadable.isPresent() ? Optional.empty() : keyConfigs.customerKey(tenant).map(KeyVersionId::toString);
        long deks = 0;
        long onTarget = 0;
        long quarantined = 0;
        Instant oldestUnprotected = null;
        List<String> older = new ArrayList<>();
        for (DekGroup g : groups) {
            deks += g.count();
            if (g.quarantined()) {
                quarantined += g.count(); // never on target: an operator has to look at them
                continue;
            }
            boolean managedOnly = g.customerKeyId() == null;
            if (unreadable.isEmpty() && (target.isPresent() ? target.get().equals(g.customerKeyId()) : managedOnly && !g.pending())) {
                onTarget += g.count();
            }
            if ((target.isPresent() || unreadable.isPresent()) && managedOnly && (oldestUnprotected == null || g.oldest().isBefore(oldestUnprotected))) {
                oldestUnprotected = g.oldest();
            }
            if (!managedOnly && !target.equals(Optional.of(g.customerKeyId())) && !older.contains(g.customerKeyId())) {
                older.add(g.customerKeyId());
            }
        }
        boolean overdue = oldestUnprotected != null && oldestUnprotected.isBefore(now.minus(protectWithin));
        return new ProtectionStatus(tenant, now, target, deks, onTarget, Optional.ofNullable(oldestUnprotected), overdue, older,
                retired(config, older), quarantined, unreadable);
    }

    /** The version the last roll moved away from, once no DEK uses it (nothing when that version id does not parse). */
    private static Optional<String> retired(KeyConfigEvent config, List<String> older) {
        if (!(config instanceof KeyConfigEvent.KeyVersionRolled rolled)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyVersionId.parse(rolled.fromKeyVersionId()).toString()).filter(from -> !older.contains(from));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, List<DekGroup>> groups(java.util.Set<String> tenants) {
        Map<String, List<DekGroup>> out = new HashMap<>();
        if (tenants.isEmpty()) {
            return out;
        }
        for (Row r : pool.preparedQuery("SELECT tenant_id, customer_key_id, pending, quarantined_at IS NOT NULL AS quarantined, count(*) AS n,"
                        + " min(created_at) AS oldest FROM dek WHERE tenant_id = ANY($1) GROUP BY 1, 2, 3, 4")
                .execute(Tuple.of(tenants.toArray(new String[0]))).await().atMost(Duration.ofMinutes(1))) {
            out.computeIfAbsent(r.getString("tenant_id"), t -> new ArrayList<>()).add(new DekGroup(r.getString("customer_key_id"),
                    r.getBoolean("pending"), r.getBoolean("quarantined"), r.getLong("n"), r.getOffsetDateTime("oldest").toInstant()));
        }
        return out;
    }
}
