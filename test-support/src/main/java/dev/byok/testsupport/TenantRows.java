package dev.byok.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Tests' count of a tenant's stored rows, read straight from this JVM's test database. */
public final class TenantRows {
    private TenantRows() {}

    /** The tenant's rows in {@code activity_record}. */
    public static long records(String tenantId) {
        return count("SELECT count(*) FROM activity_record WHERE tenant_id = ?", tenantId);
    }

    /** The tenant's DEKs under a customer key. */
    public static long customerWrappedDeks(String tenantId) {
        return count("SELECT count(*) FROM dek WHERE tenant_id = ? AND customer_key_id IS NOT NULL", tenantId);
    }

    /** The one number {@code sql} selects, with {@code params} bound in order. */
    public static long count(String sql, Object... params) {
        PostgresEndpoint.Connection pg = PostgresEndpoint.connection();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count rows: " + sql, e);
        }
    }
}
