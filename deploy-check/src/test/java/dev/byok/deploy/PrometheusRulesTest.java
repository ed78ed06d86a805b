package dev.byok.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code byok-alerts} PrometheusRule, checked by Prometheus' own {@code promtool}: its rules parse and
 * evaluate ({@code check rules}), its alerts fire as {@code deploy/kubernetes/tests/alerts.test.yaml} expects
 * ({@code test rules}), and it has exactly the alerts docs/operations.md lists.
 */
class PrometheusRulesTest {
    private static final Path WORK = Path.of("target/promtool").toAbsolutePath();

    @Test
    void theRulesParse_andFireAsTheirUnitTestsExpect() throws Exception {
        Path rules = extractRules();
        Files.copy(
                Manifests.ROOT.resolve("deploy/kubernetes/tests/alerts.test.yaml"),
                WORK.resolve("alerts.test.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(promtool("check", "rules", rules.toString())).contains("SUCCESS");
        assertThat(promtool("test", "rules", "alerts.test.yaml")).contains("SUCCESS");
    }

    @Test
    void theRuleHasExactlyTheAlertsTheOperationsGuideLists() throws Exception {
        Set<String> shipped = new TreeSet<>();
        rule().path("spec")
                .path("groups")
                .forEach(group -> group.path("rules")
                        .forEach(r -> shipped.add(r.path("alert").asText())));
        Set<String> documented = new TreeSet<>();
        Matcher name = Pattern.compile("`(Byok[A-Z]\\w+)`")
                .matcher(Files.readString(Manifests.ROOT.resolve("docs/operations.md")));
        while (name.find()) {
            documented.add(name.group(1));
        }
        assertThat(shipped).hasSizeGreaterThan(10).isEqualTo(documented);
    }

    /** The rendered PrometheusRule's groups, as a Prometheus rules file. */
    private static Path extractRules() throws Exception {
        Files.createDirectories(WORK);
        Path file = WORK.resolve("rules.yaml");
        Manifests.YAML.writeValue(
                file.toFile(), Map.of("groups", rule().path("spec").path("groups")));
        return file;
    }

    private static JsonNode rule() throws Exception {
        return Manifests.ofKind(Manifests.render("prod"), "PrometheusRule").get(0);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "promtool";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(WORK.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "promtool is missing: Prometheus' rule checker (Debian package prometheus; .ci/run extracts"
                            + " /usr/local/bin/promtool from it)",
                    e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("promtool " + String.join(" ", args) + ":\n" + out)
                .isZero();
        return out;
    }
}
