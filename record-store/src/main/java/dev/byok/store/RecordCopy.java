package dev.byok.store;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Sends a batch of sealed records to {@code activity_record} with PostgreSQL's binary {@code COPY}:
 * the rows go to the heap many at a time (one WAL record per group of rows, not one per row); in the
 * ingest benchmark this took ingest from 31k to 39–47k events/s over {@code INSERT ... SELECT FROM
 * unnest(...)} (docs/benchmarks.md).
 * The reactive client has no COPY, so this uses the service's JDBC pool, on a worker thread. A COPY
 * is all or nothing: any row it cannot take (an event already stored, a value the table refuses)
 * fails the whole batch, in one transaction that is rolled back. The server cancels a COPY after
 * {@link #STATEMENT_TIMEOUT}.
 */
@ApplicationScoped
public class RecordCopy {
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final String COPY =
            "COPY activity_record (tenant_id, event_id, dek_id, envelope, occurred_at, ingested_at) FROM STDIN (FORMAT binary)";
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    private static final int STREAM_BUFFER = 64 * 1024;

    private final DataSource dataSource;

    public RecordCopy(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Copies the rows in one transaction; fails as a whole. */
    Uni<Void> copy(List<RecordRepository.SealedRecord> rows) {
        return Uni.createFrom()
                .item(() -> {
                    copyBlocking(rows);
                    return rows.size();
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    private void copyBlocking(List<RecordRepository.SealedRecord> rows) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement timeout = connection.createStatement()) {
                timeout.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
            }
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
            try {
                DataOutputStream out = new DataOutputStream(new PGCopyOutputStream(copy, STREAM_BUFFER));
                write(rows, out);
                out.flush();
                copy.endCopy();
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                abort(connection, copy, e);
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY of " + rows.size() + " records failed", e);
        }
    }

    /** Leaves the connection usable for the pool: the COPY cancelled, the transaction rolled back. */
    private static void abort(Connection connection, CopyIn copy, Exception failure) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e); // the pool discards a broken connection
        }
    }

    /**
     * Why a COPY failed, as a metric label: {@code already-stored} (an event of the batch is stored:
     * a redelivery), {@code refused-row} (a value the table refuses: {@link RecordRepository#refusedRow}) or
     * {@code store} (anything else: the pool, the connection, the server).
     */
    static String failureCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals("23505")) {
                    return "already-stored";
                }
                if (RecordRepository.refusedRow(state)) {
                    return "refused-row";
                }
            }
        }
        return "store";
    }

    /**
     * The rows in COPY's binary format: a signature, flags and header extension length, then per row
     * a 16-bit field count and each field as a 32-bit length and its bytes (text as UTF-8, uuid as 16
     * bytes, timestamptz as microseconds since 2000-01-01), then -1.
     */
    public static void write(List<RecordRepository.SealedRecord> rows, DataOutputStream out) throws IOException {
        out.write(SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
        for (RecordRepository.SealedRecord row : rows) {
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
    }

    /** The statement that reads rows in the format of {@link #write} (for a caller with its own connection). */
    public static String statement() {
        return COPY;
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
