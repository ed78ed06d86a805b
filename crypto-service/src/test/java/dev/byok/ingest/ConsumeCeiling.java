package dev.byok.ingest;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The ingest benchmark's Kafka ceiling: the round's records only read back from the ingest topic, as
 * the service reads them (same listener, login and batch size), and dropped: what the broker and a
 * consumer on this machine deliver before anything is parsed, sealed or stored.
 */
final class ConsumeCeiling {
    private final PassReader reader;

    /** @param batch the ingest channel's {@code max.poll.records} */
    ConsumeCeiling(int batch) {
        this.reader = new PassReader(batch);
    }

    /** Reads the {@code events} records of the given tenants from the offsets; returns records/s. */
    double run(Set<String> tenants, Map<TopicPartition, Long> from, int events) {
        long start = System.nanoTime();
        reader.read(tenants, from, events, batch -> {});
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
