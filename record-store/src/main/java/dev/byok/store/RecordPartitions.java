package dev.byok.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day partitions of {@code activity_record} ({@code activity_record_YYYYMMDD}, one per UTC day of
 * occurredAt, V7 migration): created on demand for ingest, ahead of time and dropped on retention by
 * the sweeper. Only names of exactly that form are taken for partitions; anything else attached to the
 * table is left alone.
 */
@ApplicationScoped
public class RecordPartitions {
    /** One day partition. */
    public record Partition(String name, LocalDate day) {}

    private static final Pattern NAME = Pattern.compile("activity_record_(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    /** Days this process knows exist: at most the retention window plus the days ahead. */
    private static final int MAX_KNOWN_DAYS = 10_000;

    private final Pool pool;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    public RecordPartitions(Pool pool) {
        this.pool = pool;
    }

    /** Makes sure the days' partitions exist: a call to the database only for days this process has not seen. */
    public Uni<Void> ensure(Collection<LocalDate> days) {
        TreeSet<LocalDate> missing = new TreeSet<>();
        for (LocalDate day : days) {
            if (!known.contains(day)) {
                missing.add(day);
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LocalDate day : missing) {
            chain = chain.call(() -> ensureRange(day, day));
        }
        return chain;
    }

    /** Creates the missing partitions of the days from {@code first} to {@code last}; returns how many it created. */
    public Uni<Integer> ensureRange(LocalDate first, LocalDate last) {
        return pool.preparedQuery("SELECT ensure_activity_partitions($1, $2)")
                .execute(Tuple.of(first, last))
                .map(rows -> {
                    if (known.size() > MAX_KNOWN_DAYS) {
                        known.clear();
                    }
                    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                        known.add(d);
                    }
                    return rows.iterator().next().getInteger(0);
                });
    }

    /** The day partitions that exist, oldest first. */
    public Uni<List<Partition>> list() {
        return pool.query("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent = 'activity_record'::regclass ORDER BY c.relname")
                .execute()
                .map(rows -> {
                    List<Partition> out = new ArrayList<>();
                    for (Row r : rows) {
                        parse(r.getString(0)).ifPresent(out::add);
                    }
                    return out;
                });
    }

    /**
     * Drops the partition and returns how many records it held. Waits at most two seconds for its lock
     * (ingest's inserts queue behind a waiting DROP): a busy table is tried again on the next sweep.
     */
    public Uni<Long> drop(Partition partition) {
        String table = table(partition.day());
        known.remove(partition.day());
        return pool.withTransaction(tx -> tx.query("SET LOCAL lock_timeout = '2s'")
                .execute()
                .flatMap(ignored -> tx.query("SELECT count(*) FROM " + table).execute())
                .call(ignored -> tx.query("DROP TABLE " + table).execute())
                .map(rows -> rows.iterator().next().getLong(0)));
    }

    /** The day's partition table, named from the date itself: never a stored string in SQL. */
    static String table(LocalDate day) {
        return "activity_record_" + DAY.format(day);
    }

    static Optional<Partition> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Partition(name, LocalDate.parse(m.group(1), DAY)));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
