package dev.byok.local;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A service's settings for the Quarkus dev loop: {@code <root>/<service>/config/application.properties},
 * which Quarkus reads from the working directory of {@code mvn quarkus:dev -pl <service>} (the
 * module's). Every key is {@code %dev.}-prefixed, so the service's tests and packaged runs, which
 * also start there, ignore it. It holds the service's Kafka login and the managed keyring: owner-only,
 * and never committed ({@code .gitignore}).
 */
final class DevConfig {
    private DevConfig() {}

    /** Writes the file for {@code service} (listening on {@code port}) and returns its path. */
    static Path write(Path root, String service, int port, Map<String, String> properties) throws IOException {
        Path file = root.resolve(service).resolve("config/application.properties");
        Files.deleteIfExists(file); // made anew, owner-only, whoever made the last one
        Properties dev = new Properties();
        properties.forEach((key, value) -> dev.setProperty("%dev." + key, value));
        dev.setProperty("%dev.quarkus.http.port", Integer.toString(port));
        dev.setProperty("%dev.quarkus.devservices.enabled", "false"); // the infrastructure is this stack's
        dev.setProperty("%dev.quarkus.console.enabled", "false");
        StringWriter text = new StringWriter();
        dev.store(
                text,
                "written by ./run-local.sh --infra-only for mvn quarkus:dev -pl " + service
                        + "; development settings only");
        return StackFiles.writeSecret(file, text.toString());
    }
}
