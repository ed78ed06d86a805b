package dev.byok.sweeper;

import dev.byok.crypto.ManagedKeyring;
import dev.byok.store.CryptoConfig;
import dev.byok.store.DekRepository;
import dev.byok.store.RecordRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds {@link TenantData} for a tenant over this service's record store and keyring. */
@ApplicationScoped
class TenantDatas {
    private final Pool pool;
    private final DekRepository deks;
    private final RecordRepository records;
    private final ManagedKeyring keyring;

    TenantDatas(Pool pool, DekRepository deks, RecordRepository records, CryptoConfig crypto) {
        this.pool = pool;
        this.deks = deks;
        this.records = records;
        this.keyring = ManagedKeyring.parse(crypto.managedKeyring());
    }

    TenantData of(String tenant) {
        return new TenantData(pool, deks, records, keyring, tenant);
    }

    ManagedKeyring keyring() {
        return keyring;
    }
}
