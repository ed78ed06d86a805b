package dev.byok.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Mutates stored envelopes in place, as an attacker with database access would. Envelope v1: version
 * (byte 0), DEK id (1–16), nonce (17–28), length (29–32), ciphertext and tag (33–). Records
 * {@code <tenant>-0} .. {@code <tenant>-(n-1)} are mutated, one kind each in turn; the tenant's later
 * records stay untouched and serve as donors for "moved between records".
 */
final class Tampering {
    static final int KINDS = 10;
    private static final String[] EXPRESSIONS = {
        "set_byte(envelope, 40, get_byte(envelope, 40) # 1)", // ciphertext
        "set_byte(envelope, 20, get_byte(envelope, 20) # 1)", // nonce
        "set_byte(envelope, length(envelope) - 1, get_byte(envelope, length(envelope) - 1) # 1)", // tag
        "set_byte(envelope, 0, 127)", // format version
        "set_byte(envelope, 5, get_byte(envelope, 5) # 1)", // DEK id in the header
        "set_byte(envelope, 32, get_byte(envelope, 32) # 1)", // length field
        "substring(envelope from 1 for length(envelope) - 5)", // truncated
        "envelope || '\\x00'::bytea", // extended
        "(SELECT envelope FROM activity_record d WHERE d.tenant_id = ? AND d.event_id = ?)", // moved from another
        // record
        "(SELECT envelope FROM activity_record d WHERE d.tenant_id = ? AND d.event_id = ?)", // moved from another
        // tenant
    };

    private Tampering() {}

    static int mutate(String jdbcUrl, String tenant, String otherTenant, int n) throws SQLException {
        int changed = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, "byok", "byok")) {
            for (int kind = 0; kind < KINDS; kind++) {
                try (PreparedStatement update = c.prepareStatement("UPDATE activity_record SET envelope = "
                        + EXPRESSIONS[kind] + " WHERE tenant_id = ? AND event_id = ?")) {
                    for (int i = kind; i < n; i += KINDS) {
                        int p = 1;
                        if (kind == 8) {
                            update.setString(p++, tenant);
                            update.setString(
                                    p++, tenant + "-" + (n + i % 100)); // an untouched record of the same tenant
                        } else if (kind == 9) {
                            update.setString(p++, otherTenant);
                            update.setString(p++, otherTenant + "-" + (i % 100));
                        }
                        update.setString(p++, tenant);
                        update.setString(p, tenant + "-" + i);
                        update.addBatch();
                    }
                    for (int count : update.executeBatch()) {
                        changed += count;
                    }
                }
            }
        }
        return changed;
    }

    static boolean isTampered(String eventId, int n) {
        return Integer.parseInt(eventId.substring(eventId.lastIndexOf('-') + 1)) < n;
    }
}
