package dev.byok.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.byok.infra.DevTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Production is not development: each packaged service, started in its production profile with every required
 * setting given as the deployment gives it (environment variables) but one, stops at once with exactly one line
 * naming the missing one, and with nothing else to complain about, so no fallback value stood in for it
 * (docs/operations.md, "Production settings").
 */
class ProductionSettingsIT {
    private static final Path ROOT = LocalStack.repositoryRoot();
    private static final List<String> KAFKA = List.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_JAAS_CONFIG");
    private static final List<String> DATABASE = List.of("DB_URL", "DB_JDBC_URL", "DB_USER", "DB_PASSWORD");
    private static final List<String> TOKENS = List.of("BYOK_JWT_ISSUER", "BYOK_JWT_PUBLIC_KEY_LOCATION");
    private static final List<String> KEYS = List.of("BYOK_CRYPTO_MANAGED_KEYRING", "BYOK_CRYPTO_TENANT_KEY_VAULT");
    /** How a missing setting is named when the property has no ${VARIABLE} to expand. */
    private static final Map<String, String> PROPERTY = Map.of(
            "KAFKA_SASL_JAAS_CONFIG", "kafka.sasl.jaas.config",
            "BYOK_CRYPTO_TENANT_KEY_VAULT", "byok.crypto.tenant-key-vault");

    @Test
    void configService_refusesToStartWithoutEachOfItsSettings() throws Exception {
        assertEachRequired("config-service", concat(KAFKA, DATABASE, TOKENS));
    }

    @Test
    void cryptoService_refusesToStartWithoutEachOfItsSettings() throws Exception {
        assertEachRequired("crypto-service", concat(KAFKA, DATABASE, TOKENS, KEYS));
    }

    @Test
    void sweeperService_refusesToStartWithoutEachOfItsSettings() throws Exception {
        assertEachRequired("sweeper-service", concat(KAFKA, DATABASE, KEYS));
    }

    @Test
    void lockdownService_refusesToStartWithoutEachOfItsSettings() throws Exception {
        assertEachRequired("lockdown-service", KAFKA);
    }

    @Test
    void aTokenKeyFileThatCannotBeRead_isNamedAtStart() throws Exception {
        Map<String, String> settings = settings(concat(KAFKA, DATABASE, TOKENS));
        settings.put("BYOK_JWT_PUBLIC_KEY_LOCATION", "/nonexistent/public.pem");

        Start start = start("config-service", settings);

        assertThat(start.exit()).isNotZero();
        assertThat(start.problems())
                .singleElement(STRING)
                .contains("mp.jwt.verify.publickey.location")
                .contains("no readable file at /nonexistent/public.pem");
    }

    private static void assertEachRequired(String service, List<String> required) throws Exception {
        for (String missing : required) {
            Map<String, String> settings = settings(required);
            settings.remove(missing);

            Start start = start(service, settings);

            assertThat(start.exit()).as(service + " without " + missing).isNotZero();
            assertThat(start.problems())
                    .as(service + " without " + missing + ":\n" + start.output())
                    .singleElement(STRING)
                    .contains(PROPERTY.getOrDefault(missing, missing));
        }
    }

    /** Well-formed values for these settings: enough to pass configuration, never enough to reach anything. */
    private static Map<String, String> settings(List<String> names) throws Exception {
        Path jwt = Files.createDirectories(Path.of("target/production-settings"));
        DevTokens.ensureKeys(jwt);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:1");
        all.put(
                "KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
        all.put("DB_URL", "postgresql://localhost:1/byok");
        all.put("DB_JDBC_URL", "jdbc:postgresql://localhost:1/byok");
        all.put("DB_USER", "u");
        all.put("DB_PASSWORD", "p");
        all.put("BYOK_JWT_ISSUER", "https://issuer.example");
        all.put(
                "BYOK_JWT_PUBLIC_KEY_LOCATION",
                jwt.resolve("public.pem").toAbsolutePath().toString());
        all.put("BYOK_CRYPTO_MANAGED_KEYRING", "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        all.put("BYOK_CRYPTO_TENANT_KEY_VAULT", "https://tenant-keys.vault.azure.net");
        Map<String, String> chosen = new LinkedHashMap<>();
        names.forEach(n -> chosen.put(n, all.get(n)));
        return chosen;
    }

    private record Start(int exit, String output) {
        /** The lines that report a setting (SmallRye Config's SRCFG codes). */
        List<String> problems() {
            return output.lines().filter(l -> l.contains("SRCFG")).toList();
        }
    }

    /** The service's packaged jar in its production profile, with only these environment variables (and PATH). */
    private static Start start(String service, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path jar = ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        Path output =
                Files.createTempFile(Files.createDirectories(Path.of("target/production-settings")), service, ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(service + " did not stop within 2 minutes: it started without the setting");
        }
        return new Start(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
