package dev.byok.deploy;

import static dev.byok.deploy.Manifests.name;
import static dev.byok.deploy.Manifests.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.model.TopicSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rendered overlay obeys the deployment rules (issue "deploy/ and docker-compose.yml"). */
class KubernetesManifestsTest {
    private static final List<String> SERVICES =
            List.of("config-service", "crypto-service", "sweeper-service", "lockdown-service");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceHasAHardenedDeployment_probes_limits_spread_serviceAndBudget(String overlay) throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        List<JsonNode> deployments = ofKind(all, "Deployment");
        assertThat(deployments).extracting(Manifests::name).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode d : deployments) {
            String n = name(d);
            JsonNode pod = d.path("spec").path("template").path("spec");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
                    .as(n + " token automount")
                    .isFalse();
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean())
                    .as(n + " non-root")
                    .isTrue();
            assertThat(pod.path("securityContext")
                            .path("seccompProfile")
                            .path("type")
                            .asText())
                    .as(n)
                    .isEqualTo("RuntimeDefault");
            assertThat(pod.path("topologySpreadConstraints").size())
                    .as(n + " topology spread")
                    .isPositive();
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true))
                        .as(n)
                        .isFalse();
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean())
                        .as(n + " read-only root")
                        .isTrue();
                assertThat(texts(sc.path("capabilities").path("drop")))
                        .as(n + " capabilities")
                        .contains("ALL");
                assertThat(c.path("ports"))
                        .allSatisfy(p -> assertThat(p.path("name").asText())
                                .as(n + " named port")
                                .isNotBlank());
                assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
                        .isEqualTo("/q/health/live");
                assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
                        .isEqualTo("/q/health/ready");
                // health and metrics on the management port (9000), apart from the API
                assertThat(c.path("ports"))
                        .as(n + " management port")
                        .anySatisfy(port -> assertThat(port.path("name").asText() + ":"
                                        + port.path("containerPort").asInt())
                                .isEqualTo("management:9000"));
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    assertThat(c.path(probe).path("httpGet").path("port").asText())
                            .as(n + " " + probe)
                            .isEqualTo("management");
                }
                for (String bound : List.of("requests", "limits")) {
                    assertThat(c.path("resources").path(bound).has("cpu")
                                    && c.path("resources").path(bound).has("memory"))
                            .as(n + " " + bound)
                            .isTrue();
                }
            }
            JsonNode labels = d.path("spec").path("selector").path("matchLabels");
            assertThat(ofKind(all, "PodDisruptionBudget"))
                    .as(n + " PDB")
                    .anyMatch(p ->
                            p.path("spec").path("selector").path("matchLabels").equals(labels));
            assertThat(ofKind(all, "Service"))
                    .as(n + " Service")
                    .anyMatch(s -> s.path("spec").path("selector").equals(labels));
        }
        assertThat(ofKind(all, "ServiceAccount").stream()
                        .filter(sa -> name(sa).equals("byok-services"))
                        .toList())
                .singleElement()
                .satisfies(sa -> assertThat(
                                sa.path("metadata").path("annotations").has("azure.workload.identity/client-id"))
                        .isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPolicies_denyByDefault_andAllowEachServiceItsPeers(String overlay) throws Exception {
        List<JsonNode> policies = ofKind(Manifests.render(overlay), "NetworkPolicy");
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.path("spec").path("podSelector").size()).isZero();
            assertThat(texts(p.path("spec").path("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.path("spec").has("ingress") || p.path("spec").has("egress"))
                    .isFalse();
        });
        for (String service : SERVICES) {
            assertThat(policies)
                    .as(service + ": an egress rule on port 443 (Key Vault)")
                    .anyMatch(p -> selects(p, service)
                            && StreamSupport.stream(
                                            p.path("spec").path("egress").spliterator(), false)
                                    .anyMatch(rule ->
                                            rule.path("ports").toString().contains("443")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void topics_matchTopicSpecs_andKedaNeverOutscalesIngestPartitions(String overlay) throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        List<JsonNode> topics = ofKind(all, "KafkaTopic");
        for (TopicSpecs.Spec spec : TopicSpecs.all(TopicSpecs.DEFAULT_PARTITIONS)) {
            JsonNode topic = topics.stream()
                    .filter(t -> t.path("spec").path("topicName").asText().equals(spec.name()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no KafkaTopic for " + spec.name()));
            assertThat(topic.path("spec").path("partitions").asInt())
                    .as(spec.name())
                    .isEqualTo(spec.partitions());
            spec.config()
                    .forEach((key, value) -> assertThat(
                                    topic.path("spec").path("config").path(key).asText())
                            .as(spec.name() + " " + key)
                            .isEqualTo(value));
        }
        JsonNode ingest = topics.stream()
                .filter(t -> t.path("spec").path("topicName").asText().equals("byok.activity.ingest"))
                .findFirst()
                .orElseThrow();
        assertThat(Long.parseLong(
                        ingest.path("spec").path("config").path("retention.ms").asText()))
                .isLessThanOrEqualTo(Duration.ofHours(48).toMillis());
        JsonNode keda = ofKind(all, "ScaledObject").stream()
                .filter(s -> name(s).equals("crypto-service"))
                .findFirst()
                .orElseThrow();
        assertThat(keda.path("spec").path("maxReplicaCount").asInt())
                .isLessThanOrEqualTo(ingest.path("spec").path("partitions").asInt());
        assertThat(ofKind(all, "HorizontalPodAutoscaler"))
                .extracting(
                        h -> h.path("spec").path("scaleTargetRef").path("name").asText())
                .containsExactlyInAnyOrder("config-service", "lockdown-service", "sweeper-service");
        if (overlay.equals("dev")) {
            assertThat(ofKind(all, "Kafka")).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod"})
    void everySecretKeyThePodsAndKedaRead_comesFromAnExternalSecret(String overlay) throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        java.util.Set<String> read = new java.util.TreeSet<>();
        for (JsonNode d : ofKind(all, "Deployment")) {
            JsonNode pod = d.path("spec").path("template").path("spec");
            for (JsonNode c : pod.path("containers")) {
                for (JsonNode env : c.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        read.add(ref.path("name").asText() + "/"
                                + ref.path("key").asText());
                    }
                }
            }
            for (JsonNode v : pod.path("volumes")) {
                JsonNode secret = v.path("secret");
                if (secret.has("items")) {
                    secret.path("items")
                            .forEach(i -> read.add(secret.path("secretName").asText() + "/"
                                    + i.path("key").asText()));
                } else if (secret.has("secretName")) {
                    read.add(secret.path("secretName").asText() + "/*"); // every key of it
                }
            }
        }
        java.util.Set<String> inManifests = new java.util.HashSet<>();
        ofKind(all, "Secret").forEach(s -> inManifests.add(name(s))); // constants only (KEDA's login parameters)
        for (JsonNode auth : ofKind(all, "TriggerAuthentication")) {
            auth.path("spec").path("secretTargetRef").forEach(r -> {
                if (!inManifests.contains(r.path("name").asText())) {
                    read.add(r.path("name").asText() + "/" + r.path("key").asText());
                }
            });
        }
        java.util.Set<String> provided = new java.util.TreeSet<>();
        for (JsonNode e : ofKind(all, "ExternalSecret")) {
            String target = e.path("spec").path("target").path("name").asText();
            e.path("spec")
                    .path("data")
                    .forEach(
                            d -> provided.add(target + "/" + d.path("secretKey").asText()));
        }
        java.util.Set<String> expected = new java.util.TreeSet<>(read);
        read.stream().filter(k -> k.endsWith("/*")).forEach(whole -> {
            String secret = whole.substring(0, whole.length() - 1);
            assertThat(provided).as(whole).anyMatch(k -> k.startsWith(secret));
            expected.remove(whole);
            provided.stream().filter(k -> k.startsWith(secret)).forEach(expected::add);
        });
        assertThat(read).as("secret keys the pods and KEDA read").hasSizeGreaterThan(8);
        assertThat(provided).as("keys External Secrets provides").isEqualTo(expected);
    }

    /** Azure Key Vault's limit per vault (RSA 2048 software keys), and the share the service may take of it. */
    private static final int VAULT_OPS_PER_10S = 4000;

    private static final double SERVICE_SHARE = 0.75;

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void autoscalersOwnTheReplicaCounts_andEveryReplicaAtItsMaximumStaysWithinTheVaultsLimit(String overlay)
            throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        Map<String, Integer> maxReplicas = new java.util.HashMap<>();
        ofKind(all, "HorizontalPodAutoscaler")
                .forEach(h -> maxReplicas.put(
                        h.path("spec").path("scaleTargetRef").path("name").asText(),
                        h.path("spec").path("maxReplicas").asInt()));
        ofKind(all, "ScaledObject")
                .forEach(k -> maxReplicas.put(
                        k.path("spec").path("scaleTargetRef").path("name").asText(),
                        k.path("spec").path("maxReplicaCount").asInt()));
        assertThat(maxReplicas.keySet())
                .as("every service is autoscaled")
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode d : ofKind(all, "Deployment")) {
            assertThat(d.path("spec").has("replicas"))
                    .as(name(d) + " sets replicas, which its autoscaler owns (every apply would reset them)")
                    .isFalse();
        }
        int budget = Integer.parseInt(ofKind(all, "ConfigMap").stream()
                .filter(c -> name(c).equals("byok-config"))
                .findFirst()
                .orElseThrow()
                .path("data")
                .path("BYOK_KEYVAULT_BUDGET_OPS_PER_10S")
                .asText());
        int replicas = maxReplicas.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(replicas * budget)
                .as(replicas + " replicas at most × " + budget + " ops / 10 s each, against one vault")
                .isLessThanOrEqualTo((int) (VAULT_OPS_PER_10S * SERVICE_SHARE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod"})
    void productionImages_arePinned(String overlay) throws Exception {
        List<String> images = new ArrayList<>();
        for (JsonNode d : ofKind(Manifests.render(overlay), "Deployment")) {
            d.path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .forEach(c -> images.add(c.path("image").asText()));
        }
        assertThat(images).hasSize(4).allSatisfy(image -> {
            String tag = image.contains("@sha256:")
                    ? "digest"
                    : image.substring(image.lastIndexOf('/') + 1).replaceFirst("^[^:]*:?", "");
            assertThat(tag).as(image).isNotBlank().isNotIn("latest", "dev");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void metricsAreScraped_andTheDashboardShowsWhatOperatorsWatch(String overlay) throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        assertThat(ofKind(all, "ServiceMonitor"))
                .singleElement()
                .satisfies(m -> assertThat(m.path("spec")
                                .path("endpoints")
                                .get(0)
                                .path("path")
                                .asText())
                        .isEqualTo("/q/metrics"))
                .satisfies(m -> assertThat(m.path("spec")
                                .path("endpoints")
                                .get(0)
                                .path("port")
                                .asText())
                        .isEqualTo("management"));
        assertThat(ofKind(all, "NetworkPolicy").stream()
                        .filter(policy -> name(policy).equals("byok-services-common"))
                        .flatMap(policy -> policy.path("spec").path("ingress").valueStream())
                        .flatMap(rule -> rule.path("ports").valueStream())
                        .map(port -> port.path("port").asText()))
                .as("Prometheus reaches the management port only")
                .containsExactly("management");
        JsonNode dashboard = ofKind(all, "ConfigMap").stream()
                .filter(c -> c.path("metadata").path("labels").has("grafana_dashboard"))
                .findFirst()
                .orElseThrow();
        String json = dashboard.path("data").path("byok.json").asText();
        assertThat(Manifests.YAML.readTree(json).path("panels").size()).isPositive();
        assertThat(json)
                .contains(
                        "byok_ingest_stored_total",
                        "byok_keyvault_calls_seconds",
                        "byok_lockdown_tenants",
                        "byok_sweeper_oldest_unprotected_seconds",
                        "byok_ingest_dlq_total");
        List<String> alerts = ofKind(all, "PrometheusRule").stream()
                .flatMap(rule -> rule.path("spec").path("groups").valueStream())
                .flatMap(group -> group.path("rules").valueStream())
                .map(r -> r.path("alert").asText() + ": " + r.path("expr").asText())
                .toList();
        assertThat(alerts)
                .contains(
                        "ByokTemporaryDekAging: max(byok_sweeper_oldest_temporary_seconds) > 36 * 3600",
                        "ByokTemporaryDekOverdue: max(byok_sweeper_oldest_temporary_seconds) > 48 * 3600");
    }

    private static boolean selects(JsonNode policy, String service) {
        JsonNode selector = policy.path("spec").path("podSelector");
        Map<String, String> labels = Map.of("app.kubernetes.io/name", service, "app.kubernetes.io/part-of", "byok");
        boolean labelsMatch = selector.path("matchLabels").properties().stream()
                .allMatch(e -> e.getValue().asText().equals(labels.get(e.getKey())));
        boolean expressionsMatch = StreamSupport.stream(
                        selector.path("matchExpressions").spliterator(), false)
                .allMatch(x -> texts(x.path("values"))
                        .contains(labels.get(x.path("key").asText())));
        return labelsMatch && expressionsMatch;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
