package dev.byok.sweeper;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.crypto.TenantKey;
import dev.byok.crypto.WrappedDek;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsFutures;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.ProtectionStatus;
import dev.byok.model.Topics;
import dev.byok.store.DekRepository;
import dev.byok.store.DekRepository.StoredDek;
import dev.byok.store.RecordRepository;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.TopicClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A tenant's DEKs and records written straight into the record store, as crypto-service writes
 * them, and read back through every layer — the sweeper tests' view of the data.
 */
final class TenantData {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool pool;
    private final DekRepository deks;
    private final RecordRepository records;
    private final TenantDatas keys;
    private final String tenant;
    private TenantKey tenantKey; // opened once, as a service process keeps it

    TenantData(Pool pool, DekRepository deks, RecordRepository records, TenantDatas keys, String tenant) {
        this.pool = pool;
        this.deks = deks;
        this.records = records;
        this.keys = keys;
        this.tenant = tenant;
    }

    String tenant() {
        return tenant;
    }

    /** Creates the tenant's key in the emulator's vault and publishes BYOK enabled with it (what config-service does). */
    KeyVersionId enableByok() {
        EmulatorAdminClient admin =
                new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
        KeyVersionId key = KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 1, Instant.now(), key.key().toString(), key.toString()));
        return key;
    }

    /** The tenant's latest protection status, read until it satisfies {@code condition}. */
    ProtectionStatus statusUntil(Predicate<ProtectionStatus> condition) {
        List<ProtectionStatus> statuses = TopicClient.readUntil(
                Topics.TENANT_PROTECTION,
                tenant,
                ProtectionStatus.class,
                found -> !found.isEmpty() && condition.test(found.get(found.size() - 1)),
                Duration.ofSeconds(60));
        return statuses.get(statuses.size() - 1);
    }

    /**
     * A DEK created at {@code createdAt} (customer-wrapped when a version is given: born protected)
     * that sealed {@code count} records and seals no more.
     */
    UUID write(Instant createdAt, int count, Optional<KeyVersionId> customerKey, Kms kms, boolean pending) {
        return write(createdAt, count, customerKey, kms, pending, 0);
    }

    /** The same, each record's body padded to about {@code bodyBytes}. */
    UUID write(
            Instant createdAt, int count, Optional<KeyVersionId> customerKey, Kms kms, boolean pending, int bodyBytes) {
        Dek dek = Dek.generate(tenant, createdAt, DekPolicy.DEFAULT);
        return store(dek, KmsFutures.join(hierarchy(kms).wrap(dek, customerKey)), count, pending, bodyBytes);
    }

    /**
     * A DEK as written before tenant keys (format 1): under the global keyring, with the customer
     * layer over it when a version is given.
     */
    UUID writeUnderKeyring(Instant createdAt, int count, Optional<KeyVersionId> customerKey, Kms kms, boolean pending) {
        Dek dek = Dek.generate(tenant, createdAt, DekPolicy.DEFAULT);
        WrappedDek.ManagedOnly legacy = keys.keyring().wrap(dek);
        WrappedDek wrapped = customerKey.isEmpty()
                ? legacy
                : KmsFutures.join(hierarchy(kms).addCustomerLayer(legacy, customerKey.get()));
        return store(dek, wrapped, count, pending, 0);
    }

    private UUID store(Dek dek, WrappedDek wrapped, int count, boolean pending, int bodyBytes) {
        Instant createdAt = dek.createdAt();
        List<RecordRepository.SealedRecord> sealed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String eventId = dek.id() + "-" + i;
            sealed.add(new RecordRepository.SealedRecord(
                    tenant,
                    eventId,
                    dek.id(),
                    RecordEnvelope.seal(dek, eventId, body(eventId, bodyBytes)),
                    createdAt,
                    createdAt));
        }
        // records first: a DEK row that seals no more and has no record yet would be moved (and destroyed) at once
        records.insertAll(sealed).await().atMost(Duration.ofMinutes(5));
        deks.insert(new StoredDek(dek.id(), tenant, wrapped, pending, createdAt, count), createdAt)
                .await()
                .atMost(WAIT);
        return dek.id();
    }

    /** The hierarchy this "process" uses: its tenant key opened on first use and kept (also after an offboarding). */
    KeyHierarchy hierarchy(Kms kms) {
        if (tenantKey == null) {
            tenantKey = keys.tenantKey(tenant);
        }
        return new KeyHierarchy(keys.keyring(), tenantKey, kms);
    }

    static byte[] body(String eventId, int bodyBytes) {
        String pad = "x".repeat(Math.max(0, bodyBytes - 64));
        return ("{\"eventId\":\"" + eventId + "\",\"actor\":\"alice@contoso.com\",\"pad\":\"" + pad + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    List<StoredDek> deks() {
        List<StoredDek> out = new ArrayList<>();
        pool.preparedQuery("SELECT id, tenant_id, wrapped, pending, created_at, records_sealed FROM "
                        + "dek WHERE tenant_id = $1 ORDER BY created_at")
                .execute(Tuple.of(tenant))
                .await()
                .atMost(WAIT)
                .forEach(r -> out.add(DekRepository.toDek(r)));
        return out;
    }

    /** How many of the tenant's DEK rows name this customer key version (read without parsing the rows). */
    long deksUnder(KeyVersionId customerKey) {
        return pool.preparedQuery("SELECT count(*) FROM dek WHERE tenant_id = $1 AND customer_key_id = $2")
                .execute(Tuple.of(tenant, customerKey.toString()))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }

    /** Every record opened through every layer of its DEK (kms may be null for managed-only DEKs): event id → body. */
    Map<String, String> readAll(Kms kms) {
        Map<UUID, Dek> opened = new LinkedHashMap<>();
        for (StoredDek d : deks()) {
            opened.put(
                    d.id(),
                    KmsFutures.join(hierarchy(kms)
                            .unwrap(d.id(), tenant, d.createdAt(), DekPolicy.DEFAULT, d.recordsSealed(), d.wrapped())));
        }
        Map<String, String> out = new LinkedHashMap<>();
        pool.preparedQuery(
                        "SELECT event_id, dek_id, envelope FROM activity_record WHERE tenant_id = $1 ORDER BY event_id")
                .execute(Tuple.of(tenant))
                .await()
                .atMost(WAIT)
                .forEach(r -> {
                    Dek dek = opened.get(r.getUUID("dek_id"));
                    out.put(
                            r.getString("event_id"),
                            new String(
                                    RecordEnvelope.open(
                                            dek,
                                            tenant,
                                            r.getString("event_id"),
                                            r.getBuffer("envelope").getBytes()),
                                    StandardCharsets.UTF_8));
                });
        return out;
    }
}
