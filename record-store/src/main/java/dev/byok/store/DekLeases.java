package dev.byok.store;

import dev.byok.crypto.WrappedDek;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.store.DekRepository.StoredDek;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * Claims DEKs for one sweeper replica with a lease (see V3__sweeper_work.sql): claimed in one short
 * statement with {@code FOR UPDATE SKIP LOCKED}, so two replicas never claim the same DEK while a
 * lease runs, and written back only while this replica still holds the lease. A claimed row whose
 * stored wrapping does not parse is quarantined (V4__dek_quarantine.sql) instead of handed out:
 * reported, and never claimed again, so it cannot hold up the other DEKs. One per sweeper replica
 * ({@link DekRepository#leases}).
 */
public class DekLeases {
    private static final String RETURNING = " RETURNING id, tenant_id, wrapped, pending, created_at, records_sealed";

    private final Pool pool;
    private final String owner;
    private final long leaseMillis;
    private final IntConsumer quarantined;

    /** Leases held by {@code owner} for {@code lease}; {@code quarantined} hears how many claimed rows were set aside. */
    DekLeases(Pool pool, String owner, Duration lease, IntConsumer quarantined) {
        this.pool = pool;
        this.owner = owner;
        this.leaseMillis = lease.toMillis();
        this.quarantined = quarantined;
    }

    /**
     * Customer-wrapped DEKs not yet in their tenant's target state: under another version than
     * {@code targets.get(tenant)} or, where the target is "" (BYOK off), under any version or still
     * pending. Oldest first. A BYOK tenant's DEKs without a customer layer are temporary: they are not
     * wrapped here but moved ({@link #claimTemporary}).
     */
    public Uni<List<StoredDek>> claimUnconverged(Map<String, String> targets, int limit) {
        if (targets.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] tenants = targets.keySet().toArray(new String[0]);
        String[] versions = targets.keySet().stream().map(targets::get).toArray(String[]::new);
        return claim(
                "SELECT d.id FROM dek d JOIN unnest($3::varchar[], $4::varchar[]) AS t(tenant_id, version)"
                        + " ON d.tenant_id = t.tenant_id"
                        + " WHERE (d.customer_key_id <> t.version OR (t.version = '' AND d.pending))"
                        + " AND d.quarantined_at IS NULL AND (d.lease_until IS NULL OR d.lease_until < now())"
                        + " ORDER BY d.created_at LIMIT $5 FOR UPDATE OF d SKIP LOCKED",
                Tuple.of(owner, leaseMillis, tenants, versions, limit));
    }

    /**
     * Temporary DEKs of these (BYOK) tenants — never stored under the customer key from birth — that
     * no process seals under any more since {@code sealedBefore} (rows without a seal time: created
     * {@code maxAge} before it). Oldest first; those whose re-encryption stopped at corrupted records
     * are left to an operator.
     */
    public Uni<List<StoredDek>> claimTemporary(List<String> tenants, Instant sealedBefore, Duration maxAge, int limit) {
        if (tenants.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return claim(
                "SELECT id FROM dek WHERE tenant_id = ANY($3) AND NOT born_protected AND quarantined_at IS NULL"
                        + " AND COALESCE(seal_until, created_at + $6 * interval '1 millisecond') < $4"
                        + " AND (lease_until IS NULL OR lease_until < now())"
                        + " AND id NOT IN (SELECT old_dek_id FROM reencryption WHERE corrupted_records > 0)"
                        + " ORDER BY created_at LIMIT $5 FOR UPDATE SKIP LOCKED",
                Tuple.from(new Object[] {
                    owner,
                    leaseMillis,
                    tenants.toArray(new String[0]),
                    sealedBefore.atOffset(ZoneOffset.UTC),
                    limit,
                    maxAge.toMillis()
                }));
    }

    /**
     * DEKs created before {@code before} (past their crypto-period), oldest first, except those of the
     * excluded tenants and those whose re-encryption stopped at corrupted records.
     */
    public Uni<List<StoredDek>> claimAged(List<String> excludedTenants, Instant before, int limit) {
        return claim(
                "SELECT id FROM dek WHERE created_at < $4 AND tenant_id <> ALL($3) AND quarantined_at IS NULL"
                        + " AND (lease_until IS NULL OR lease_until < now())"
                        + " AND id NOT IN (SELECT old_dek_id FROM reencryption WHERE corrupted_records > 0)"
                        + " ORDER BY created_at LIMIT $5 FOR UPDATE SKIP LOCKED",
                Tuple.of(
                        owner,
                        leaseMillis,
                        excludedTenants.toArray(new String[0]),
                        before.atOffset(ZoneOffset.UTC),
                        limit));
    }

    /** DEKs still under the global keyring (format 1), oldest first, except those of the excluded tenants. */
    public Uni<List<StoredDek>> claimKeyring(List<String> excludedTenants, int limit) {
        return claim(
                "SELECT id FROM dek WHERE get_byte(wrapped, 0) = 1 AND tenant_id <> ALL($3) AND quarantined_at IS NULL"
                        + " AND (lease_until IS NULL OR lease_until < now())"
                        + " ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED",
                Tuple.of(owner, leaseMillis, excludedTenants.toArray(new String[0]), limit));
    }

    /**
     * Writes the same DEK under another managed key and ends the lease; nothing else about it changes
     * (its customer layer, temporary or born-protected state). False when the lease was lost.
     */
    public Uni<Boolean> migrated(UUID id, WrappedDek wrapped) {
        return pool.preparedQuery("UPDATE dek SET wrapped = $2, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = $1 AND lease_owner = $3")
                .execute(Tuple.of(id, Buffer.buffer(wrapped.encode()), owner))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Destroys a DEK this replica holds once no record is under it any more (a record stored late, by a
     * batch that sealed before the DEK's seal time, keeps it): nothing can unwrap it afterwards.
     */
    public Uni<Boolean> destroy(UUID id) {
        // only the tenant's own records count: a row of another tenant naming this DEK is a forgery that reads as
        // corrupted, and must not keep the DEK (and its re-encryption) alive
        return pool.preparedQuery("DELETE FROM dek d WHERE d.id = $1 AND d.lease_owner = $2 AND NOT EXISTS"
                        + " (SELECT 1 FROM activity_record r WHERE r.dek_id = d.id AND r.tenant_id = d.tenant_id)")
                .execute(Tuple.of(id, owner))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<List<StoredDek>> claim(String candidates, Tuple args) {
        return pool.preparedQuery("UPDATE dek SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'"
                        + " WHERE id IN (" + candidates + ")" + RETURNING)
                .execute(args)
                .flatMap(rows -> {
                    List<StoredDek> out = new ArrayList<>();
                    List<UUID> unparseable = new ArrayList<>();
                    for (Row r : rows) {
                        try {
                            out.add(DekRepository.toDek(r));
                        } catch (InvalidCiphertextException e) {
                            unparseable.add(r.getUUID("id"));
                            Log.errorf(
                                    "DEK %s of tenant %s does not parse; quarantined (docs/operations.md)",
                                    r.getUUID("id"), r.getString("tenant_id"));
                        }
                    }
                    return unparseable.isEmpty()
                            ? Uni.createFrom().item(out)
                            : quarantine(unparseable).replaceWith(out);
                });
    }

    /** Sets DEK rows this replica claimed aside for good (until an operator clears them) and releases them. */
    private Uni<Void> quarantine(List<UUID> ids) {
        quarantined.accept(ids.size());
        return pool.preparedQuery(
                        "UPDATE dek SET quarantined_at = now(), quarantine_reason = $3, lease_owner = NULL, lease_until = NULL"
                                + " WHERE id = ANY($1) AND lease_owner = $2")
                .execute(Tuple.of(ids.toArray(new UUID[0]), owner, "stored wrapping does not parse"))
                .replaceWithVoid();
    }

    /**
     * Writes the DEK's new wrapping and ends the lease; false when the lease was lost (another replica
     * has the DEK). A DEK stored without its customer layer is no longer born protected.
     */
    public Uni<Boolean> complete(UUID id, WrappedDek wrapped) {
        String customerKeyId = wrapped instanceof WrappedDek.CustomerWrapped c ? c.customerKeyId() : null;
        return pool.preparedQuery(
                        "UPDATE dek SET wrapped = $2, customer_key_id = $3, pending = false, lease_owner = NULL, lease_until = NULL,"
                                + " born_protected = born_protected AND $5 WHERE id = $1 AND lease_owner = $4")
                .execute(Tuple.of(id, Buffer.buffer(wrapped.encode()), customerKeyId, owner, customerKeyId != null))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives a DEK back at once (work that could not start, such as this replica's own Key Vault budget being spent). */
    public Uni<Void> release(UUID id) {
        return pool.preparedQuery(
                        "UPDATE dek SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2")
                .execute(Tuple.of(id, owner))
                .replaceWithVoid();
    }

    /** Keeps a lease for another lease period (long re-encryptions). */
    public Uni<Void> extend(UUID id) {
        return pool.preparedQuery(
                        "UPDATE dek SET lease_until = now() + $3 * interval '1 millisecond' WHERE id = $1 AND lease_owner = $2")
                .execute(Tuple.of(id, owner, leaseMillis))
                .replaceWithVoid();
    }
}
