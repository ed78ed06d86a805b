package dev.byok.config;

import dev.byok.service.ChannelRecords;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes outbox rows in id order, then marks them, safely with several config-service replicas:
 * a run first takes a transaction-scoped advisory lock, so one relay at a time owns the head of
 * the outbox (the others skip the run) and the events of a tenant reach Kafka in revision order.
 * The lock, the read and the marking share one transaction; a relay that dies mid-run releases
 * the lock with its connection and leaves its rows unmarked. Its successor republishes them: a
 * duplicate at most, in order, which consumers drop by revision. Runs on a worker thread (Kafka
 * sends block until acknowledged).
 */
@ApplicationScoped
public class OutboxRelay {
    /** The advisory lock key of the relay (any constant unique within the database). */
    static final long RELAY_LOCK = 0x6279_6f6b_6f75_7462L; // "byokoutb"

    private static final int BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Emitter<byte[]> channel;
    private final Clock clock;
    private volatile boolean paused;

    OutboxRelay(Pool pool, @Channel("outbox") Emitter<byte[]> channel, Clock clock) {
        this.clock = clock;
        this.pool = pool;
        this.channel = channel;
    }

    @Scheduled(
            every = "${byok.outbox.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    synchronized void relay() throws Exception {
        if (!paused) {
            relayOnce();
        }
    }

    /** One run: how many rows it published (0 also when another replica holds the relay lock). */
    int relayOnce() throws InterruptedException, ExecutionException, TimeoutException {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            try {
                int published = publishHead(connection);
                tx.commit().await().atMost(TIMEOUT);
                return published;
            } catch (RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
                tx.rollback().await().atMost(TIMEOUT);
                throw e;
            }
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private int publishHead(SqlConnection connection)
            throws InterruptedException, ExecutionException, TimeoutException {
        boolean owner = connection
                .preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .await()
                .atMost(TIMEOUT)
                .iterator()
                .next()
                .getBoolean(0);
        if (!owner) {
            return 0; // another replica is relaying
        }
        List<Long> ids = new ArrayList<>();
        for (Row row : connection
                .preparedQuery(
                        "SELECT id, topic, record_key, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1")
                .execute(Tuple.of(BATCH))
                .await()
                .atMost(TIMEOUT)) {
            ChannelRecords.send(
                            channel,
                            row.getString("topic"),
                            row.getString("record_key"),
                            row.getBuffer("payload").getBytes())
                    .toCompletableFuture()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ids.add(row.getLong("id"));
        }
        if (!ids.isEmpty()) {
            connection
                    .preparedQuery("UPDATE outbox SET published_at = $2 WHERE id = ANY($1)")
                    .execute(Tuple.of(ids.toArray(new Long[0]), clock.instant().atOffset(ZoneOffset.UTC)))
                    .await()
                    .atMost(TIMEOUT);
            Log.debugf("outbox relayed %d events", ids.size());
        }
        return ids.size();
    }

    /** Stops relaying (as a crashed service would), once a run in progress ended; for tests that prove the outbox survives. */
    synchronized void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }
}
