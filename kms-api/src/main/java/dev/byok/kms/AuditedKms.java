package dev.byok.kms;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports every KMS operation to a {@link KeyUsageAuditor}: tenant, key (version), operation,
 * purpose, outcome and latency. A caller takes a per-tenant, per-purpose view with
 * {@link #forTenant} and uses it like any {@link Kms}.
 */
public final class AuditedKms {
    private static final Logger LOG = Logger.getLogger(AuditedKms.class.getName());

    private final Kms delegate;
    private final KeyUsageAuditor auditor;
    private final Clock clock;

    private AuditedKms(Kms delegate, KeyUsageAuditor auditor, Clock clock) {
        this.delegate = delegate;
        this.auditor = auditor;
        this.clock = clock;
    }

    public static AuditedKms wrap(Kms delegate, KeyUsageAuditor auditor, Clock clock) {
        return new AuditedKms(delegate, auditor, clock);
    }

    /** A view whose every call is audited for this tenant and purpose. */
    public Kms forTenant(String tenantId, KeyUsagePurpose purpose) {
        return new Kms() {
            @Override
            public CompletionStage<KeyVersionId> resolveLatest(KeyRef key) {
                return audited(
                        tenantId,
                        purpose,
                        key.toString(),
                        KeyOperation.RESOLVE_LATEST,
                        () -> delegate.resolveLatest(key));
            }

            @Override
            public CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey) {
                return audited(
                        tenantId, purpose, key.toString(), KeyOperation.WRAP, () -> delegate.wrap(key, plaintextKey));
            }

            @Override
            public CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey) {
                return audited(
                        tenantId, purpose, key.toString(), KeyOperation.UNWRAP, () -> delegate.unwrap(key, wrappedKey));
            }

            @Override
            public CompletionStage<KeyDescription> describe(KeyRef key) {
                return audited(tenantId, purpose, key.toString(), KeyOperation.DESCRIBE, () -> delegate.describe(key));
            }
        };
    }

    private <T> CompletionStage<T> audited(
            String tenantId,
            KeyUsagePurpose purpose,
            String keyId,
            KeyOperation operation,
            Supplier<CompletionStage<T>> call) {
        long start = System.nanoTime();
        return call.get().whenComplete((result, error) -> {
            Throwable cause = error == null ? null : KmsFutures.cause(error);
            Optional<KeyAccessFailure> failure = cause instanceof KmsException k
                    ? Optional.of(k.failure())
                    : cause == null || cause instanceof InvalidCiphertextException
                            ? Optional.empty()
                            : Optional.of(KeyAccessFailure.UNKNOWN);
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            try {
                auditor.record(new KeyUse(
                        tenantId, keyId, operation, purpose, error == null, failure, latencyMs, clock.instant()));
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "key-usage audit hook failed for tenant " + tenantId + ": "
                                + e.getClass().getSimpleName());
            }
        });
    }
}
