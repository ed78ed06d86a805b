package dev.byok.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What an attacker with a database backup holds: {@code pg_dump} of tables of this JVM's test
 * database, restored into a scratch database with {@code psql} (PostgreSQL's own client tools, from
 * the PATH; the password goes through the environment, never the command line).
 */
public final class PostgresBackup {
    private PostgresBackup() {}

    /** A plain-format dump of {@code tables} and their partitions (schema and rows) into {@code file}. */
    public static Path dump(Path file, String... tables) {
        PostgresEndpoint.Connection pg = PostgresEndpoint.connection();
        List<String> command = new ArrayList<>(List.of(
                "pg_dump",
                "--host=" + pg.host(),
                "--port=" + pg.port(),
                "--username=" + pg.user(),
                "--no-owner",
                "--no-privileges",
                "--file=" + file));
        for (String table : tables) {
            command.add("--table=" + table);
            partitions(pg, table).forEach(p -> command.add("--table=" + p));
        }
        command.add(pg.database());
        run(command, pg);
        return file;
    }

    /** pg_dump 15 dumps a partitioned table without its partitions unless each is named. */
    private static List<String> partitions(PostgresEndpoint.Connection pg, String table) {
        List<String> out = new ArrayList<>();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                var s = c.prepareStatement("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent = to_regclass(?)")) {
            s.setString(1, table);
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    out.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list the partitions of " + table, e);
        }
        return out;
    }

    /** Restores a dump into a new scratch database on the same server; returns how to reach it. */
    public static PostgresEndpoint.Connection restore(Path dump) {
        PostgresEndpoint.Connection pg = PostgresEndpoint.connection();
        String scratch =
                "restored_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + scratch);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the scratch database", e);
        }
        PostgresEndpoint.Connection target =
                new PostgresEndpoint.Connection(pg.host(), pg.port(), scratch, pg.user(), pg.password());
        run(
                List.of(
                        "psql",
                        "--host=" + pg.host(),
                        "--port=" + pg.port(),
                        "--username=" + pg.user(),
                        "--dbname=" + scratch,
                        "--set=ON_ERROR_STOP=1",
                        "--quiet",
                        "--file=" + dump),
                pg);
        return target;
    }

    private static void run(List<String> command, PostgresEndpoint.Connection pg) {
        try {
            Path log = Files.createTempFile("pg-tool-", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("PGPASSWORD", pg.password());
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    command.get(0) + " could not run (PostgreSQL's client tools must be on the PATH)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command.get(0) + " was interrupted", e);
        }
    }
}
