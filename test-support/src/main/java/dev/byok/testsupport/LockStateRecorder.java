package dev.byok.testsupport;

import static org.awaitility.Awaitility.await;

import dev.byok.model.EventCodec;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record of the lock-state topic, per tenant and in order, as a dashboard sees them: a
 * fleeting DEGRADED is never missed the way polling a status would miss it. Reads every partition
 * from the beginning, outside any consumer group.
 */
public final class LockStateRecorder implements AutoCloseable {
    private final Map<String, List<Optional<TenantLockState>>> records = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean closed;

    /** Starts recording with {@code client} (a complete client configuration of a principal that may read the topic). */
    public LockStateRecorder(Map<String, Object> client) {
        consumer = new KafkaConsumer<>(client, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TENANT_LOCK_STATE).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "lock-state-recorder");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                consumer.poll(Duration.ofMillis(100))
                        .forEach(r -> records.computeIfAbsent(r.key(), k -> new CopyOnWriteArrayList<>())
                                .add(decode(r.value())));
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Every record keyed by the tenant, oldest first; empty for a tombstone or a record that does not decode. */
    public List<Optional<TenantLockState>> records(String tenant) {
        return List.copyOf(records.getOrDefault(tenant, List.of()));
    }

    /** The tenant's states so far (tombstones and undecodable records left out), oldest first. */
    public List<TenantLockState> of(String tenant) {
        return records(tenant).stream().flatMap(Optional::stream).toList();
    }

    public Optional<TenantLockState> latest(String tenant) {
        List<TenantLockState> states = of(tenant);
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
    }

    /** Waits for the first state after {@code after} (an index into {@link #of}) that matches; returns its index. */
    public int awaitAfter(String tenant, int after, Predicate<TenantLockState> matches, Duration atMost) {
        int[] found = {-1};
        await().atMost(atMost).until(() -> {
            List<TenantLockState> states = of(tenant);
            for (int i = after + 1; i < states.size(); i++) {
                if (matches.test(states.get(i))) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    public static Predicate<TenantLockState> is(LockStatus status) {
        return s -> s.status() == status;
    }

    private static Optional<TenantLockState> decode(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.decode(value, TenantLockState.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        reader.join(10_000);
    }
}
