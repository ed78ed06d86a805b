package dev.byok.kafka;

import dev.byok.model.EventCodec;
import dev.byok.model.MalformedEventException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The latest value per key of a compacted, tenant-keyed topic, materialised in memory from the
 * beginning by a background thread outside any consumer group. {@link #caughtUp()} turns true once
 * every record published before the view started has been applied. Tombstones remove a key;
 * malformed records are skipped (and logged without their content). A value that does not
 * {@link Supersedes supersede} the one held for its key (a replayed or reordered older revision) is
 * dropped. Listeners hear every change.
 */
public final class CompactedTopicView<T> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class.getName());

    /** A change of one key: the new value, or empty for a tombstone. */
    public record Change<T>(String key, Optional<T> value) {}

    /** Whether a value read later replaces the value held for its key. */
    @FunctionalInterface
    public interface Supersedes<T> {
        boolean supersedes(T incoming, T held);

        /** Offset order: the topic has one writer per key, so the latest record is the truth. */
        static <T> Supersedes<T> latestRecord() {
            return (incoming, held) -> true;
        }
    }

    private final KafkaClientConfig kafka;
    private final String topic;
    private final Class<T> type;
    private final Supersedes<T> order;
    private final Map<String, T> values = new ConcurrentHashMap<>();
    private final List<Consumer<Change<T>>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private CompactedTopicView(KafkaClientConfig kafka, String topic, Class<T> type, Supersedes<T> order) {
        this.kafka = kafka;
        this.topic = topic;
        this.type = type;
        this.order = order;
        this.thread = new Thread(this::run, "view-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * Starts materialising {@code topic}, decoding values with {@link EventCodec} as {@code type} and
     * keeping, per key, the value that supersedes the others by {@code order}.
     */
    public static <T> CompactedTopicView<T> start(
            KafkaClientConfig kafka, String topic, Class<T> type, Supersedes<T> order) {
        CompactedTopicView<T> view = new CompactedTopicView<>(kafka, topic, type, order);
        view.thread.start();
        return view;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** Whether the view's thread still runs (it restarts its consumer on any Kafka error; only an Error ends it). */
    public boolean alive() {
        return thread.isAlive();
    }

    public Optional<T> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, T> snapshot() {
        return Map.copyOf(values);
    }

    /** Called from the view's thread on every change; keep it quick and never throw. */
    public void addListener(Consumer<Change<T>> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Change<T>> listener) {
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
                LOG.log(
                        Level.WARNING,
                        "view of " + topic + " lost its Kafka consumer ("
                                + e.getClass().getSimpleName() + "); restarting in 1 s");
                pause(1000);
            }
        }
    }

    private void materialise() {
        try (KafkaConsumer<String, byte[]> c = kafka.groupLessConsumer(Map.of())) {
            consumer = c;
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            while (running && (infos == null || infos.isEmpty())) {
                pause(500);
                infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (!caughtUp && PartitionReader.caughtUp(c, end)) {
                    caughtUp = true;
                    LOG.info("view of " + topic + " caught up: " + values.size() + " keys");
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            if (values.remove(record.key()) != null) {
                notifyListeners(new Change<>(record.key(), Optional.empty()));
            }
            return;
        }
        try {
            T value = EventCodec.decode(record.value(), type);
            T held = values.get(record.key());
            if (held != null && !order.supersedes(value, held)) {
                LOG.fine(() -> "dropping a stale record at " + record.topic() + "-" + record.partition() + "@"
                        + record.offset());
                return;
            }
            values.put(record.key(), value);
            notifyListeners(new Change<>(record.key(), Optional.of(value)));
        } catch (MalformedEventException e) {
            LOG.warning("skipping a malformed record at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + ": " + e.getMessage());
        }
    }

    private void notifyListeners(Change<T> change) {
        for (Consumer<Change<T>> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "a listener of " + topic + " failed: " + e.getClass().getSimpleName());
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
        ConsumerThreads.wakeAndJoin(consumer, thread, Duration.ofSeconds(5));
    }
}
