package dev.byok.deploy;

import static dev.byok.deploy.Manifests.name;
import static dev.byok.deploy.Manifests.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.model.KafkaAccess;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manifests give Kafka exactly the access of {@link KafkaAccess}, over TLS with SCRAM logins only (docs/security.md). */
class KafkaAccessManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaUsers_carryExactlyTheAccessTable(String overlay) throws Exception {
        List<JsonNode> users = ofKind(Manifests.render(overlay), "KafkaUser");
        assertThat(users)
                .extracting(Manifests::name)
                .containsExactlyInAnyOrderElementsOf(KafkaAccess.principals().stream()
                        .map(KafkaAccess.Principal::name)
                        .toList());
        for (JsonNode user : users) {
            KafkaAccess.Principal principal = KafkaAccess.principal(name(user));
            assertThat(user.path("spec").path("authentication").path("type").asText())
                    .as(name(user))
                    .isEqualTo("scram-sha-512");
            assertThat(user.path("spec").path("authorization").path("type").asText())
                    .as(name(user))
                    .isEqualTo("simple");
            Set<String> acls = new HashSet<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode r = acl.path("resource");
                acl.path("operations")
                        .forEach(op -> acls.add(
                                r.path("type").asText() + " " + r.path("name").asText() + " "
                                        + r.path("patternType").asText() + " " + op.asText()));
            }
            assertThat(acls).as(name(user)).isEqualTo(expected(principal));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceLogsInAsItsOwnUser_trustingOnlyTheClusterCa(String overlay) throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        JsonNode config = ofKind(all, "ConfigMap").stream()
                .filter(c -> name(c).equals("byok-config"))
                .findFirst()
                .orElseThrow()
                .path("data");
        assertThat(config.path("KAFKA_SSL_TRUSTSTORE_TYPE").asText()).isEqualTo("PEM");
        String caFile = config.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText();
        for (JsonNode d : ofKind(all, "Deployment")) {
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            JsonNode login = null;
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    login = env.path("valueFrom").path("secretKeyRef");
                }
            }
            assertThat(login).as(name(d) + " Kafka login").isNotNull();
            assertThat(login.path("name").asText())
                    .as(name(d) + " logs in as itself")
                    .isEqualTo(name(d));
            assertThat(login.path("key").asText()).isEqualTo("sasl.jaas.config");
            String mountName = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (caFile.startsWith(mount.path("mountPath").asText() + "/")) {
                    mountName = mount.path("name").asText();
                }
            }
            assertThat(mountName).as(name(d) + " mounts " + caFile).isNotNull();
            String volume = mountName;
            assertThat(pod.path("volumes")).as(name(d)).anySatisfy(v -> {
                assertThat(v.path("name").asText()).isEqualTo(volume);
                assertThat(v.path("secret").path("secretName").asText()).isEqualTo("byok-kafka-cluster-ca-cert");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev"})
    void theClusterListensOnlyWithTlsAndScram_andAuthorises(String overlay) throws Exception {
        JsonNode kafka =
                ofKind(Manifests.render(overlay), "Kafka").get(0).path("spec").path("kafka");
        assertThat(kafka.path("listeners")).isNotEmpty().allSatisfy(l -> {
            assertThat(l.path("tls").asBoolean()).as(l.toString()).isTrue();
            assertThat(l.path("authentication").path("type").asText())
                    .as(l.toString())
                    .isEqualTo("scram-sha-512");
        });
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kedaReadsIngestLag_asTheLagReader_overTls(String overlay) throws Exception {
        List<JsonNode> all = Manifests.render(overlay);
        JsonNode trigger = ofKind(all, "ScaledObject").stream()
                .filter(s -> name(s).equals("crypto-service"))
                .findFirst()
                .orElseThrow()
                .path("spec")
                .path("triggers")
                .get(0);
        String authName = trigger.path("authenticationRef").path("name").asText();
        JsonNode auth = ofKind(all, "TriggerAuthentication").stream()
                .filter(a -> name(a).equals(authName))
                .findFirst()
                .orElseThrow();
        Map<String, String> secretOf = new HashMap<>();
        auth.path("spec")
                .path("secretTargetRef")
                .forEach(r -> secretOf.put(
                        r.path("parameter").asText(),
                        r.path("name").asText() + "/" + r.path("key").asText()));
        assertThat(secretOf)
                .containsEntry("password", KafkaAccess.LAG_READER + "/password")
                .containsEntry("ca", "byok-kafka-cluster-ca-cert/ca.crt")
                .containsKeys("sasl", "username", "tls");
        JsonNode constants = ofKind(all, "Secret").stream()
                .filter(s -> name(s).equals("byok-keda-kafka"))
                .findFirst()
                .orElseThrow()
                .path("stringData");
        assertThat(constants.path("sasl").asText()).isEqualTo("scram_sha512");
        assertThat(constants.path("username").asText()).isEqualTo(KafkaAccess.LAG_READER);
        assertThat(constants.path("tls").asText()).isEqualTo("enable");
    }

    /** The principal's grants as Strimzi ACL entries: "type name patternType Operation". */
    private static Set<String> expected(KafkaAccess.Principal principal) {
        Set<String> out = new HashSet<>();
        for (KafkaAccess.Grant g : principal.grants()) {
            out.add(
                    switch (g.operation()) {
                        case READ_TOPIC -> "topic " + g.resource() + " literal Read";
                        case WRITE_TOPIC -> "topic " + g.resource() + " literal Write";
                        case DESCRIBE_TOPIC -> "topic " + g.resource() + " literal Describe";
                        case USE_GROUP_PREFIX -> "group " + g.resource() + " prefix Read";
                        case DESCRIBE_GROUP -> "group " + g.resource() + " literal Describe";
                    });
        }
        return out;
    }
}
