package dev.byok.lockdown;

import dev.byok.kafka.KafkaClientConfig;
import dev.byok.kafka.ConsumerThreads;
import dev.byok.kafka.PartitionReader;
import dev.byok.kms.KeyRef;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.LockStatus;
import dev.byok.model.MalformedEventException;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Runs the per-tenant state machines of the tenants this replica owns. Replicas share one consumer
 * group over the tenant-keyed key-access and key-config topics, co-partitioned with the lock-state
 * topic (range assignment): owning partition p means owning every tenant hashed to p. On assignment
 * the owner rebuilds those tenants from lock-state p (deadlines included) and key-config p, so a
 * restart neither resets a deadline nor locks twice. One thread mutates state: it polls events,
 * applies probe results, checks deadlines, starts probes, publishes, then commits.
 */
public final class LockdownEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LockdownEngine.class.getName());

    private final KafkaClientConfig kafka;
    private final LockdownSettings settings;
    private final KeyProber prober;
    private final Clock clock;
    private final LockdownMetrics metrics;
    private final OwnedTenants owned;
    private final Map<String, Instant> nextProbe = new HashMap<>();
    private final Set<String> probing = new HashSet<>();
    private final Map<String, LockStatus> lastPublished = new HashMap<>();
    private final ConcurrentLinkedQueue<ProbeOutcome> probeResults = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile Set<Integer> ownedPartitions = Set.of();
    private volatile Set<String> ownedTenants = Set.of();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;

    public LockdownEngine(KafkaClientConfig kafka, LockdownSettings settings, KeyProber prober, Clock clock, LockdownMetrics metrics) {
        this.kafka = kafka;
        this.settings = settings;
        this.prober = prober;
        this.clock = clock;
        this.metrics = metrics;
        this.owned = new OwnedTenants(settings.grace());
        this.thread = new Thread(this::run, "lockdown-engine");
    }

    public void start() {
        thread.start();
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
        return ownedPartitions;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = LockdownKafkaClients.consumer(kafka, settings.groupId());
             KafkaProducer<String, byte[]> p = LockdownKafkaClients.producer(kafka)) {
            consumer = c;
            producer = p;
            c.subscribe(List.of(Topics.KEY_ACCESS, Topics.TENANT_KEY_CONFIG), new Ownership());
            started = true;
            while (running) {
                var records = c.poll(settings.tickInterval());
                // configuration first: a failure in the same batch must meet its tenant's "enabled"
                records.records(Topics.TENANT_KEY_CONFIG).forEach(this::handle);
                records.records(Topics.KEY_ACCESS).forEach(this::handle);
                applyProbeResults();
                tick();
                p.flush(); // every transition is on the topic before its cause is committed
                if (!records.isEmpty()) {
                    c.commitSync();
                }
                metrics.owned(owned.countByStatus());
                ownedTenants = owned.tenantIds();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "lockdown engine stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            running = false;
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TenantHealth health = owned.tenant(record.partition(), record.key());
        if (health == null || record.value() == null) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (Topics.TENANT_KEY_CONFIG.equals(record.topic())) {
                KeyConfigEvent event = EventCodec.decode(record.value(), KeyConfigEvent.class);
                apply(health, health.onConfig(event, now));
                if (health.byokEnabled()) {
                    nextProbe.putIfAbsent(record.key(), now.plus(jittered(settings.backgroundProbeInterval())));
                } else {
                    nextProbe.remove(record.key());
                }
            } else {
                KeyAccessEvent event = EventCodec.decode(record.value(), KeyAccessEvent.class);
                if (event instanceof KeyAccessEvent.Failed failed) {
                    degrade(health, record.key(), health.onFailure(failed.failure(), failed.occurredAt()));
                } else if (event instanceof KeyAccessEvent.Succeeded ok && ok.roundTripVerified()) {
                    apply(health, health.onVerified(ok.occurredAt()));
                }
            }
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warning("skipping a malformed record at " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage());
        }
    }

    /** A tenant that just degraded is probed after one probe interval (the key may come back). */
    private void degrade(TenantHealth health, String tenantId, Optional<TenantLockState> change) {
        if (change.isPresent()) {
            nextProbe.put(tenantId, clock.instant().plus(settings.degradedProbeInterval()));
        }
        apply(health, change);
    }

    private void applyProbeResults() {
        ProbeOutcome outcome;
        while ((outcome = probeResults.poll()) != null) {
            probing.remove(outcome.tenantId());
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
            Duration next = health.status() == LockStatus.HEALTHY ? jittered(settings.backgroundProbeInterval()) : settings.degradedProbeInterval();
            nextProbe.put(outcome.tenantId(), clock.instant().plus(next));
        }
    }

    private void tick() {
        Instant now = clock.instant();
        owned.forEach((tenantId, health) -> {
            apply(health, health.onTick(now));
            Instant due = nextProbe.get(tenantId);
            if (health.byokEnabled() && health.key().isPresent() && due != null && !due.isAfter(now) && probing.add(tenantId)) {
                KeyRef key = health.key().get();
                prober.probe(tenantId, key).thenAccept(probeResults::add);
            }
        });
    }

    private void apply(TenantHealth health, Optional<TenantLockState> change) {
        change.ifPresent(state -> {
            producer.send(new ProducerRecord<>(Topics.TENANT_LOCK_STATE, state.tenantId(), EventCodec.encode(state)));
            LockStatus before = lastPublished.put(state.tenantId(), state.status());
            if (before != state.status()) {
                metrics.transition(before == null ? LockStatus.HEALTHY : before, state.status());
                LOG.info("tenant " + state.tenantId() + " is " + state.status() + state.failure().map(f -> " (" + f + ")").orElse(""));
            }
        });
    }

    private Duration jittered(Duration interval) {
        long millis = interval.toMillis();
        return Duration.ofMillis(millis - millis / 10 + ThreadLocalRandom.current().nextLong(Math.max(1, millis / 5)));
    }

    /** Partition ownership: rebuild owned tenants from the compacted topics on assignment; forget them on revocation. */
    private final class Ownership implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            producer.flush();
            consumer.commitSync();
            owned.release(numbers(partitions)).forEach(t -> {
                nextProbe.remove(t);
                probing.remove(t);
                lastPublished.remove(t);
            });
            ownedPartitions = owned.partitions();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<Integer> numbers = numbers(partitions);
            Instant now = clock.instant();
            numbers.forEach(owned::own);
            for (int n : numbers) {
                // the same partition number of each co-partitioned topic holds the same tenants
                PartitionReader.readToEnd(kafka, List.of(new TopicPartition(Topics.TENANT_LOCK_STATE, n)), Duration.ofSeconds(60),
                        (tenant, value) -> restore(n, tenant, value));
                PartitionReader.readToEnd(kafka, List.of(new TopicPartition(Topics.TENANT_KEY_CONFIG, n)), Duration.ofSeconds(60),
                        (tenant, value) -> reconfigure(n, tenant, value, now));
            }
            for (int n : numbers) {
                owned.forEachIn(n, (tenant, health) -> {
                    if (health.byokEnabled()) {
                        nextProbe.put(tenant, health.status() == LockStatus.HEALTHY ? now.plus(jittered(settings.backgroundProbeInterval())) : now);
                    }
                });
            }
            ownedPartitions = owned.partitions();
            LOG.info("lockdown owns tenant partitions " + ownedPartitions);
        }

        private void restore(int partition, String tenant, byte[] value) {
            if (tenant == null || value == null) {
                return;
            }
            try {
                TenantLockState state = EventCodec.decode(value, TenantLockState.class);
                TenantHealth health = owned.tenant(partition, tenant);
                if (health != null) {
                    health.restore(state);
                    lastPublished.put(tenant, state.status());
                }
            } catch (MalformedEventException e) {
                LOG.warning("skipping a malformed lock state of tenant " + tenant + ": " + e.getMessage());
            }
        }

        private void reconfigure(int partition, String tenant, byte[] value, Instant now) {
            if (tenant == null || value == null) {
                return;
            }
            try {
                TenantHealth health = owned.tenant(partition, tenant);
                if (health != null) {
                    apply(health, health.onConfig(EventCodec.decode(value, KeyConfigEvent.class), now));
                }
            } catch (MalformedEventException | IllegalArgumentException e) {
                LOG.warning("skipping a malformed key-config record of tenant " + tenant + ": " + e.getMessage());
            }
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        running = false;
        ConsumerThreads.wakeAndJoin(consumer, thread, Duration.ofSeconds(10));
    }
}
