package dev.byok.kafka;

import dev.byok.model.EventCodec;
import dev.byok.model.MalformedEventException;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The tenant gate every service uses: it materialises the compacted lock-state topic from the
 * beginning, in memory, and answers {@link #readAccess} without any I/O. Until it has caught up
 * with the end offsets it saw at start, it is not ready and refuses reads of tenant data (a
 * LOCKED tenant must never be read because the gate had not loaded it yet). Listeners hear every
 * change. Framework-free: services wire it into their readiness checks and request filters.
 */
public final class TenantGate implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TenantGate.class.getName());

    /** Whether reads of a tenant's data may proceed. */
    public sealed interface Decision permits Allowed, Refused {
    }

    public record Allowed() implements Decision {
    }

    /** Refused, with a reason safe to show the caller; {@code locked} tells LOCKED (423) from not ready (503). */
    public record Refused(String reason, boolean locked) implements Decision {
    }

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, TenantLockState> states = new ConcurrentHashMap<>();
    private final List<Consumer<TenantLockState>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private TenantGate(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.thread = new Thread(this::run, "tenant-gate");
        this.thread.setDaemon(true);
    }

    /** Starts materialising {@link Topics#TENANT_LOCK_STATE} in a background thread. */
    public static TenantGate start(String bootstrapServers) {
        return start(bootstrapServers, Topics.TENANT_LOCK_STATE);
    }

    static TenantGate start(String bootstrapServers, String topic) {
        TenantGate gate = new TenantGate(bootstrapServers, topic);
        gate.thread.start();
        return gate;
    }

    /** Whether every lock state published before the gate started has been loaded. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The tenant's latest known lock state; empty means no customer-key incident was ever recorded (HEALTHY). */
    public Optional<TenantLockState> state(String tenantId) {
        return Optional.ofNullable(states.get(tenantId));
    }

    public Map<String, TenantLockState> snapshot() {
        return Map.copyOf(states);
    }

    public Decision readAccess(String tenantId) {
        if (!caughtUp) {
            return new Refused("tenant lock states are still loading; retry shortly", false);
        }
        TenantLockState state = states.get(tenantId);
        if (state != null && state.locked()) {
            return new Refused("tenant locked: " + state.reason(), true);
        }
        return new Allowed();
    }

    /** Called from the gate's thread on every change; keep it quick and never throw. */
    public void addListener(Consumer<TenantLockState> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<TenantLockState> listener) {
        listeners.remove(listener);
    }

    private void run() {
        while (running) {
            try {
                materialise();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "tenant gate lost its Kafka consumer (" + e.getClass().getSimpleName() + "); restarting in 1 s");
                pause(1000);
            }
        }
    }

    private void materialise() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            while (running && (infos == null || infos.isEmpty())) {
                pause(500);
                infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (!caughtUp && PartitionReader.caughtUp(c, end)) {
                    caughtUp = true;
                    LOG.info("tenant gate caught up: " + states.size() + " tenant lock states loaded");
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            TenantLockState removed = states.remove(record.key());
            if (removed != null) {
                notifyListeners(TenantLockState.healthy(record.key(), removed.since(), "lock state cleared"));
            }
            return;
        }
        try {
            TenantLockState state = EventCodec.decode(record.value(), TenantLockState.class);
            states.put(state.tenantId(), state);
            notifyListeners(state);
        } catch (MalformedEventException e) {
            LOG.warning("skipping a malformed lock-state record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ": " + e.getMessage());
        }
    }

    private void notifyListeners(TenantLockState state) {
        for (Consumer<TenantLockState> listener : listeners) {
            try {
                listener.accept(state);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a tenant gate listener failed: " + e.getClass().getSimpleName());
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // back-off between reconnect attempts, not test synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
