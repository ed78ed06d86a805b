package dev.byok.ingest;

import dev.byok.store.RecordRepository;
import io.vertx.sqlclient.DatabaseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Writes one batch of sealed records so that a record the store refuses never holds up the others:
 * when the batch write fails because of its rows, the batch is split in halves until the refused
 * records stand alone (about 2·log2(n) writes for one bad record in n); every other record is
 * stored. A record is refused when PostgreSQL rejects its data (SQLSTATE classes 22 data
 * exception, 23 integrity constraint, 54 program limit), or — once the same batch has failed
 * several times while the store answers — when it fails alone for any reason. Any other failure
 * (store unreachable, timeouts) is thrown: the caller retries the whole batch later, and the rows
 * already written are no-ops then ({@code ON CONFLICT DO NOTHING}).
 */
final class IsolatingWriter {
    /** A sealed record and the Kafka record it came from. */
    record Row(ConsumerRecord<String, byte[]> source, RecordRepository.SealedRecord sealed) {}

    /** A record the store refused, with a reason that names no content. */
    record Refused(ConsumerRecord<String, byte[]> source, String reason) {}

    private final RecordRepository records;
    private final Duration timeout;

    IsolatingWriter(RecordRepository records, Duration timeout) {
        this.records = records;
        this.timeout = timeout;
    }

    /**
     * Stores every row the store accepts and returns the refused ones.
     *
     * @param suspectEveryFailure the batch already failed repeatedly: a row that fails alone while the store answers is refused
     */
    List<Refused> write(List<Row> rows, boolean suspectEveryFailure) {
        List<Refused> refused = new ArrayList<>();
        if (!rows.isEmpty()) {
            writeOrSplit(rows, suspectEveryFailure, refused);
        }
        return refused;
    }

    private void writeOrSplit(List<Row> rows, boolean suspectEveryFailure, List<Refused> refused) {
        try {
            records.insertAll(rows.stream().map(Row::sealed).toList()).await().atMost(timeout);
        } catch (RuntimeException e) {
            String sqlState = sqlState(e);
            boolean rowsAtFault = RecordRepository.refusedRow(sqlState);
            if (!rowsAtFault
                    && !(suspectEveryFailure && records.reachable().await().atMost(timeout))) {
                throw e;
            }
            if (rows.size() == 1) {
                refused.add(new Refused(rows.get(0).source(), reason(rowsAtFault, sqlState, e)));
                return;
            }
            int half = rows.size() / 2;
            writeOrSplit(rows.subList(0, half), suspectEveryFailure, refused);
            writeOrSplit(rows.subList(half, rows.size()), suspectEveryFailure, refused);
        }
    }

    /** SQLSTATE and the exception class only: PostgreSQL's message may quote the value it refused. */
    private static String reason(boolean rowsAtFault, String sqlState, RuntimeException e) {
        String cause = sqlState.isEmpty() ? e.getClass().getSimpleName() : "SQLSTATE " + sqlState;
        return rowsAtFault
                ? "the record store refused this record (" + cause + ")"
                : "the record store kept failing this record while storing others (" + cause + ")";
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabaseException db && db.getSqlState() != null) {
                return db.getSqlState();
            }
        }
        return "";
    }
}
