package dev.byok.fault;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Alters stored DEK rows, as an attacker with database access would. Wrapped DEK v1 (WrappedDek):
 * version (byte 0), managed keyring version (1–4), layer (5); managed-only: nonce (6–17), wrapped key
 * (18–49), tag (50–65); customer layer: kid length (6–7), kid, blob length, RSA-OAEP blob. Each
 * mutation names what it changes; the reader must report every record under such a DEK corrupted.
 */
final class DekTampering implements AutoCloseable {
    private final Connection db;

    DekTampering(String jdbcUrl) throws SQLException {
        db = DriverManager.getConnection(jdbcUrl, "byok", "byok");
    }

    /** The tenant's DEK ids, oldest first. */
    List<UUID> deks(String tenant) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement s =
                db.prepareStatement("SELECT id FROM dek WHERE tenant_id = ? ORDER BY created_at, id")) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** How many records these DEKs seal. */
    long recordsUnder(List<UUID> deks) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM activity_record WHERE dek_id = ANY (?)")) {
            s.setArray(1, db.createArrayOf("uuid", deks.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    byte[] wrapped(UUID dek) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT wrapped FROM dek WHERE id = ?")) {
            s.setObject(1, dek);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    void setWrapped(UUID dek, byte[] wrapped) throws SQLException {
        update("UPDATE dek SET wrapped = ? WHERE id = ?", wrapped, dek);
    }

    /** Flips one bit of the wrapped DEK at {@code index} (negative: from the end). */
    void flip(UUID dek, int index) throws SQLException {
        byte[] w = wrapped(dek);
        w[index < 0 ? w.length + index : index] ^= 1;
        setWrapped(dek, w);
    }

    /** Sets the managed keyring version a wrapped DEK names. */
    void setManagedVersion(UUID dek, int version) throws SQLException {
        byte[] w = wrapped(dek);
        w[1] = (byte) (version >>> 24);
        w[2] = (byte) (version >>> 16);
        w[3] = (byte) (version >>> 8);
        w[4] = (byte) version;
        setWrapped(dek, w);
    }

    /** Replaces the customer key version named inside a customer-wrapped DEK (the kid ends with the 32-character version). */
    void setCustomerKeyVersion(UUID dek, String version) throws SQLException {
        byte[] w = wrapped(dek);
        int kidLength = ((w[6] & 0xff) << 8) | (w[7] & 0xff);
        System.arraycopy(
                version.getBytes(StandardCharsets.US_ASCII), 0, w, 8 + kidLength - version.length(), version.length());
        setWrapped(dek, w);
    }

    /** Copies another DEK's wrapped bytes over this one (of the same tenant, or of another). */
    void copyWrapped(UUID from, UUID to) throws SQLException {
        setWrapped(to, wrapped(from));
    }

    /** Hands the DEK row to another tenant. */
    void setTenant(UUID dek, String tenant) throws SQLException {
        update("UPDATE dek SET tenant_id = ? WHERE id = ?", tenant, dek);
    }

    /** Points every record of one DEK at another DEK of the same tenant (the envelopes still name the first). */
    long repointRecords(UUID from, UUID to) throws SQLException {
        return update("UPDATE activity_record SET dek_id = ? WHERE dek_id = ?", to, from);
    }

    private int update(String sql, Object value, UUID id) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            s.setObject(1, value);
            s.setObject(2, id);
            return s.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
