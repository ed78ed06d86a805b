package dev.byok.lockdown;

import dev.byok.kafka.KafkaClientConfig;
import dev.byok.kafka.PartitionReader;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The engine's partition ownership: on assignment it rebuilds the partition's tenants from the
 * compacted lock-state and key-config topics (deadlines included), then reconciles them; on
 * revocation it publishes and commits what it has, and forgets them. Runs on the engine's thread,
 * inside its poll.
 */
final class PartitionOwnership implements ConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class.getName());
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);

    private final KafkaClientConfig kafka;
    private final KafkaConsumer<String, byte[]> consumer;
    private final LockStatePublisher lockStates;
    private final OwnedTenants owned;
    private final ProbeSchedule probes;
    private final Clock clock;
    private final BiConsumer<String, Runnable> skipOnFailure;
    private volatile Set<Integer> partitions = Set.of();

    /** @param skipOnFailure runs a step on input that may be bad, skipping and counting it when it fails */
    PartitionOwnership(
            KafkaClientConfig kafka,
            KafkaConsumer<String, byte[]> consumer,
            LockStatePublisher lockStates,
            OwnedTenants owned,
            ProbeSchedule probes,
            Clock clock,
            BiConsumer<String, Runnable> skipOnFailure) {
        this.kafka = kafka;
        this.consumer = consumer;
        this.lockStates = lockStates;
        this.owned = owned;
        this.probes = probes;
        this.clock = clock;
        this.skipOnFailure = skipOnFailure;
    }

    /** The partition numbers (= tenant buckets) owned now; safe to read from any thread. */
    Set<Integer> partitions() {
        return partitions;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        lockStates.flush();
        consumer.commitSync();
        Set<String> released = owned.release(numbers(revoked));
        lockStates.forget(released);
        probes.forget(released);
        partitions = owned.partitions();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        Set<Integer> numbers = numbers(assigned);
        Instant now = clock.instant();
        numbers.forEach(owned::own);
        for (int n : numbers) {
            // the same partition number of each co-partitioned topic holds the same tenants
            TopicPartition lockStatePartition = new TopicPartition(Topics.TENANT_LOCK_STATE, n);
            Map<TopicPartition, Long> end = PartitionReader.readToEnd(
                    kafka, List.of(lockStatePartition), READ_LIMIT, (tenant, value) -> restore(n, tenant, value));
            // watch only what is written after the state it restored
            consumer.seek(lockStatePartition, end.get(lockStatePartition));
            PartitionReader.readToEnd(
                    kafka,
                    List.of(new TopicPartition(Topics.TENANT_KEY_CONFIG, n)),
                    READ_LIMIT,
                    (tenant, value) -> reconfigure(n, tenant, value, now));
        }
        for (int n : numbers) {
            owned.forEachIn(n, (tenant, health) -> {
                health.reconcile(now).ifPresent(lockStates::publish);
                if (health.byokEnabled()) {
                    probes.restored(tenant, health.status(), now);
                }
            });
        }
        partitions = owned.partitions();
        LOG.info("lockdown owns tenant partitions " + partitions);
    }

    private void restore(int partition, String tenant, byte[] value) {
        TenantHealth health = owned.tenant(partition, tenant);
        if (health != null && value != null) {
            skipOnFailure.accept("the lock state of tenant " + tenant, () -> {
                TenantLockState state = EventCodec.decode(value, TenantLockState.class);
                health.restore(state);
                lockStates.restored(state);
            });
        }
    }

    private void reconfigure(int partition, String tenant, byte[] value, Instant now) {
        TenantHealth health = owned.tenant(partition, tenant);
        if (health != null && value != null) {
            skipOnFailure.accept(
                    "the key config of tenant " + tenant,
                    () -> health.onConfig(EventCodec.decode(value, KeyConfigEvent.class), now)
                            .ifPresent(lockStates::publish));
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }
}
