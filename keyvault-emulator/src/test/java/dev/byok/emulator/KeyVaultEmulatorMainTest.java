package dev.byok.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The emulator's command line: --help, and bad options or values as one line with exit code 2, before anything starts. */
class KeyVaultEmulatorMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.execute(new KeyVaultEmulatorMain(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void help_describesEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .startsWith("Usage: keyvault-emulator")
                .contains("--vault")
                .contains("--persist-keys")
                .contains("--bind-all");
    }

    @Test
    void badOptionsAndValues_areOneLine_exit2() {
        assertThat(run("--nope")).isEqualTo(Cli.USAGE);
        assertThat(run("--admin-port", "x")).isEqualTo(Cli.USAGE);
        assertThat(run("--vault", "demo:port")).isEqualTo(Cli.USAGE);
        assertThat(run("--vault", "Not_A_Dns_Label")).isEqualTo(Cli.USAGE);
        assertThat(run("--key", "no-vault-named")).isEqualTo(Cli.USAGE);
        assertThat(err.toString().strip().lines())
                .hasSize(5)
                .allSatisfy(line -> assertThat(line).startsWith("keyvault-emulator: "))
                .noneSatisfy(line -> assertThat(line).contains("Exception"));
        assertThat(err.toString())
                .contains("'port' in 'demo:port' is neither a port")
                .contains("is not VAULT/NAME");
    }
}
