package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.kms.KeyOperation;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import dev.byok.kms.RateLimitedKms;
import dev.byok.service.KeyAccessReporter;
import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository.StoredDek;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What every sweeper job does when its work on a leased DEK fails. Running out of this replica's own
 * Key Vault budget is not a key failure: the DEK is released for the next round. Anything else is
 * counted and logged, a Key Vault failure is reported to the key-access topic (it drives lockdown),
 * and the DEK keeps its lease until it expires: a natural back-off.
 */
@ApplicationScoped
class DekWorkFailures {
    private final DekLeases leases;
    private final KeyAccessReporter reporter;
    private final SweeperMetrics metrics;

    DekWorkFailures(DekLeases leases, KeyAccessReporter reporter, SweeperMetrics metrics) {
        this.leases = leases;
        this.reporter = reporter;
        this.metrics = metrics;
    }

    /** {@code job} failed on {@code dek} while using {@code keyId} for {@code operation}. */
    void failed(String job, StoredDek dek, String keyId, KeyOperation operation, Throwable error) {
        Throwable cause = KmsFutures.cause(error);
        if (cause instanceof RateLimitedKms.OwnBudgetExhausted) {
            metrics.converged(job, "deferred");
            await(leases.release(dek.id()));
            return;
        }
        metrics.converged(job, "failed");
        Log.warnf(
                "%s of DEK %s (tenant %s) failed: %s",
                job,
                dek.id(),
                dek.tenantId(),
                cause instanceof KmsException k ? k.failure() : cause.getClass().getSimpleName());
        if (cause instanceof KmsException) {
            reporter.failed(dek.tenantId(), keyId, operation, cause);
        }
    }
}
