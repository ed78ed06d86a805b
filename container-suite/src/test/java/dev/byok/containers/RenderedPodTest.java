package dev.byok.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The translation of a rendered pod spec into podman's arguments: pure logic, no container. */
class RenderedPodTest {
    private static final JsonNode DEPLOYMENT = yaml("""
            metadata: {name: svc}
            spec:
              template:
                metadata: {labels: {azure.workload.identity/use: "true"}}
                spec:
                  securityContext: {runAsUser: 185, runAsGroup: 185, fsGroup: 185}
                  containers:
                    - name: svc
                      image: registry.example/svc:1
                      envFrom: [{configMapRef: {name: cfg}}]
                      env:
                        - {name: DB_URL, value: "postgresql://$(HOST):5432/db"}
                        - {name: UNKNOWN, value: "$(NOT_DEFINED)"}
                        - name: PASSWORD
                          valueFrom: {secretKeyRef: {name: db, key: password}}
                        - name: OPTIONAL
                          valueFrom: {secretKeyRef: {name: absent, key: x, optional: true}}
                      securityContext:
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
                      ports: [{name: http, containerPort: 8080}, {name: management, containerPort: 9000}]
                      resources: {limits: {cpu: 500m, memory: 512Mi}}
                      volumeMounts:
                        - {name: tmp, mountPath: /tmp}
                        - {name: ca, mountPath: /etc/ca, readOnly: true}
                  volumes:
                    - {name: tmp, emptyDir: {sizeLimit: 64Mi}}
                    - {name: ca, secret: {secretName: ca-secret, items: [{key: ca.crt, path: ca.crt}]}}
            """);
    private static final Cluster CLUSTER = new Cluster(
            Map.of("cfg", Map.of("HOST", "postgres")),
            Map.of("db", Map.of("password", "s3cret"), "ca-secret", Map.of("ca.crt", "CERT", "other", "x")),
            "net",
            Map.of("AZURE_CLIENT_ID", "app"),
            List.of("/tokens:/var/run/secrets/azure/tokens:ro"));

    @Test
    void theContainerRunsWithItsRenderedSecurityVolumesLimitsAndPorts(@TempDir Path dir) throws Exception {
        RenderedPod pod = new RenderedPod(DEPLOYMENT);

        List<String> args = pod.runArguments(CLUSTER, Map.of("http", 40001, "management", 40002), dir);

        assertThat(String.join(" ", args))
                .contains("--network net")
                .contains("--user 185:185")
                .contains("--group-add 185")
                .contains("--read-only --read-only-tmpfs=false")
                .contains("--cap-drop ALL")
                .contains("--security-opt no-new-privileges")
                .contains("--tmpfs /tmp:rw,mode=1777,size=64m")
                .contains("-v " + dir.resolve("volumes/ca") + ":/etc/ca:ro")
                .contains("-v /tokens:/var/run/secrets/azure/tokens:ro")
                .contains("--memory 512m --cpus 0.5")
                .contains("-p 127.0.0.1:40001:8080 -p 127.0.0.1:40002:9000")
                .endsWith("registry.example/svc:1")
                .doesNotContain("s3cret"); // secrets go to the owner-only environment file
        assertThat(Files.readString(dir.resolve("volumes/ca/ca.crt"))).isEqualTo("CERT");
        assertThat(dir.resolve("volumes/ca/other")).doesNotExist(); // only the items asked for
        assertThat(pod.hostPorts).containsEntry("management", 40002);
    }

    @Test
    void theEnvironmentIsBuiltAsTheKubeletBuildsIt() {
        Map<String, String> env = new RenderedPod(DEPLOYMENT).environment(CLUSTER);

        assertThat(env)
                .containsEntry("AZURE_CLIENT_ID", "app") // the workload identity webhook, for a labelled pod
                .containsEntry("HOST", "postgres")
                .containsEntry("DB_URL", "postgresql://postgres:5432/db")
                .containsEntry("UNKNOWN", "$(NOT_DEFINED)") // left as written, as Kubernetes does
                .containsEntry("PASSWORD", "s3cret")
                .doesNotContainKey("OPTIONAL");
    }

    @Test
    void aSecretTheClusterLacks_isNamed() {
        Cluster without = new Cluster(CLUSTER.configMaps(), Map.of(), "net", Map.of(), List.of());

        assertThatThrownBy(() -> new RenderedPod(DEPLOYMENT).environment(without))
                .hasMessageContaining("PASSWORD names db/password, which the cluster lacks");
    }

    @Test
    void quantities() {
        assertThat(RenderedPod.quantity("768Mi")).isEqualTo("768m");
        assertThat(RenderedPod.quantity("1Gi")).isEqualTo("1g");
        assertThat(RenderedPod.cpus("250m")).isEqualTo("0.25");
        assertThat(RenderedPod.cpus("2")).isEqualTo("2");
    }

    private static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
