package dev.byok.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.model.KafkaAccess;
import dev.byok.model.TopicSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfiles, checked without Docker: every referenced service, build
 * context, file, port and configuration variable exists, and every image copies artifacts the build made.
 */
class ComposeAndImagesTest {
    private static final List<String> SERVICES =
            List.of("config-service", "crypto-service", "sweeper-service", "lockdown-service");
    private static final Path ROOT = Manifests.ROOT;

    @Test
    void everyDependencyBuildAndMountedFileExists() throws IOException {
        JsonNode services = Manifests.compose().path("services");
        Set<String> names = fieldNames(services);
        assertThat(names)
                .contains("kafka", "kafka-init", "postgres", "keyvault-emulator")
                .containsAll(SERVICES);
        for (String name : names) {
            JsonNode service = services.path(name);
            fieldNames(service.path("depends_on"))
                    .forEach(dep ->
                            assertThat(names).as(name + " depends on " + dep).contains(dep));
            if (service.has("build")) {
                Path context =
                        ROOT.resolve(service.path("build").path("context").asText());
                assertThat(context.resolve(
                                service.path("build").path("dockerfile").asText()))
                        .as(name + " Dockerfile")
                        .isRegularFile();
            }
            if (!service.has("build")) {
                assertThat(service.path("image").asText())
                        .as(name + " pinned image")
                        .matches(".+:[0-9][^:]*");
            }
            service.path("volumes").forEach(v -> {
                String source = v.asText().split(":")[0];
                if (source.startsWith("./") && !source.startsWith("./.byok")) { // .byok is made by the dev tools
                    assertThat(ROOT.resolve(source))
                            .as(name + " mounts " + source)
                            .exists();
                }
            });
            if (service.has("healthcheck") || SERVICES.contains(name)) {
                assertThat(service.path("healthcheck").path("test").size())
                        .as(name + " health check")
                        .isPositive();
            }
        }
    }

    @Test
    void servicePortsAndVariablesMatchTheServicesConfiguration() throws IOException {
        JsonNode services = Manifests.compose().path("services");
        Set<String> known = knownVariables();
        for (String name : SERVICES) {
            JsonNode env = services.path(name).path("environment");
            for (String variable : fieldNames(env)) {
                assertThat(known)
                        .as(name + " sets " + variable + ", which no service reads")
                        .contains(variable);
            }
            String port = env.path("HTTP_PORT").asText();
            assertThat(services.path(name).path("ports").get(0).asText()).isEqualTo(port + ":" + port);
            assertThat(properties(name)).contains("quarkus.http.port=${HTTP_PORT:" + port + "}");
        }
    }

