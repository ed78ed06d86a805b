package dev.byok.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the container tools (podman, docker-compose, the image build scripts) as processes, from the repository's
 * root. Every command's full output goes to {@link SuiteLog#COMMANDS}; a command that fails or runs out of time
 * fails the test with the end of its output.
 */
final class Commands {
    /** The repository: the suite runs in container-suite/. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Result(int exitCode, String output) {}

    private final Map<String, String> environment;

    /** Commands run with these variables added to the suite's environment (e.g. DOCKER_HOST for docker-compose). */
    Commands(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Runs {@code command} to its end (or kills it after {@code timeout}) and returns its exit code and output. */
    Result run(Duration timeout, String... command) {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Path output = Files.createTempFile("command", ".log");
            builder.redirectOutput(output.toFile());
            Process process = builder.start();
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            SuiteLog.commandOutput(String.join(" ", command), text);
            if (!ended) {
                throw new AssertionError(
                        String.join(" ", command) + " did not end within " + timeout + ":\n" + tail(text));
            }
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} and returns its output; a non-zero exit fails the test with the end of that output. */
    String ok(Duration timeout, String... command) {
        Result result = run(timeout, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + tail(result.output()));
        }
        return result.output();
    }

    /** The output's lines, without blank ones. */
    static List<String> lines(String output) {
        List<String> lines = new ArrayList<>();
        output.lines().filter(l -> !l.isBlank()).forEach(lines::add);
        return lines;
    }

    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
