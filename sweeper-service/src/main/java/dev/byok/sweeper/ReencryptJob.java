package dev.byok.sweeper;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.InvalidCiphertextException;
import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import dev.byok.kms.RateLimitedKms;
import dev.byok.model.KeyOperation;
import dev.byok.model.KeyUsagePurpose;
import dev.byok.service.Gate;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KeyConfigs;
import dev.byok.service.KmsStack;
import dev.byok.store.CryptoConfig;
import dev.byok.store.DekRepository;
import dev.byok.store.DekRepository.StoredDek;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Crypto-period re-encryption: a DEK older than {@code byok.sweeper.crypto-period} has its records
 * opened and sealed again, in batches, under a new DEK of the tenant (wrapped like any new DEK:
 * under the customer key version in use when BYOK is on); then the old DEK is destroyed. Each old
 * DEK gets its own target, recorded before the first record moves, so a crash resumes with the same
 * target and only the records still under the old DEK. Locked and offboarded tenants, and tenants
 * whose key configuration is unreadable, wait.
 */
@Startup // checks its configuration when the service starts
@ApplicationScoped
public class ReencryptJob {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final DekLeases leases;
    private final Reencryptions reencryptions;
    private final DekRepository deks;
    private final KeyConfigs keyConfigs;
    private final Gate gate;
    private final KmsStack kms;
    private final KeyAccessReporter reporter;
    private final SweeperMetrics metrics;
    private final ManagedKeyring keyring;
    private final DekPolicy policy;
    private final Duration cryptoPeriod;
    private final int batchSize;
    private final Clock clock = Clock.systemUTC();

    ReencryptJob(DekLeases leases, Reencryptions reencryptions, DekRepository deks, KeyConfigs keyConfigs, Gate gate, KmsStack kms,
                 KeyAccessReporter reporter, SweeperMetrics metrics, CryptoConfig crypto, SweeperConfig config) {
        if (config.cryptoPeriod().compareTo(crypto.dekMaxAge()) <= 0) { // a DEK still sealing new records must never be destroyed
            throw new IllegalArgumentException("byok.sweeper.crypto-period (" + config.cryptoPeriod()
                    + ") must be longer than byok.crypto.dek-max-age (" + crypto.dekMaxAge() + ")");
        }
        this.leases = leases;
        this.reencryptions = reencryptions;
        this.deks = deks;
        this.keyConfigs = keyConfigs;
        this.gate = gate;
        this.kms = kms;
        this.reporter = reporter;
        this.metrics = metrics;
        this.keyring = ManagedKeyring.parse(crypto.managedKeyring());
        this.policy = new DekPolicy(crypto.dekMaxRecords(), crypto.dekMaxAge());
        this.cryptoPeriod = config.cryptoPeriod();
        this.batchSize = config.reencryptBatchSize();
    }

    /** Re-encrypts one aged DEK's records; returns 1 when it was destroyed, 0 when there was nothing (more) to do now. */
    int runOnce() {
        Instant now = clock.instant();
        List<String> excluded = new ArrayList<>();
        gate.gate().snapshot().forEach((tenant, state) -> {
            if (state.locked()) {
                excluded.add(tenant);
            }
        });
        keyConfigs.snapshot().keySet().stream().filter(t -> keyConfigs.offboarded(t) || keyConfigs.unreadable(t).isPresent())
                .forEach(excluded::add);
        List<StoredDek> claimed = leases.claimAged(excluded, now.minus(cryptoPeriod), 1).await().atMost(TIMEOUT);
        if (claimed.isEmpty()) {
            return 0;
        }
        StoredDek old = claimed.get(0);
        try {
            return reencrypt(old, now) ? 1 : 0;
        } catch (RuntimeException e) {
            Throwable cause = KmsFutures.cause(e);
            if (cause instanceof RateLimitedKms.OwnBudgetExhausted) {
                leases.release(old.id()).await().atMost(TIMEOUT);
                return 0;
            }
            metrics.converged("reencrypt", "failed");
            Log.warnf("re-encryption of DEK %s (tenant %s) failed: %s", old.id(), old.tenantId(),
                    cause instanceof KmsException k ? k.failure() : cause.getClass().getSimpleName());
            if (cause instanceof KmsException) {
                reporter.failed(old.tenantId(), old.customerKeyId().orElse(""), KeyOperation.UNWRAP, cause);
            }
            return 0; // the lease expires: retried after it
        }
    }

