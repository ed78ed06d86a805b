package dev.byok.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local stack's commands (run command, demo, producer, token command): {@code --help}, and a bad
 * option or value answered with one line and exit code 2, before anything starts.
 */
class CommandLinesTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        return Cli.execute(command, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private void assertOneLineUsageError(int code, String contains) {
        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString().strip().lines())
                .singleElement()
                .asString()
                .contains(contains)
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        err.getBuffer().setLength(0);
    }

    static Object command(String name) {
        return switch (name) {
            case "run-local.sh" -> new LocalStack();
            case "demo" -> new Demo();
            case "producer" -> new Producer();
            case "dev-token" -> new DevToken();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-local.sh", "demo", "producer", "dev-token"})
    void help_describesEveryOption(String name) {
        assertThat(run(command(name), "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: " + name).contains("--help");
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-local.sh", "demo", "producer", "dev-token"})
    void unknownOption_isOneLine_exit2(String name) {
        String[] args =
                name.equals("dev-token") ? new String[] {"--tenant", "contoso", "--nope"} : new String[] {"--nope"};
        assertOneLineUsageError(run(command(name), args), name + ": Unknown option: '--nope'");
    }

    @Test
    void badValues_areOneLine_exit2_andNothingStarts() {
        assertOneLineUsageError(run(new LocalStack(), "--kafka-port", "nope"), "'nope' is not an int");
        assertOneLineUsageError(run(new LocalStack(), "--lock-grace", "5"), "is not an ISO-8601 duration");
        assertOneLineUsageError(run(new LocalStack(), "--config-port", "70000"), "outside 1..65534");
        assertOneLineUsageError(run(new Demo(), "--vault-port", "-"), "'-' is not an int");
        assertOneLineUsageError(run(new Producer(), "--rate", "nope"), "'nope' is not a double");
        assertOneLineUsageError(run(new Producer(), "--rate", "0"), "--rate must be positive");
        assertOneLineUsageError(run(new Producer(), "--kafka-config", "/no/such/file"), "does not exist");
        assertOneLineUsageError(run(new DevToken()), "Missing required option: '--tenant=ID'");
        assertOneLineUsageError(run(new DevToken(), "--tenant", "Bad_Tenant"), "is not a tenant id");
        assertOneLineUsageError(
                run(new DevToken(), "--tenant", "contoso", "--ttl", "soon"), "is not an ISO-8601 duration");
    }

    @Test
    void devToken_printsOnlyTheToken(@TempDir Path data) {
        assertThat(run(new DevToken(), "--tenant", "fabrikam", "--data-dir", data.toString()))
                .isZero();
        assertThat(out.toString().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(data.resolve("dev-jwt/public.pem")).exists();
    }

    @Test
    void main_exitsWithCode2_andOneLine_inItsOwnProcess() throws Exception {
        Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Producer.class.getName(),
                        "--rate",
                        "nope"))
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.lines()).singleElement().asString().startsWith("producer: Invalid value for option '--rate'");
    }
}
