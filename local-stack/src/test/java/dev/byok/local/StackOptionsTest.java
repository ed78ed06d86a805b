package dev.byok.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StackOptionsTest {
    private static final Path ROOT = Path.of("/repo");

    private static StackOptions parse(String... args) {
        StackArguments arguments = new StackArguments();
        new CommandLine(arguments).parseArgs(args);
        return arguments.options(ROOT);
    }

    @Test
    void defaults_areTheServicesOwnPorts_andKeepData() {
        StackOptions o = parse();
        assertThat(o.dataDir()).isEqualTo(Path.of("/repo/.byok/local"));
        assertThat(o.fresh()).isFalse();
        assertThat(o.ports().kafka()).isEqualTo(9092);
        assertThat(o.ports().kafkaController()).isEqualTo(9093);
        assertThat(o.ports().postgres()).isEqualTo(5432);
        assertThat(o.ports().config()).isEqualTo(8081);
        assertThat(o.ports().lockdown()).isEqualTo(8084);
        assertThat(o.lockGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(o.demoTimers()).isFalse();
        assertThat(o).isEqualTo(StackOptions.defaults(ROOT));
    }

    @Test
    void options_overrideEachSetting() {
        StackOptions o = parse(
                "--fresh",
                "--kafka-port",
                "19092",
                "--postgres-port",
                "15432",
                "--config-port",
                "18081",
                "--demo-timers",
                "--tenant",
                "fabrikam",
                "--data-dir",
                "/tmp/x");
        assertThat(o.fresh()).isTrue();
        assertThat(o.ports().kafka()).isEqualTo(19092);
        assertThat(o.ports().kafkaController()).isEqualTo(19093);
        assertThat(o.ports().postgres()).isEqualTo(15432);
        assertThat(o.ports().config()).isEqualTo(18081);
        assertThat(o.lockGrace()).as("the demo's grace unless given").isEqualTo(Duration.ofSeconds(30));
        assertThat(o.tenant()).isEqualTo("fabrikam");
        assertThat(o.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(parse("--demo-timers", "--lock-grace", "PT2M").lockGrace()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aPortOutsideItsRange_isRefused() {
        assertThatThrownBy(() -> parse("--config-port", "70000")).hasMessageContaining("outside 1..65534");
    }
}
