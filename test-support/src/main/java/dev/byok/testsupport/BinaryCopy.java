package dev.byok.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Rows of {@code activity_record} sent with {@code COPY ... FROM STDIN (FORMAT binary)} through the
 * JDBC driver's CopyManager: the fastest way a JVM hands rows to PostgreSQL, so the storage ceiling
 * the ingest benchmark compares the pipeline with. Binary format: a signature, flags and header
 * extension length, then per row a 16-bit field count and each field as a 32-bit length and its
 * bytes (text as UTF-8, uuid as 16 bytes, timestamptz as microseconds since 2000-01-01), then -1.
 */
public final class BinaryCopy {
    /** One row as activity_record stores it. */
    public record Row(
            String tenantId, String eventId, UUID dekId, byte[] envelope, Instant occurredAt, Instant ingestedAt) {}

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private BinaryCopy() {}

    /** Encodes the rows (not timed by callers: the ceiling is the database's, not the encoder's). */
    public static byte[] encode(List<Row> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 1200);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension length
            for (Row row : rows) {
                out.writeShort(6);
                field(out, row.tenantId().getBytes(StandardCharsets.UTF_8));
                field(out, row.eventId().getBytes(StandardCharsets.UTF_8));
                out.writeInt(16);
                out.writeLong(row.dekId().getMostSignificantBits());
                out.writeLong(row.dekId().getLeastSignificantBits());
                field(out, row.envelope());
                timestamp(out, row.occurredAt());
                timestamp(out, row.ingestedAt());
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Sends encoded rows in one COPY; returns the row count PostgreSQL reports. */
    public static long copy(Connection connection, String table, byte[] encoded) throws SQLException, IOException {
        return connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                        "COPY " + table + " (tenant_id, event_id, dek_id, envelope, occurred_at, ingested_at)"
                                + " FROM STDIN (FORMAT binary)",
                        new java.io.ByteArrayInputStream(encoded));
    }

    private static void field(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static void timestamp(DataOutputStream out, Instant at) throws IOException {
        out.writeInt(8);
        out.writeLong(ChronoUnit.MICROS.between(POSTGRES_EPOCH, at));
    }
}
