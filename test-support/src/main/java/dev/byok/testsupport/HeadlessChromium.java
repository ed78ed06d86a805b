package dev.byok.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.infra.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's headless Chromium driven through chromedriver's W3C WebDriver HTTP API (no Selenium:
 * its dependencies clash with Quarkus'). Enough for browser tests: open a page, run a script,
 * read what it returns. Install with {@code apt-get install chromium chromium-driver}.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final URI base;
    private final String session;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HeadlessChromium(Process driver, URI base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    public static HeadlessChromium start() throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(
                    "browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        }
        int port = EmbeddedKafkaBroker.freePort();
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        URI base = URI.create("http://localhost:" + port);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Path profile = Files.createTempDirectory("chromium-profile-");
        ObjectNode options = JSON.createObjectNode().put("binary", CHROMIUM.toString());
        List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile)
                .forEach(options.putArray("args")::add);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("capabilities").putObject("alwaysMatch").set("goog:chromeOptions", options);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(base.resolve("/session"))
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode value = JSON.readTree(response.body()).path("value");
                if (response.statusCode() != 200) {
                    driver.destroyForcibly();
                    throw new IllegalStateException("chromedriver refused a session: "
                            + value.path("message").asText());
                }
                return new HeadlessChromium(
                        driver, base, value.path("sessionId").asText());
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    driver.destroyForcibly();
                    throw new IllegalStateException("chromedriver did not start on port " + port, e);
                }
                Thread.sleep(100); // waiting for chromedriver's port to open
            }
        }
    }

    public void open(String url) throws IOException, InterruptedException {
        command("/url", JSON.createObjectNode().put("url", url));
    }

    /** Runs a script in the page ({@code return ...}) and gives back its value as JSON. */
    public JsonNode script(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return command("/execute/sync", body);
    }

    private JsonNode command(String path, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve("/session/" + session + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "WebDriver " + path + " failed: " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() {
        try {
            http.send(
                    HttpRequest.newBuilder(base.resolve("/session/" + session))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            // the driver is destroyed below anyway
        } finally {
            driver.destroy();
        }
    }
}
