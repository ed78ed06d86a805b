package dev.byok.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work a request or a batch starts and does not wait for (a new DEK's customer wrap). It is tracked,
 * so that shutdown waits for it, up to {@link #DRAIN}, while the KMS and the database are still up.
 * Each piece handles its own failures; what is still running after the bound is named in a warning.
 */
@ApplicationScoped
public class BackgroundWork {
    static final Duration DRAIN = Duration.ofSeconds(10);

    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();

    /** Starts {@code work} and tracks it until it ends. */
    public void start(Uni<?> work) {
        CompletableFuture<?> done = work.onFailure().recoverWithNull().subscribeAsCompletionStage();
        running.add(done);
        done.whenComplete((ignored, error) -> running.remove(done));
    }

    /**
     * How many pieces are still running. Counted by state, not by set size: a finished piece leaves the
     * set in a completion callback that may run after a waiter on the same future has returned.
     */
    public int running() {
        return (int) running.stream().filter(f -> !f.isDone()).count();
    }

    void onStop(@Observes ShutdownEvent event) {
        drain(DRAIN);
    }

    /** Waits for every piece started so far, at most {@code bound}; returns how many were still running after it. */
    int drain(Duration bound) {
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0]))
                    .get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Log.warnf(
                    "%d background tasks still running after %s at shutdown; the sweeper finishes their work",
                    running(), bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // failures are recovered above: nothing arrives here
        }
        return running();
    }
}
