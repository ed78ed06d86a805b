package dev.byok.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The local stack's PostgreSQL server (zonky, from Maven artifacts), its data kept under the stack's
 * data directory, with the services' role and databases: {@code byok_config} for config-service,
 * {@code byok_data} for the data plane.
 */
final class LocalPostgres implements AutoCloseable {
    private final Path data;
    private final int port;
    private EmbeddedPostgres server;

    private LocalPostgres(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    /** Starts the server and creates the role and databases it does not have yet (a restart finds them). */
    static LocalPostgres start(Path data, int port) throws IOException, SQLException {
        LocalPostgres postgres = new LocalPostgres(data, port);
        postgres.startServer();
        postgres.prepareDatabases();
        return postgres;
    }

    /** Stops the server and starts it again on the same port and data (connection pools reconnect). */
    void restart() throws IOException {
        server.close();
        startServer();
    }

    /** A service's database: {@code postgresql://} (reactive) or {@code jdbc:postgresql://}. */
    String url(String scheme, String database) {
        return scheme + "://localhost:" + port + "/" + database;
    }

    private void startServer() throws IOException {
        server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(data.resolve("postgres-runtime").toFile())
                .setRegisterShutdownHook(false) // the stack stops it after the services; its own hook raced them
                .start();
    }

    private void prepareDatabases() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("jdbc:postgresql", "postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            if (!s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = 'byok'").next()) {
                s.execute("CREATE ROLE byok LOGIN PASSWORD 'byok'");
            }
            for (String db : List.of("byok_config", "byok_data")) {
                if (!s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")
                        .next()) {
                    s.execute("CREATE DATABASE " + db + " OWNER byok");
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
