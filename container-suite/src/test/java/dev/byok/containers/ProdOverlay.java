package dev.byok.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The production overlay as {@code kubectl kustomize deploy/kubernetes/overlays/prod} renders it. */
final class ProdOverlay {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    final List<JsonNode> objects;

    private ProdOverlay(List<JsonNode> objects) {
        this.objects = objects;
    }

    static ProdOverlay render() throws IOException {
        String out = new Commands(Map.of())
                .ok(Duration.ofMinutes(1), "kubectl", "kustomize", "deploy/kubernetes/overlays/prod");
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(n -> {
                if (n != null && !n.isNull()) {
                    objects.add(n);
                }
            });
        }
        return new ProdOverlay(objects);
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .toList();
    }

    /** A ConfigMap's data. */
    Map<String, String> configMap(String name) {
        JsonNode map = ofKind("ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the prod overlay has no ConfigMap " + name));
        return YAML.convertValue(
                map.path("data"), YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }
}
