package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.crypto.Dek;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.store.CryptoConfig;
import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository;
import dev.byok.store.DekRepository.StoredDek;
import dev.byok.store.KeyConfigs;
import dev.byok.store.Reencryptions;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeys;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Moves a DEK's records to a new DEK and destroys it. Two kinds of DEK are moved, temporary ones
 * first:
 * <ul>
 * <li><b>move</b> — a BYOK tenant's temporary DEK (never stored under the customer key from birth:
 *     written before enable, while the key was slow, unreachable or locked, or stripped by a disable),
 *     once no process seals under it ({@code seal_until} plus {@code byok.sweeper.seal-margin});</li>
 * <li><b>reencrypt</b> — any DEK older than {@code byok.sweeper.crypto-period}.</li>
 * </ul>
 * The records are opened and sealed again, one day partition at a time and in batches, under a new
 * DEK of the tenant that is stored only once wrapped (under the customer key version in use when
 * BYOK is on: born protected); then the old DEK is destroyed. Each old DEK gets its own target,
 * recorded before the first record moves, so a crash resumes with the same target and only the
 * records still under the old DEK. Tenants the sweeper may not touch
 * ({@link TenantEligibility#unsweepable}) wait. Failures: {@link DekWorkFailures}.
 */
@Startup // checks its configuration when the service starts
@ApplicationScoped
public class ReencryptJob {
    private final DekLeases leases;
    private final Reencryptions reencryptions;
    private final DekRepository deks;
    private final KeyConfigs keyConfigs;
    private final TenantEligibility eligibility;
    private final TenantKeys keys;
    private final DekWorkFailures failures;
    private final SweeperMetrics metrics;
    private final Clock clock;
    private final Duration cryptoPeriod;
    private final Duration sealMargin;
    private final Duration dekMaxAge;
    private final int batchSize;

    ReencryptJob(
            DekLeases leases,
            Reencryptions reencryptions,
            DekRepository deks,
            KeyConfigs keyConfigs,
            TenantEligibility eligibility,
            TenantKeys keys,
            DekWorkFailures failures,
            SweeperMetrics metrics,
            Clock clock,
            CryptoConfig crypto,
            SweeperConfig config) {
        if (config.cryptoPeriod().compareTo(crypto.dekMaxAge())
                <= 0) { // a DEK still sealing new records must never be destroyed
            throw new IllegalArgumentException("byok.sweeper.crypto-period (" + config.cryptoPeriod()
                    + ") must be longer than byok.crypto.dek-max-age (" + crypto.dekMaxAge() + ")");
        }
        this.leases = leases;
        this.reencryptions = reencryptions;
        this.deks = deks;
        this.keyConfigs = keyConfigs;
        this.eligibility = eligibility;
        this.keys = keys;
        this.failures = failures;
        this.metrics = metrics;
        this.clock = clock;
        this.cryptoPeriod = config.cryptoPeriod();
        this.sealMargin = config.sealMargin();
        this.dekMaxAge = crypto.dekMaxAge();
        this.batchSize = config.reencryptBatchSize();
    }

    /** Moves one DEK's records (a temporary DEK first); returns 1 when it was destroyed, 0 when there was nothing (more) to do now. */
    int runOnce() {
        Instant now = clock.instant();
        String job = "move";
        List<StoredDek> claimed = await(leases.claimTemporary(byokTenants(), now.minus(sealMargin), dekMaxAge, 1));
        if (claimed.isEmpty()) {
            job = "reencrypt";
            claimed = await(leases.claimAged(List.copyOf(eligibility.unsweepable()), now.minus(cryptoPeriod), 1));
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        StoredDek old = claimed.get(0);
        try {
            return reencrypt(job, old, now) ? 1 : 0;
        } catch (RuntimeException e) {
            failures.failed(job, old, old.customerKeyId().orElse(""), KeyOperation.UNWRAP, e);
            return 0;
        }
    }

    /** Tenants with BYOK enabled that the sweeper may touch: their temporary DEKs are moved. */
    private List<String> byokTenants() {
        return keyConfigs.snapshot().keySet().stream()
                .filter(tenant -> eligibility.sweepable(tenant)
                        && keyConfigs.customerKey(tenant).isPresent())
                .toList();
    }

    private boolean reencrypt(String job, StoredDek old, Instant now) {
        Dek from = await(keys.unwrap(old));
        Dek to = target(old, now);
        long corrupted = 0;
        for (LocalDate day : await(reencryptions.days(old.tenantId(), old.id()))) {
            corrupted += moveDay(old, from, to, day);
        }
        if (corrupted > 0) {
            await(reencryptions.markCorrupted(old.id(), corrupted));
            metrics.converged(job, "corrupted-records");
            Log.errorf(
                    "DEK %s (tenant %s) keeps %d records that fail authentication; it is kept and not re-encrypted again",
                    old.id(), old.tenantId(), corrupted);
            return false;
        }
        boolean destroyed = await(leases.destroy(old.id()));
        await(reencryptions.finish(old.id()));
        metrics.converged(job, destroyed ? "done" : "lease-lost");
        return destroyed;
    }

    /** Moves the old DEK's records of one day partition, batch by batch; returns how many failed authentication. */
    private long moveDay(StoredDek old, Dek from, Dek to, LocalDate day) {
        long corrupted = 0;
        Reencryptions.Page after = Reencryptions.Page.FIRST;
        List<Reencryptions.Sealed> batch;
        while (!(batch = await(reencryptions.next(old.tenantId(), old.id(), day, after, batchSize))).isEmpty()) {
            List<Reencryptions.Moved> moved = reseal(old.tenantId(), from, to, batch);
            corrupted += batch.size() - moved.size();
            await(reencryptions.move(old.tenantId(), old.id(), to.id(), to.recordsSealed(), day, moved));
            metrics.reencrypted(moved.size());
            await(leases.extend(old.id()));
            after = batch.get(batch.size() - 1).next();
        }
        return corrupted;
    }

    /**
     * The batch's records opened and sealed under {@code to}; a record that fails authentication is
     * left out: it stays under the old DEK, which is then never destroyed with data still under it.
     */
    private static List<Reencryptions.Moved> reseal(
            String tenantId, Dek from, Dek to, List<Reencryptions.Sealed> batch) {
        List<Reencryptions.Moved> moved = new ArrayList<>(batch.size());
        for (Reencryptions.Sealed record : batch) {
            try {
                byte[] plaintext = RecordEnvelope.open(from, tenantId, record.eventId(), record.envelope());
                moved.add(new Reencryptions.Moved(
                        record.eventId(), record.occurredAt(), RecordEnvelope.seal(to, record.eventId(), plaintext)));
                Arrays.fill(plaintext, (byte) 0);
            } catch (InvalidCiphertextException e) {
                // stays under the old DEK; the caller counts it
            }
        }
        return moved;
    }

    /** The DEK this old DEK's records move to: the one recorded by an earlier (interrupted) run, or a new one. */
    private Dek target(StoredDek old, Instant now) {
        UUID existing = await(reencryptions.target(old.id())).orElse(null);
        if (existing != null) {
            return await(keys.unwrap(await(deks.find(existing))
                    .orElseThrow(() -> new IllegalStateException(
                            "re-encryption target " + existing + " of DEK " + old.id() + " is missing"))));
        }
        Dek dek = keys.newDek(old.tenantId(), now);
        WrappedDek wrapped = await(keys.hierarchy(old.tenantId(), KeyUsagePurpose.NEW_DEK)
                .thenCompose(hierarchy -> hierarchy.wrap(dek, keyConfigs.customerKey(old.tenantId()))));
        // sealed only by this move: no process seals new records under it
        await(deks.insert(new StoredDek(dek.id(), old.tenantId(), wrapped, false, now, 0), now));
        await(reencryptions.start(old.id(), old.tenantId(), dek.id(), now));
        return dek;
    }
}
