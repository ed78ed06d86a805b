package dev.byok.lockdown;

import dev.byok.kafka.ConsumerThreads;
import dev.byok.kafka.KafkaClientConfig;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Runs the per-tenant state machines of the tenants this replica owns. Replicas share one consumer
 * group over the co-partitioned, tenant-keyed key-access, key-config and lock-state topics (range
 * assignment): owning partition p means owning every tenant hashed to p. On assignment the owner
 * rebuilds those tenants from lock-state p (deadlines included) and key-config p, so a restart
 * neither resets a deadline nor locks twice. One thread mutates state: it polls events, applies
 * probe results, checks deadlines, starts probes, publishes, then commits.
 *
 * <p>Nothing another principal writes can unlock a tenant: only this engine's own round-trip probe
 * does. Event times are bounded ({@link EventTimeWindow}); a lock-state record the engine did not
 * write is overwritten with its state ({@link OwnLockStates}); a record that cannot be processed is
 * skipped and counted, and never stops the engine.
 */
public final class LockdownEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LockdownEngine.class.getName());

    private final KafkaClientConfig kafka;
    private final LockdownSettings settings;
    private final KeyProber prober;
    private final Clock clock;
    private final LockdownMetrics metrics;
    private final OwnedTenants owned;
    private final ProbeSchedule probes;
    private final EventTimeWindow eventTimes = new EventTimeWindow(EventTimeWindow.DEFAULT_SKEW);
    private final ConcurrentLinkedQueue<ProbeOutcome> probeResults = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile PartitionOwnership ownership;
    private volatile Set<String> ownedTenants = Set.of();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private LockStatePublisher lockStates;

    public LockdownEngine(
            KafkaClientConfig kafka,
            LockdownSettings settings,
            KeyProber prober,
            Clock clock,
            LockdownMetrics metrics) {
        this.kafka = kafka;
        this.settings = settings;
        this.prober = prober;
        this.clock = clock;
        this.metrics = metrics;
        this.owned = new OwnedTenants(settings.grace());
        this.probes = new ProbeSchedule(settings);
        this.thread = new Thread(this::run, "lockdown-engine");
    }

    public void start() {
        thread.start();
    }

    /** Whether the engine's thread still runs (it may still be joining its group). */
    public boolean alive() {
        return running && thread.isAlive();
    }

    /** Whether the engine has joined its group and runs. */
    public boolean running() {
        return started && running && thread.isAlive();
    }

    /** The tenants this replica owns now (refreshed every loop pass). */
    public Set<String> ownedTenants() {
        return ownedTenants;
    }

    /** The partition numbers (= tenant buckets) this replica owns now. */
    public Set<Integer> ownedPartitions() {
        PartitionOwnership current = ownership;
        return current == null ? Set.of() : current.partitions();
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = LockdownKafkaClients.consumer(kafka, settings.groupId());
                KafkaProducer<String, byte[]> p = LockdownKafkaClients.producer(kafka)) {
            consumer = c;
            lockStates = new LockStatePublisher(p, metrics);
            ownership = new PartitionOwnership(kafka, c, lockStates, owned, probes, clock, this::skipOnFailure);
            c.subscribe(List.of(Topics.KEY_ACCESS, Topics.TENANT_KEY_CONFIG, Topics.TENANT_LOCK_STATE), ownership);
            started = true;
            while (running) {
                var records = c.poll(settings.tickInterval());
                // configuration first: a failure in the same batch must meet its tenant's "enabled"
                records.records(Topics.TENANT_KEY_CONFIG).forEach(this::handle);
                records.records(Topics.KEY_ACCESS).forEach(this::handle);
                records.records(Topics.TENANT_LOCK_STATE).forEach(this::handle);
                applyProbeResults();
                tick();
                lockStates.flush(); // every transition is on the topic before its cause is committed
                if (!records.isEmpty()) {
                    c.commitSync();
                }
                metrics.owned(owned.countByStatus());
                ownedTenants = owned.tenantIds();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(
                    Level.SEVERE,
                    "lockdown engine stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        } finally {
            running = false;
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TenantHealth health = owned.tenant(record.partition(), record.key());
        if (health == null) {
            return;
        }
        try {
            Instant now = clock.instant();
            switch (record.topic()) {
                case Topics.TENANT_LOCK_STATE -> overwriteIfForeign(health, record);
                case Topics.TENANT_KEY_CONFIG -> {
                    if (record.value() != null) {
                        configure(health, EventCodec.decode(record.value(), KeyConfigEvent.class), now);
                    }
                }
                default -> {
                    // key-access: only failures count; a success another principal reports never unlocks (our own probe
                    // does)
                    if (record.value() != null
                            && EventCodec.decode(record.value(), KeyAccessEvent.class)
                                    instanceof KeyAccessEvent.Failed f) {
                        EventTimeWindow.Accepted at = eventTimes.accept(f.occurredAt(), record, now);
                        if (at.clamped()) {
                            anomaly(
                                    LockdownMetrics.Anomaly.EVENT_TIME_CLAMPED,
                                    record,
                                    "its event time " + f.occurredAt() + " was replaced by " + at.at());
                        }
                        Optional<TenantLockState> change = health.onFailure(f.failure(), at.at());
                        change.ifPresent(degraded -> probes.degraded(record.key(), now));
                        apply(health, change);
                    }
                }
            }
        } catch (RuntimeException e) {
            anomaly(
                    LockdownMetrics.Anomaly.RECORD_SKIPPED,
                    record,
                    "skipped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void configure(TenantHealth health, KeyConfigEvent event, Instant now) {
        apply(health, health.onConfig(event, now));
        probes.configured(health.tenantId(), health.byokEnabled(), now);
    }

    /** A lock state (or tombstone) this engine did not write is replaced by the engine's own state at once. */
    private void overwriteIfForeign(TenantHealth health, ConsumerRecord<String, byte[]> record) {
        if (lockStates.isOwn(record.key(), record.value())) {
            return;
        }
        anomaly(
                LockdownMetrics.Anomaly.FOREIGN_LOCK_STATE,
                record,
                "this engine did not write it; overwriting it with its own state");
        health.state()
                .ifPresentOrElse(
                        lockStates::publish, () -> lockStates.tombstone(record.key())); // no state: none may be shown
    }

    private void anomaly(LockdownMetrics.Anomaly anomaly, ConsumerRecord<String, byte[]> record, String what) {
        metrics.anomaly(anomaly);
        LOG.warning("record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " (tenant "
                + record.key() + "): " + what);
    }

    private void applyProbeResults() {
        ProbeOutcome outcome;
        while ((outcome = probeResults.poll()) != null) {
            metrics.probed(outcome);
            TenantHealth health = owned.find(outcome.tenantId());
            if (health == null) {
                continue; // no longer ours
            }
            if (outcome instanceof ProbeOutcome.Verified verified) {
                apply(health, health.onVerified(verified.at()));
            } else {
                ProbeOutcome.Failed failed = (ProbeOutcome.Failed) outcome;
                apply(health, health.onFailure(failed.failure(), failed.at()));
                apply(health, health.onProbed(failed.at()));
            }
            probes.probed(outcome.tenantId(), health.status(), clock.instant());
        }
    }

    private void tick() {
        Instant now = clock.instant();
        owned.forEach((tenantId, health) -> {
            skipOnFailure("the deadline check of tenant " + tenantId, () -> apply(health, health.onTick(now)));
            if (health.byokEnabled() && health.key().isPresent() && probes.startIfDue(tenantId, now)) {
                prober.probe(tenantId, health.directory(), health.key().get()).thenAccept(probeResults::add);
            }
        });
    }

    private void apply(TenantHealth health, Optional<TenantLockState> change) {
        change.ifPresent(lockStates::publish);
    }

    /** A step that fails on bad input is skipped and counted; the engine goes on. */
    private void skipOnFailure(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            metrics.anomaly(LockdownMetrics.Anomaly.RECORD_SKIPPED);
            LOG.warning(what + " was skipped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        ConsumerThreads.wakeAndJoin(consumer, thread, Duration.ofSeconds(10));
    }
}
