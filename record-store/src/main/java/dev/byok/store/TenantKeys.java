package dev.byok.store;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.service.KmsStack;
import dev.byok.store.DekRepository.StoredDek;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The one place the data plane gets its keys from: the managed keyring and the DEK bounds
 * ({@link CryptoConfig}), and each tenant's key hierarchy over the KMS, signed in to the directory
 * of the tenant's latest key configuration.
 */
@ApplicationScoped
public class TenantKeys {
    private final ManagedKeyring keyring;
    private final DekPolicy policy;
    private final DekPolicy temporaryPolicy;
    private final KmsStack kms;
    private final KeyConfigs configs;

    TenantKeys(CryptoConfig crypto, KmsStack kms, KeyConfigs configs) {
        this.keyring = ManagedKeyring.parse(crypto.managedKeyring());
        this.policy = new DekPolicy(crypto.dekMaxRecords(), crypto.dekMaxAge());
        this.temporaryPolicy =
                new DekPolicy(crypto.dekMaxRecords(), min(crypto.temporaryDekMaxAge(), crypto.dekMaxAge()));
        this.kms = kms;
        this.configs = configs;
    }

    /** The managed layer alone (wrapping needs no KMS call). */
    public ManagedKeyring keyring() {
        return keyring;
    }

    /** A fresh DEK of the tenant within this deployment's bounds. */
    public Dek newDek(String tenantId, Instant now) {
        return Dek.generate(tenantId, now, policy);
    }

    /**
     * A fresh DEK of a BYOK tenant that is stored before its customer layer exists: it seals for
     * {@code byok.crypto.temporary-dek-max-age} at most, then its records move to a DEK born under the
     * customer key (sweeper).
     */
    public Dek newTemporaryDek(String tenantId, Instant now) {
        return Dek.generate(tenantId, now, temporaryPolicy);
    }

    /** The tenant's key hierarchy; its customer-key calls are audited under {@code purpose}. */
    public KeyHierarchy hierarchy(String tenantId, KeyUsagePurpose purpose) {
        return new KeyHierarchy(keyring, kms.forTenant(tenantId, configs.directory(tenantId), purpose));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** A stored DEK opened through every layer (audited as {@link KeyUsagePurpose#DEK_LOAD}). */
    public CompletionStage<Dek> unwrap(StoredDek stored) {
        return hierarchy(stored.tenantId(), KeyUsagePurpose.DEK_LOAD)
                .unwrap(
                        stored.id(),
                        stored.tenantId(),
                        stored.createdAt(),
                        policy,
                        stored.recordsSealed(),
                        stored.wrapped());
    }
}
