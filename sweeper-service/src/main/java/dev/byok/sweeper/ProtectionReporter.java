package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.kms.KeyVersionId;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.ProtectionStatus;
import dev.byok.model.ProtectionStatus.DekCount;
import dev.byok.service.ChannelRecords;
import dev.byok.store.DekRepository;
import dev.byok.store.DekRepository.DekGroup;
import dev.byok.store.KeyConfigs;
import dev.byok.store.TenantEligibility;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * After each sweep: every configured tenant's {@link ProtectionStatus}, published to the compacted
 * protection topic when it changed, and the oldest-unprotected and quarantine metrics. A tenant
 * whose configuration is unreadable is reported (status, metric, an error line when it changes).
 */
@ApplicationScoped
public class ProtectionReporter {
    private final DekRepository deks;
    private final KeyConfigs keyConfigs;
    private final TenantEligibility eligibility;
    private final SweeperMetrics metrics;
    private final Duration protectWithin;
    private final Emitter<byte[]> channel;
    private final Map<String, ProtectionStatus> published = new ConcurrentHashMap<>();

    ProtectionReporter(
            DekRepository deks,
            KeyConfigs keyConfigs,
            TenantEligibility eligibility,
            SweeperMetrics metrics,
            SweeperConfig config,
            @Channel("protection-status") Emitter<byte[]> channel) {
        this.deks = deks;
        this.keyConfigs = keyConfigs;
        this.eligibility = eligibility;
        this.metrics = metrics;
        this.protectWithin = config.protectWithin();
        this.channel = channel;
    }

    void report(Instant now) {
        Map<String, KeyConfigEvent> configs = new HashMap<>(keyConfigs.snapshot());
        configs.keySet().removeIf(eligibility::offboarded);
        Map<String, List<DekGroup>> groups = new HashMap<>();
        await(deks.census(configs.keySet()))
                .forEach(g -> groups.computeIfAbsent(g.tenantId(), t -> new ArrayList<>())
                        .add(g));
        double oldestUnprotected = 0;
        double oldestTemporary = 0;
        int overdue = 0;
        long quarantined = 0;
        int unreadable = 0;
        for (Map.Entry<String, KeyConfigEvent> entry : configs.entrySet()) {
            ProtectionStatus status =
                    status(entry.getKey(), entry.getValue(), groups.getOrDefault(entry.getKey(), List.of()), now);
            if (status.targetKeyVersionId().isPresent()) {
                oldestUnprotected = Math.max(oldestUnprotected, secondsSince(status.oldestUnprotectedAt(), now));
                oldestTemporary = Math.max(oldestTemporary, secondsSince(status.oldestTemporaryAt(), now));
            }
            overdue += status.protectionOverdue() ? 1 : 0;
            quarantined += status.quarantinedDeks();
            unreadable += status.unreadableConfig().isPresent() ? 1 : 0;
            if (!status.sameAs(published.get(status.tenantId()))) {
                status.unreadableConfig()
                        .ifPresent(why ->
                                Log.errorf("tenant %s: %s; its DEKs are left as they are", status.tenantId(), why));
                if (status.protectionOverdue()) { // the metrics say how old, not whose: the log names the tenant
                    Log.warnf(
                            "tenant %s: data older than the protection deadline is readable without its key"
                                    + " (oldest unprotected DEK from %s, oldest temporary DEK from %s)",
                            status.tenantId(),
                            status.oldestUnprotectedAt().map(Instant::toString).orElse("-"),
                            status.oldestTemporaryAt().map(Instant::toString).orElse("-"));
                }
                await(ChannelRecords.send(channel, status.tenantId(), EventCodec.encode(status)));
                published.put(status.tenantId(), status);
            }
        }
        metrics.protection(oldestUnprotected, oldestTemporary, overdue, quarantined, unreadable);
        metrics.keyringDeks(await(deks.keyringDeks()));
    }

    private static double secondsSince(Optional<Instant> at, Instant now) {
        return at.map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0))
                .orElse(0.0);
    }

    private ProtectionStatus status(String tenant, KeyConfigEvent config, List<DekGroup> groups, Instant now) {
        Optional<String> unreadable = keyConfigs.unreadable(tenant);
        Optional<String> target = unreadable.isPresent()
                ? Optional.empty()
                : keyConfigs.customerKey(tenant).map(KeyVersionId::toString);
        boolean byok = target.isPresent() || unreadable.isPresent();
        long deks = 0;
        long onTarget = 0;
        long quarantined = 0;
        Instant oldestUnprotected = null;
        Instant oldestTemporary = null;
        DekCount temporary = DekCount.NONE;
        DekCount moving = DekCount.NONE;
        DekCount bornProtected = DekCount.NONE;
        List<String> older = new ArrayList<>();
        for (DekGroup g : groups) {
            deks += g.count();
            if (g.quarantined()) {
                quarantined += g.count(); // never on target: an operator has to look at them
                continue;
            }
            boolean managedOnly = g.customerKeyId().isEmpty();
            if (unreadable.isEmpty()
                    && (target.isPresent()
                            ? target.equals(g.customerKeyId()) && g.bornProtected()
                            : managedOnly && !g.pending())) {
                onTarget += g.count();
            }
            if (g.bornProtected()) {
                bornProtected = bornProtected.plus(g.count(), g.records());
            } else if (byok) {
                temporary = managedOnly ? temporary.plus(g.count(), g.records()) : temporary;
                moving = managedOnly ? moving : moving.plus(g.count(), g.records());
                oldestTemporary = earlier(oldestTemporary, g.oldest());
            }
            if (byok && managedOnly) {
                oldestUnprotected = earlier(oldestUnprotected, g.oldest());
            }
            if (!managedOnly
                    && !target.equals(g.customerKeyId())
                    && !older.contains(g.customerKeyId().get())) {
                older.add(g.customerKeyId().get());
            }
        }
        boolean overdue = oldestUnprotected != null && oldestUnprotected.isBefore(now.minus(protectWithin));
        return new ProtectionStatus(
                tenant,
                now,
                target,
                deks,
                onTarget,
                Optional.ofNullable(oldestUnprotected),
                overdue,
                older,
                retired(config, older),
                quarantined,
                unreadable,
                temporary,
                moving,
                bornProtected,
                Optional.ofNullable(oldestTemporary));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    /** The version the last roll moved away from, once no DEK uses it (nothing when that version id does not parse). */
    private static Optional<String> retired(KeyConfigEvent config, List<String> older) {
        if (!(config instanceof KeyConfigEvent.KeyVersionRolled rolled)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyVersionId.parse(rolled.fromKeyVersionId()).toString())
                    .filter(from -> !older.contains(from));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
