package dev.byok.containers;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/** What the suite needs on the machine, checked first with one clear message each. */
final class Tools {
    /** Every host port docker-compose.yml publishes. */
    static final List<Integer> PUBLISHED_PORTS = List.of(5432, 8081, 8082, 8083, 8084, 8443, 8444, 8445, 8480, 19092);

    private Tools() {}

    static void require(Commands commands) {
        for (String tool : List.of("podman", "docker-compose", "kubectl")) {
            if (commands.run(Duration.ofSeconds(30), "sh", "-c", "command -v " + tool)
                            .exitCode()
                    != 0) {
                throw new AssertionError(tool + " is not installed: run deploy/containers/prepare-podman.sh (as root)");
            }
        }
        if (commands.run(Duration.ofSeconds(30), "podman", "image", "exists", "docker.io/library/debian:bookworm-slim")
                        .exitCode()
                != 0) {
            throw new AssertionError(
                    "the base image debian:bookworm-slim is missing: run deploy/containers/prepare-podman.sh (as root)");
        }
        for (int port : PUBLISHED_PORTS) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new AssertionError("port " + port + " is in use; docker-compose.yml publishes it (is a local"
                        + " stack or another compose project running?)");
            }
        }
    }
}
