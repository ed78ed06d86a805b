package dev.byok.fault;

import static org.awaitility.Awaitility.await;

import dev.byok.testsupport.EmbeddedKafkaBroker;
import dev.byok.model.EventCodec;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every lock state published for every tenant, in order, as a dashboard sees them on the lock-state
 * topic: a fleeting DEGRADED is never missed the way polling a status would miss it.
 */
final class LockStates implements AutoCloseable {
    private final Map<String, List<TenantLockState>> history = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean closed;

    LockStates(Map<String, Object> client) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-locks-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.TENANT_LOCK_STATE));
        reader = new Thread(this::read, "lock-states");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null) {
                        TenantLockState state = EventCodec.decode(r.value(), TenantLockState.class);
                        history.computeIfAbsent(state.tenantId(), t -> new ArrayList<>());
                        synchronized (history.get(state.tenantId())) {
                            history.get(state.tenantId()).add(state);
                        }
                    }
                });
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The tenant's states so far, oldest first. */
    List<TenantLockState> of(String tenant) {
        List<TenantLockState> states = history.getOrDefault(tenant, List.of());
        synchronized (states) {
            return List.copyOf(states);
        }
    }

    Optional<TenantLockState> latest(String tenant) {
        List<TenantLockState> states = of(tenant);
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
    }

    /** Waits for the first state published after {@code after} (an index into {@link #of}) that matches; returns its index. */
    int awaitAfter(String tenant, int after, Predicate<TenantLockState> matches, Duration atMost) {
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

    static Predicate<TenantLockState> is(LockStatus status) {
        return s -> s.status() == status;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        reader.join(10_000);
    }
}
