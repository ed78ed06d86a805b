package dev.byok.ingest;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.model.ActivityEvent;
import dev.byok.model.EventCodec;
import dev.byok.testsupport.BinaryCopy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The ingest benchmark's storage ceiling: the round's events, already sealed (untimed), sent to the
 * same table in one binary {@code COPY}: what PostgreSQL absorbs from a JVM with no Kafka, no
 * validation, no sealing and no conflict handling. Rows go to tenant {@code copy-<tenant>}.
 */
final class CopyCeiling {
    private final Config config;

    CopyCeiling(Config config) {
        this.config = config;
    }

    /** Seals the events, then times their COPY; returns rows/s. */
    double run(List<ActivityEvent> events) throws Exception {
        Instant now = Instant.now();
        Dek dek = Dek.generate("copy-bench", now, DekPolicy.DEFAULT);
        List<BinaryCopy.Row> rows = events.stream()
                .map(e -> new BinaryCopy.Row(
                        "copy-" + e.tenantId(),
                        e.eventId(),
                        dek.id(),
                        RecordEnvelope.seal(dek, e.eventId(), EventCodec.encode(e)),
                        e.occurredAt(),
                        now))
                .toList();
        byte[] encoded = BinaryCopy.encode(rows);
        try (Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            long start = System.nanoTime();
            long copied = BinaryCopy.copy(connection, "activity_record", encoded);
            double rate = copied / ((System.nanoTime() - start) / 1e9);
            if (copied != events.size()) {
                throw new AssertionError("COPY stored " + copied + " rows, expected " + events.size());
            }
            return rate;
        }
    }
}
