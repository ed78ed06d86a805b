package dev.byok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
    @Command(name = "sample", mixinStandardHelpOptions = true, description = "a sample command")
    static final class Sample implements Callable<Integer> {
        @Option(names = "--count", description = "how many")
        int count;

        @Override
        public Integer call() {
            if (count < 0) {
                throw new IllegalArgumentException("--count must not be negative");
            }
            if (count == 13) {
                throw new IllegalStateException("unlucky");
            }
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.execute(new Sample(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void help_listsTheOptions_andExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: sample").contains("--count").contains("a sample command");
    }

    @Test
    void version_namesTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("BYOK ");
    }

    @Test
    void badOption_andBadValue_areOneLine_exit2() {
        assertThat(run("--nope")).isEqualTo(Cli.USAGE);
        assertThat(err.toString().strip()).isEqualTo("sample: Unknown option: '--nope' (see --help)");
        err.getBuffer().setLength(0);
        assertThat(run("--count", "many")).isEqualTo(Cli.USAGE);
        assertThat(err.toString().strip().lines()).singleElement().asString().contains("'many' is not an int");
    }

    @Test
    void aValueTheCommandRefuses_isExit2_andAFailureExit1_eachOneLine() {
        assertThat(run("--count", "-1")).isEqualTo(Cli.USAGE);
        assertThat(err.toString().strip()).isEqualTo("sample: --count must not be negative");
        err.getBuffer().setLength(0);
        assertThat(run("--count", "13")).isEqualTo(Cli.FAILED);
        assertThat(err.toString().strip()).isEqualTo("sample: unlucky");
    }
}