    private boolean reencrypt(StoredDek old, Instant now) {
        Dek from = unwrap(old);
        Dek to = target(old, now);
        long corrupted = 0;
        String after = "";
        List<Reencryptions.Sealed> batch;
        while (!(batch = reencryptions.next(old.tenantId(), old.id(), after, batchSize).await().atMost(TIMEOUT)).isEmpty()) {
            List<Reencryptions.Moved> moved = new ArrayList<>(batch.size());
            for (Reencryptions.Sealed record : batch) {
                try {
                    byte[] plaintext = RecordEnvelope.open(from, old.tenantId(), record.eventId(), record.envelope());
                    moved.add(new Reencryptions.Moved(record.eventId(), RecordEnvelope.seal(to, record.eventId(), plaintext)));
                    Arrays.fill(plaintext, (byte) 0);
                } catch (InvalidCiphertextException e) {
                    corrupted++; // stays under the old DEK: never destroyed with data still under it
                }
            }
            reencryptions.move(old.tenantId(), old.id(), to.id(), to.recordsSealed(), moved).await().atMost(TIMEOUT);
            metrics.reencrypted(moved.size());
            leases.extend(old.id()).await().atMost(TIMEOUT);
            after = batch.get(batch.size() - 1).eventId();
        }
        if (corrupted > 0) {
            reencryptions.markCorrupted(old.id(), corrupted).await().atMost(TIMEOUT);
            metrics.converged("reencrypt", "corrupted-records");
            Log.errorf("DEK %s (tenant %s) keeps %d records that fail authentication; it is kept and not re-encrypted again",
                    old.id(), old.tenantId(), corrupted);
            return false;
        }
        boolean destroyed = leases.destroy(old.id()).await().atMost(TIMEOUT);
        reencryptions.finish(old.id()).await().atMost(TIMEOUT);
        metrics.converged("reencrypt", destroyed ? "done" : "lease-lost");
        return destroyed;
    }

    /** The DEK this old DEK's records move to: the one recorded by an earlier (interrupted) run, or a new one. */
    private Dek target(StoredDek old, Instant now) {
        UUID existing = reencryptions.target(old.id()).await().atMost(TIMEOUT).orElse(null);
        if (existing != null) {
            return unwrap(deks.find(existing).await().atMost(TIMEOUT).orElseThrow(
                    () -> new IllegalStateException("re-encryption target " + existing + " of DEK " + old.id() + " is missing")));
        }
        Dek dek = Dek.generate(old.tenantId(), now, policy);
        KeyHierarchy hierarchy = new KeyHierarchy(keyring, kms.forTenant(old.tenantId(), KeyUsagePurpose.NEW_DEK));
        WrappedDek wrapped = KmsFutures.join(hierarchy.wrap(dek, keyConfigs.customerKey(old.tenantId())));
        deks.insert(new StoredDek(dek.id(), old.tenantId(), wrapped, false, now, 0)).await().atMost(TIMEOUT);
        reencryptions.start(old.id(), old.tenantId(), dek.id(), now).await().atMost(TIMEOUT);
        return dek;
    }

    private Dek unwrap(StoredDek stored) {
        KeyHierarchy hierarchy = new KeyHierarchy(keyring, kms.forTenant(stored.tenantId(), KeyUsagePurpose.DEK_LOAD));
        return KmsFutures.join(hierarchy.unwrap(stored.id(), stored.tenantId(), stored.createdAt(), policy, stored.recordsSealed(), stored.wrapped()));
    }
}
