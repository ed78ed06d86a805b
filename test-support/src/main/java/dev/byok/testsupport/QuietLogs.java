package dev.byok.testsupport;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the embedded broker and database at WARN, whatever logging setup the test JVM has. */
final class QuietLogs {
    // strong references: java.util.logging may otherwise drop a configured logger
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"),
            Logger.getLogger("io.zonky"));

    private QuietLogs() {}

    static void apply() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
