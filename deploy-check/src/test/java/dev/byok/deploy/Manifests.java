package dev.byok.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository's deploy files, parsed: kustomize overlays rendered by kubectl, docker-compose.yml. */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private Manifests() {}

    /** Every object {@code kubectl kustomize deploy/kubernetes/overlays/<overlay>} renders. */
    static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder(
                            "kubectl",
                            "kustomize",
                            ROOT.resolve("deploy/kubernetes/overlays/" + overlay)
                                    .toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "kubectl is missing: the deploy check renders the overlays with `kubectl kustomize` "
                            + "(install kubectl 1.27+, which bundles kustomize)",
                    e);
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + overlay + " failed:\n" + out);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(n -> {
                if (n != null && !n.isNull()) {
                    objects.add(n);
                }
            });
        }
        return objects;
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()))
                .toList();
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** docker-compose.yml with its anchors, aliases and merge keys resolved (SnakeYAML does; Jackson's YAML tree does not). */
    static JsonNode compose() throws IOException {
        try (var reader = java.nio.file.Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Object document = new org.yaml.snakeyaml.Yaml().load(reader);
            return YAML.valueToTree(document);
        }
    }
}
