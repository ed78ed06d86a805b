package dev.byok.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's scenario, automated against the packaged services running as separate processes
 * (the same {@link RunningStack} the run command starts, on free ports and a fresh data directory):
 * every step is asserted through the APIs and topics, and at the end every event produced is
 * stored exactly once.
 */
class EndToEndIT {
    private static RunningStack stack;
    private static final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stack-");
        StackOptions options = StackOptions.defaults(root)
                .withDataDir(data)
                .withLockGrace(Duration.ofSeconds(10))
                .withPorts(StackPorts.free())
                .withDemoTimers(true);
        stack = RunningStack.start(options, progress::add);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
            assertThat(RunningStack.SERVICES)
                    .allSatisfy(name -> assertThat(stack.service(name).alive())
                            .as(name + " stopped")
                            .isFalse());
        }
    }

    @Test
    void theByokStory_stepByStep_everyEventStoredExactlyOnce() throws Exception {
        DemoScenario.Endpoints endpoints =
                DemoScenario.Endpoints.of(stack.options(), tenant -> stack.adminToken(tenant, Duration.ofMinutes(30)));
        List<String> timeline = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 4);

        new DemoScenario(endpoints, line -> {
                    timeline.add(line);
                    System.out.println(line);
                })
                .run("e2e-byok-" + run, "e2e-managed-" + run);

        assertThat(timeline)
                .anyMatch(l -> l.contains("LOCKED:"))
                .anyMatch(l -> l.contains("reads refused (423)"))
                .anyMatch(l -> l.contains("unlocked (HEALTHY)"))
                .anyMatch(l -> l.contains("customer layer removed"))
                .filteredOn(l -> l.contains("stored exactly once"))
                .hasSize(2);
    }
}
