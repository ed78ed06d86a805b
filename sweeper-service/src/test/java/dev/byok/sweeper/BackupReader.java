package dev.byok.sweeper;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.crypto.TenantKey;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsFutures;
import dev.byok.testsupport.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The attacker's reader of a restored backup: with everything the service holds — the managed
 * keyring, the service's own vault (whatever tenant keys it still has) and the customer-key KMS it
 * is given — it opens every record of a tenant it can, using only the rows in the backup.
 */
final class BackupReader {
    private final ManagedKeyring keyring;
    private final Kms ownVault;

    BackupReader(ManagedKeyring keyring, Kms ownVault) {
        this.keyring = keyring;
        this.ownVault = ownVault;
    }

    /** The event ids of the tenant's records in {@code db} that open. */
    Set<String> openable(PostgresEndpoint.Connection db, String tenant, Kms customerKms) throws SQLException {
        Set<String> opened = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            KeyHierarchy hierarchy = new KeyHierarchy(
                    keyring,
                    tenantKey(c, tenant).orElse(TenantKey.generate(tenant, 1)), // none: the keyring still tries
                    customerKms);
            Map<UUID, Optional<Dek>> deks = deks(c, tenant, hierarchy);
            try (PreparedStatement s =
                    c.prepareStatement("SELECT event_id, dek_id, envelope FROM activity_record WHERE tenant_id = ?")) {
                s.setString(1, tenant);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String eventId = r.getString("event_id");
                        Optional<Dek> dek = deks.getOrDefault(r.getObject("dek_id", UUID.class), Optional.empty());
                        if (dek.isPresent()) {
                            RecordEnvelope.open(dek.get(), tenant, eventId, r.getBytes("envelope"));
                            opened.add(eventId);
                        }
                    }
                }
            }
        }
        return opened;
    }

    /** The tenant key from the backup's row, if the service's vault still unwraps it. */
    private Optional<TenantKey> tenantKey(Connection c, String tenant) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT version, vault_key_id, wrapped FROM tenant_key WHERE tenant_id = ?")) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                byte[] plain = KmsFutures.join(
                        ownVault.unwrap(KeyVersionId.parse(r.getString("vault_key_id")), r.getBytes("wrapped")));
                return Optional.of(TenantKey.fromSealedForm(tenant, r.getInt("version"), plain));
            } catch (RuntimeException e) {
                return Optional.empty(); // the vault key is gone
            }
        }
    }

    private static Map<UUID, Optional<Dek>> deks(Connection c, String tenant, KeyHierarchy hierarchy)
            throws SQLException {
        Map<UUID, Optional<Dek>> deks = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, wrapped, created_at FROM dek WHERE tenant_id = ?")) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID id = r.getObject("id", UUID.class);
                    OffsetDateTime created = r.getObject("created_at", OffsetDateTime.class);
                    deks.put(id, open(hierarchy, tenant, id, r.getBytes("wrapped"), created));
                }
            }
        }
        return deks;
    }

    private static Optional<Dek> open(
            KeyHierarchy hierarchy, String tenant, UUID id, byte[] wrapped, OffsetDateTime createdAt) {
        try {
            return Optional.of(KmsFutures.join(hierarchy.unwrap(
                    id, tenant, createdAt.toInstant(), DekPolicy.DEFAULT, 0, WrappedDek.decode(wrapped))));
        } catch (RuntimeException e) {
            return Optional.empty(); // a layer whose key the attacker does not have
        }
    }
}
