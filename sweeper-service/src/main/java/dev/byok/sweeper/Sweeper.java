package dev.byok.sweeper;

import dev.byok.service.Gate;
import dev.byok.store.KeyConfigs;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sweep: every interval (one at a time per replica), each job runs until it has nothing left
 * that it can do now, then the protection status is reported. Waits until the key-config and
 * lock-state views have caught up, so it never acts on a stale configuration.
 */
@ApplicationScoped
public class Sweeper {
    private final KeyConfigs keyConfigs;
    private final Gate gate;
    private final ConvergeJob converge;
    private final MigrateJob migrate;
    private final ReencryptJob reencrypt;
    private final ShredJob shred;
    private final RetentionJob retention;
    private final ProtectionReporter reporter;
    private final Clock clock;
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean stopping;

    Sweeper(
            KeyConfigs keyConfigs,
            Gate gate,
            ConvergeJob converge,
            MigrateJob migrate,
            ReencryptJob reencrypt,
            ShredJob shred,
            RetentionJob retention,
            ProtectionReporter reporter,
            Clock clock) {
        this.shred = shred;
        this.retention = retention;
        this.reencrypt = reencrypt;
        this.keyConfigs = keyConfigs;
        this.gate = gate;
        this.converge = converge;
        this.migrate = migrate;
        this.reporter = reporter;
        this.clock = clock;
    }

    /** Sweeps this replica finished (tests wait for whole sweeps with it). */
    long completedSweeps() {
        return completed.get();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(
            every = "${byok.sweeper.interval:PT10S}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        if (!keyConfigs.caughtUp() || !gate.gate().caughtUp()) {
            return;
        }
        try {
            shred.run(clock.instant()); // first: an offboarded tenant's keys go before anything else touches them
            while (converge.runOnce() > 0) {
                // the next batch
            }
            while (migrate.runOnce() > 0) {
                // the next batch of keyring DEKs
            }
            while (reencrypt.runOnce() > 0) {
                // the next aged DEK
            }
            reporter.report(clock.instant());
            retention.run(clock.instant());
            completed.incrementAndGet();
        } catch (Exception e) {
            if (stopping) {
                return; // the database pool closes under a sweep in progress: the next start redoes it
            }
            Log.warnf(
                    "sweep failed (%s: %s); the next one retries", e.getClass().getSimpleName(), e.getMessage());
        }
    }
}
