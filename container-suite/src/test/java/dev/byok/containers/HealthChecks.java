package dev.byok.containers;

import java.io.IOException;
import java.nio.file.Path;

/**
 * deploy/containers/podman-healthchecks.sh for the suite's compose project, as a process of its own: podman runs
 * health checks with systemd timers, and CI's machine has no systemd (the script says more).
 */
final class HealthChecks implements AutoCloseable {
    private final Process process;

    HealthChecks(String project, Path log) throws IOException {
        process = new ProcessBuilder("deploy/containers/podman-healthchecks.sh", project)
                .directory(Commands.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor();
    }
}
