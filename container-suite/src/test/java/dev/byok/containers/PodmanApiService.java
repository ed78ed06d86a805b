package dev.byok.containers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * podman's Docker-compatible API on a Unix socket of the suite's own ({@code podman system service}), which
 * Debian's docker-compose drives as it would a Docker engine (DOCKER_HOST). Stopped with the suite.
 */
final class PodmanApiService implements AutoCloseable {
    private final Path socket;
    private final Process process;

    private PodmanApiService(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    static PodmanApiService start(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path socket = directory.resolve("podman.sock");
        Files.deleteIfExists(socket);
        Process process = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("podman-service.log").toFile())
                .start();
        PodmanApiService service = new PodmanApiService(socket, process);
        await("podman's API socket")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .failFast(
                        "podman system service exited; see " + directory.resolve("podman-service.log"),
                        () -> !process.isAlive())
                .until(() -> Files.exists(socket));
        return service;
    }

    /** The value of DOCKER_HOST that reaches this service. */
    String dockerHost() {
        return "unix://" + socket;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
