package dev.byok.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PostgresEndpointIT {

    @Test
    void rowsAreWrittenAndReadBackThroughTheRealServer() throws SQLException {
        PostgresEndpoint.Connection pg = PostgresEndpoint.connection();
        byte[] payload = {0, 1, 2, (byte) 0xff};

        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            c.createStatement()
                    .execute(
                            "CREATE TABLE probe (tenant_id text, event_id text, body bytea, PRIMARY KEY (tenant_id, event_id))");
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO probe VALUES (?, ?, ?) ON CONFLICT (tenant_id, event_id) DO NOTHING")) {
                for (int i = 0; i < 2; i++) { // the second insert is a redelivery: stored once
                    insert.setString(1, "tenant-a");
                    insert.setString(2, "e-1");
                    insert.setBytes(3, payload);
                    insert.executeUpdate();
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT tenant_id, event_id, body FROM probe")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("tenant-a");
                assertThat(rs.getString(2)).isEqualTo("e-1");
                assertThat(rs.getBytes(3)).isEqualTo(payload);
                assertThat(rs.next()).as("redelivered row stored once").isFalse();
            }
            try (ResultSet rs = c.createStatement().executeQuery("SHOW server_version_num")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(140000);
            }
        }
    }

    @Test
    void eachJvmGetsItsOwnDatabase() {
        assertThat(PostgresEndpoint.connection().database()).startsWith("byok_test_");
        assertThat(PostgresEndpoint.connection().reactiveUrl()).startsWith("postgresql://");
    }
}
