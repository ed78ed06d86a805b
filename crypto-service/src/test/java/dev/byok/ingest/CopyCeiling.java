package dev.byok.ingest;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.model.ActivityEvent;
import dev.byok.store.RecordCopy;
import dev.byok.store.RecordRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.postgresql.PGConnection;

/**
 * The ingest benchmark's storage ceiling: the round's events, already sealed and encoded (untimed),
 * sent to the same table in one binary {@code COPY} of the product's own format ({@link RecordCopy}):
 * what PostgreSQL absorbs from a JVM with no Kafka, no validation, no sealing, no batches and no
 * conflict handling. Rows go to tenant {@code copy-<tenant>}.
 */
final class CopyCeiling {
    private final Config config;

    CopyCeiling(Config config) {
        this.config = config;
    }

    /** Seals the events' published values and encodes the rows, then times their COPY; returns rows/s. */
    double run(List<ActivityEvent> events, List<byte[]> values) throws Exception {
        Instant now = Instant.now();
        Dek dek = Dek.generate("copy-bench", now, DekPolicy.DEFAULT);
        List<RecordRepository.SealedRecord> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ActivityEvent e = events.get(i);
            rows.add(new RecordRepository.SealedRecord(
                    "copy-" + e.tenantId(),
                    e.eventId(),
                    dek.id(),
                    RecordEnvelope.seal(dek, e.eventId(), values.get(i)),
                    e.occurredAt(),
                    now));
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream(rows.size() * 1200);
        try (DataOutputStream out = new DataOutputStream(encoded)) {
            RecordCopy.write(rows, out);
        }
        try (Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            long start = System.nanoTime();
            long copied = connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(RecordCopy.statement(), new ByteArrayInputStream(encoded.toByteArray()));
            double rate = copied / ((System.nanoTime() - start) / 1e9);
            if (copied != events.size()) {
                throw new AssertionError("COPY stored " + copied + " rows, expected " + events.size());
            }
            return rate;
        }
    }
}
