package dev.byok.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.infra.KeyRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus dev loop's contract: {@code --infra-only} starts no service and writes each one's
 * {@code %dev} settings into its module directory; config-service, started there in the {@code dev}
 * profile (as {@code mvn quarkus:dev} starts it, here from its packaged jar), serves the admin API
 * against that infrastructure and enables BYOK with the emulator's key.
 */
class DevLoopIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void infraOnly_writesTheDevSettings_withWhichAServiceRunsInTheDevProfile() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent();
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "devloop-")
                .toAbsolutePath();
        Files.createDirectories(root.resolve("config-service/target"));
        String app = "config-service/target/quarkus-app";
        Files.createSymbolicLink(root.resolve(app), repository.resolve(app));
        StackOptions options = StackOptions.defaults(root)
                .withDataDir(root.resolve(".byok/local"))
                .withInfraOnly(true)
                .withPorts(StackPorts.free());
        List<String> progress = new ArrayList<>();
        try (RunningStack stack = RunningStack.start(options, progress::add)) {
            Path settings = root.resolve("config-service/config/application.properties");
            assertThat(progress).noneMatch(line -> line.startsWith("starting config-service"));
            assertThat(Files.getPosixFilePermissions(settings)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            Properties written = new Properties();
            try (var in = Files.newBufferedReader(settings)) {
                written.load(in);
            }
            assertThat(written.stringPropertyNames()).allMatch(key -> key.startsWith("%dev."));

            ServiceProcess service = ServiceProcess.startWithDevProfile(
                    root,
                    "config-service",
                    options.ports().config(),
                    options.ports().configManagement(),
                    root.resolve("logs"));
            try {
                service.awaitReady(Duration.ofMinutes(3));
                String token = stack.adminToken("contoso", Duration.ofMinutes(10));
                String base = "http://localhost:" + options.ports().config() + "/api/v1/tenants/contoso/encryption";
                HttpRequest enable = HttpRequest.newBuilder(URI.create(base))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(KeyRequests.json(stack.sampleKeyUri())))
                        .build();
                HttpResponse<String> enabled = http.send(enable, HttpResponse.BodyHandlers.ofString());
                assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
                assertThat(Files.readString(root.resolve("logs/config-service.log")))
                        .contains("Profile dev activated");
            } finally {
                service.stop();
            }
        }
    }
}