    @Test
    void composeKafka_provisionsTheTopicsAndExactlyTheAccessTable_overTlsOnly() throws IOException {
        JsonNode services = Manifests.compose().path("services");
        String provision = Files.readString(ROOT.resolve("deploy/compose/kafka-provision.sh"));
        assertThat(services.path("kafka-init").path("entrypoint").toString()).contains("/scripts/kafka-provision.sh");
        TopicSpecs.all(TopicSpecs.DEFAULT_PARTITIONS).forEach(spec -> {
            Matcher line = Pattern.compile("^t " + Pattern.quote(spec.name()) + " \"(.*)\"$", Pattern.MULTILINE)
                    .matcher(provision);
            assertThat(line.find()).as("kafka-init creates " + spec.name()).isTrue();
            spec.config()
                    .forEach((k, v) -> assertThat(line.group(1)).as(spec.name()).contains("--config " + k + "=" + v));
        });
        Set<String> grants = new HashSet<>();
        Matcher grant = Pattern.compile("^grant (\\S+) (\\S+) (topic|group) (\\S+)( prefixed)?$", Pattern.MULTILINE)
                .matcher(provision);
        while (grant.find()) {
            grants.add(grant.group(1) + " " + grant.group(2) + " " + grant.group(3) + " " + grant.group(4)
                    + (grant.group(5) == null ? "" : " prefixed"));
        }
        Set<String> expected = new HashSet<>();
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            for (KafkaAccess.Grant g : principal.grants()) {
                expected.add(principal.name() + " "
                        + switch (g.operation()) {
                            case READ_TOPIC -> "Read topic " + g.resource();
                            case WRITE_TOPIC -> "Write topic " + g.resource();
                            case DESCRIBE_TOPIC -> "Describe topic " + g.resource();
                            case USE_GROUP_PREFIX -> "Read group " + g.resource() + " prefixed";
                            case DESCRIBE_GROUP -> "Describe group " + g.resource();
                        });
            }
        }
        assertThat(grants).isEqualTo(expected);
        String protocols = services.path("kafka")
                .path("environment")
                .path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")
                .asText();
        assertThat(protocols.split(",")).allSatisfy(entry -> assertThat(entry).endsWith(":SASL_SSL"));
        for (String name : SERVICES) {
            assertThat(services.path(name)
                            .path("environment")
                            .path("QUARKUS_CONFIG_LOCATIONS")
                            .asText())
                    .as(name + " logs in as itself")
                    .isEqualTo("/secrets/" + name + ".quarkus.properties");
        }
    }

    @Test
    void theStandInImages_areTheVersionsTheComposeFileNames() throws IOException {
        JsonNode services = Manifests.compose().path("services");
        String kafka = propertyOf(Files.readString(ROOT.resolve("pom.xml")), "kafka.version");
        assertThat(propertyOf(
                        Files.readString(ROOT.resolve("deploy/containers/stand-ins/kafka/pom.xml")), "kafka.version"))
                .as("the Kafka stand-in's version")
                .isEqualTo(kafka);
        for (String name : List.of("kafka-secrets", "kafka", "kafka-init")) {
            assertThat(services.path(name).path("image").asText()).as(name).isEqualTo("apache/kafka:" + kafka);
        }
        String postgres = services.path("postgres").path("image").asText();
        assertThat(postgres).isEqualTo("postgres:15");
        assertThat(Files.readString(ROOT.resolve("deploy/containers/stand-ins/postgres/Dockerfile")))
                .as("the PostgreSQL stand-in installs the major version the compose file names")
                .contains("postgresql-" + postgres.substring(postgres.indexOf(':') + 1) + " ");
    }

    private static String propertyOf(String pom, String property) {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(property).isTrue();
        return m.group(1);
    }

    @Test
    void kubernetesConfigMapKeysAreVariablesTheServicesRead() throws Exception {
        Set<String> known = knownVariables();
        JsonNode config = Manifests.ofKind(Manifests.render("prod"), "ConfigMap").stream()
                .filter(c -> Manifests.name(c).equals("byok-config"))
                .findFirst()
                .orElseThrow();
        Set<String> keys = fieldNames(config.path("data"));
        keys.remove("BYOK_POSTGRES_HOST"); // used by the Deployments' own variables, $(BYOK_POSTGRES_HOST)
        assertThat(keys)
                .allSatisfy(key -> assertThat(known).as("ConfigMap key " + key).contains(key));
    }

    @Test
    void everyImageCopiesArtifactsTheBuildProduced() throws IOException {
        for (String name : SERVICES) {
            assertCopiesExist(ROOT.resolve(name), ROOT.resolve(name).resolve("src/main/docker/Dockerfile.jvm"));
        }
        assertCopiesExist(
                ROOT.resolve("keyvault-emulator"), ROOT.resolve("keyvault-emulator/src/main/docker/Dockerfile"));
    }

    /** Each COPY source of the Dockerfile, relative to its build context, exists (build first: mvn package). */
    private static void assertCopiesExist(Path context, Path dockerfile) throws IOException {
        Matcher copy = Pattern.compile("^COPY (?:--\\S+ )*(\\S+) \\S+$", Pattern.MULTILINE)
                .matcher(Files.readString(dockerfile));
        int copies = 0;
        while (copy.find()) {
            copies++;
            String source = copy.group(1);
            if (source.contains("*")) {
                Path dir = context.resolve(source.substring(0, source.lastIndexOf('/')));
                String glob = source.substring(source.lastIndexOf('/') + 1);
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(p -> p.getFileName().toString()))
                            .as(dockerfile + " " + source)
                            .anyMatch(f -> f.matches(glob.replace(".", "\\.").replace("*", ".*")));
                }
            } else {
                assertThat(context.resolve(source))
                        .as(dockerfile + " copies " + source + " (run mvn package first)")
                        .exists();
            }
        }
        assertThat(copies).as(dockerfile + " COPY lines").isPositive();
    }

    /**
     * Environment variables a service reads: the ${VAR} placeholders in the services'
     * application.properties, and the environment form of every configuration key documented in the
     * README and docs/ (Quarkus maps BYOK_SWEEPER_PROTECT_WITHIN to byok.sweeper.protect-within).
     */
    private static Set<String> knownVariables() throws IOException {
        Set<String> known = new HashSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)[:}]").matcher("");
        for (String name : SERVICES) {
            placeholder.reset(properties(name));
            while (placeholder.find()) {
                known.add(placeholder.group(1));
            }
        }
        // a documented key, and the siblings a table row lists after it: `byok.keyvault.budget.ops-per-10s` /
        // `max-wait`
        Matcher key = Pattern.compile("`((?:byok|kafka|quarkus|mp)\\.[a-z0-9.-]+)`((?:\\s*/\\s*`[a-z0-9-]+`)*)")
                .matcher("");
        Matcher sibling = Pattern.compile("`([a-z0-9-]+)`").matcher("");
        for (Path doc : List.of(
                ROOT.resolve("README.md"), ROOT.resolve("docs/config-api.md"), ROOT.resolve("docs/operations.md"))) {
            if (Files.exists(doc)) {
                key.reset(Files.readString(doc));
                while (key.find()) {
                    known.add(environmentForm(key.group(1)));
                    String parent = key.group(1).substring(0, key.group(1).lastIndexOf('.') + 1);
                    sibling.reset(key.group(2));
                    while (sibling.find()) {
                        known.add(environmentForm(parent + sibling.group(1)));
                    }
                }
            }
        }
        return known;
    }

    private static String environmentForm(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    private static String properties(String service) throws IOException {
        return Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
