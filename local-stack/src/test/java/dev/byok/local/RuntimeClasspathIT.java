package dev.byok.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The commands on the classpath they really run with ({@code mvn exec:java -pl local-stack}: runtime
 * scope, no test library), each in its own JVM. The other tests of this module run with test-support on
 * their classpath, which hides a library the run command lacks.
 */
class RuntimeClasspathIT {
    private static final Path TARGET = Path.of("target");

    @Test
    void runtimeClasspath_carriesNoTestLibrary() throws IOException {
        assertThat(runtimeClasspath())
                .noneMatch(entry -> entry.matches(
                        ".*(junit|quarkus-junit|rest-assured|assertj|testcontainers|test-support|awaitility).*"));
    }

    @Test
    void devToken_printsOnlyAToken() throws Exception {
        Path data = Files.createTempDirectory(TARGET, "dev-token-");

        Run run = run("dev.byok.local.DevToken", "--tenant", "contoso", "--data-dir", data.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void runCommand_answersHelpAndRefusesABadOption() throws Exception {
        Run help = run("dev.byok.local.LocalStack", "--help");
        Run bad = run("dev.byok.local.LocalStack", "--no-such-option");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--infra-only");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).hasSize(1);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                TARGET.resolve("classes") + File.pathSeparator + String.join(File.pathSeparator, runtimeClasspath()),
                mainClass));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(TARGET, "out-", ".txt");
        Path err = Files.createTempFile(TARGET, "err-", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(mainClass + " did not finish within 2 minutes");
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> runtimeClasspath() throws IOException {
        String written =
                Files.readString(TARGET.resolve("runtime-classpath.txt")).strip();
        return List.of(written.split(File.pathSeparator));
    }
}
