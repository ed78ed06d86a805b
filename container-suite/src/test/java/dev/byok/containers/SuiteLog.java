package dev.byok.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The suite's own log, {@code target/containers-test.log}: what was built, what ran, how long it took and what
 * it showed (the record the issue asks for). Each line also goes to standard output, so CI's log shows it.
 * The full output of every command is in {@code target/containers-commands.log}.
 */
final class SuiteLog {
    static final Path FILE = Path.of("target/containers-test.log").toAbsolutePath();
    static final Path COMMANDS = Path.of("target/containers-commands.log").toAbsolutePath();
    private static final long START = System.nanoTime();

    private SuiteLog() {}

    static synchronized void line(String format, Object... args) {
        String text = String.format("[containers +%6.1f s] ", (System.nanoTime() - START) / 1e9)
                + String.format(format, args);
        System.out.println(text);
        append(FILE, text + "\n");
    }

    static synchronized void commandOutput(String command, String output) {
        append(COMMANDS, "## " + Instant.now() + " $ " + command + "\n" + output + "\n");
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static void append(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
