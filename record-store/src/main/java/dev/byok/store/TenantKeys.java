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
 * The one place the data plane gets its keys from: the DEK bounds ({@link CryptoConfig}) and each
 * tenant's key hierarchy — its tenant key ({@link TenantKeyStore}), the keyring for its format-1
 * DEKs, and the KMS signed in to the directory of the tenant's latest key configuration.
 */
@ApplicationScoped
public class TenantKeys {
    private final ManagedKeyring keyring;
    private final DekPolicy policy;
    private final DekPolicy temporaryPolicy;
    private final KmsStack kms;
    private final KeyConfigs configs;
    private final TenantKeyStore tenantKeys;

    TenantKeys(CryptoConfig crypto, KmsStack kms, KeyConfigs configs, TenantKeyStore tenantKeys) {
        this.keyring = ManagedKeyring.parse(crypto.managedKeyring());
        this.policy = new DekPolicy(crypto.dekMaxRecords(), crypto.dekMaxAge());
        this.temporaryPolicy =
                new DekPolicy(crypto.dekMaxRecords(), min(crypto.temporaryDekMaxAge(), crypto.dekMaxAge()));
        this.kms = kms;
        this.configs = configs;
        this.tenantKeys = tenantKeys;
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

    /**
     * The tenant's key hierarchy, once its tenant key is open (at once after the first use in this
     * process); its customer-key calls are audited under {@code purpose}.
     */
    public CompletionStage<KeyHierarchy> hierarchy(String tenantId, KeyUsagePurpose purpose) {
        return tenantKeys
                .key(tenantId)
                .thenApply(tenantKey -> new KeyHierarchy(
                        keyring, tenantKey, kms.forTenant(tenantId, configs.directory(tenantId), purpose)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** A stored DEK opened through every layer (audited as {@link KeyUsagePurpose#DEK_LOAD}). */
    public CompletionStage<Dek> unwrap(StoredDek stored) {
        return hierarchy(stored.tenantId(), KeyUsagePurpose.DEK_LOAD)
                .thenCompose(hierarchy -> hierarchy.unwrap(
                        stored.id(),
                        stored.tenantId(),
                        stored.createdAt(),
                        policy,
                        stored.recordsSealed(),
                        stored.wrapped()));
    }
}
