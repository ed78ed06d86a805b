package dev.byok.sweeper;

import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.crypto.TenantKey;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsFutures;
import dev.byok.store.CryptoConfig;
import dev.byok.store.DekRepository;
import dev.byok.store.RecordRepository;
import dev.byok.store.TenantKeyStore;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds {@link TenantData} for a tenant over this service's record store and managed keys. */
@ApplicationScoped
class TenantDatas {
    private final Pool pool;
    private final DekRepository deks;
    private final RecordRepository records;
    private final ManagedKeyring keyring;
    private final TenantKeyStore tenantKeys;

    TenantDatas(
            Pool pool, DekRepository deks, RecordRepository records, CryptoConfig crypto, TenantKeyStore tenantKeys) {
        this.pool = pool;
        this.deks = deks;
        this.records = records;
        this.keyring = ManagedKeyring.parse(crypto.managedKeyring());
        this.tenantKeys = tenantKeys;
    }

    TenantData of(String tenant) {
        return new TenantData(pool, deks, records, this, tenant);
    }

    /** The global keyring: what wrapped every DEK before tenant keys (format 1). */
    ManagedKeyring keyring() {
        return keyring;
    }

    /** The tenant's key hierarchy as the service has it (its tenant key opened, or created, in the service's vault). */
    KeyHierarchy hierarchy(String tenant, Kms kms) {
        return new KeyHierarchy(keyring, tenantKey(tenant), kms);
    }

    TenantKey tenantKey(String tenant) {
        return KmsFutures.join(tenantKeys.key(tenant));
    }
}
