package dev.byok.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Deployment's pod as podman runs it, with exactly the rendered settings of its container: image, environment
 * (ConfigMap and Secret references resolved as the kubelet does, {@code $(VAR)} expanded), user and group,
 * read-only root, dropped capabilities, no privilege escalation, its volumes (emptyDir as a tmpfs of its size
 * limit, Secret items as read-only files), resource limits, and its ports. Secret values go to an owner-only
 * environment file and files, never onto a command line.
 *
 * <p>podman 4.3's {@code kube play} would be the shorter path, but it crashes on Secret volumes and cannot read
 * the Secrets it stores for {@code secretKeyRef}, so the suite runs each container itself (the issue allows
 * either).
 */
final class RenderedPod {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    final String name;
    final JsonNode container;
    final JsonNode podSpec;
    /** Labelled for Azure workload identity: the cluster's webhook adds its environment and token mount. */
    final boolean workloadIdentity;
    /** Container port name → the host port it is published on. */
    final Map<String, Integer> hostPorts = new LinkedHashMap<>();

    RenderedPod(JsonNode deployment) {
        this.name = deployment.path("metadata").path("name").asText();
        this.podSpec = deployment.path("spec").path("template").path("spec");
        this.container = podSpec.path("containers").get(0);
        this.workloadIdentity = deployment
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels")
                .path("azure.workload.identity/use")
                .asText()
                .equals("true");
    }

    /** The {@code podman run} arguments; writes the environment file and the Secret volumes under {@code dir}. */
    List<String> runArguments(Cluster cluster, Map<String, Integer> freeHostPorts, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of(
                "podman", "run", "-d", "--pull=never", "--name", "pod-" + name, "--network", cluster.network()));
        securityContext(args);
        args.addAll(List.of("--env-file", environmentFile(cluster, dir).toString()));
        volumes(cluster, dir, args);
        if (workloadIdentity) {
            cluster.admissionMounts().forEach(m -> args.addAll(List.of("-v", m)));
        }
        JsonNode limits = container.path("resources").path("limits");
        if (limits.has("memory")) {
            args.addAll(List.of("--memory", quantity(limits.path("memory").asText())));
        }
        if (limits.has("cpu")) {
            args.addAll(List.of("--cpus", cpus(limits.path("cpu").asText())));
        }
        for (JsonNode port : container.path("ports")) {
            int host = freeHostPorts.get(port.path("name").asText());
            hostPorts.put(port.path("name").asText(), host);
            args.addAll(List.of(
                    "-p", "127.0.0.1:" + host + ":" + port.path("containerPort").asInt()));
        }
        if (container.has("command")) {
            args.addAll(List.of("--entrypoint", container.path("command").get(0).asText()));
        }
        args.add(container.path("image").asText());
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private void securityContext(List<String> args) {
        JsonNode pod = podSpec.path("securityContext");
        JsonNode own = container.path("securityContext");
        JsonNode user = own.has("runAsUser") ? own.path("runAsUser") : pod.path("runAsUser");
        JsonNode group = own.has("runAsGroup") ? own.path("runAsGroup") : pod.path("runAsGroup");
        if (!user.isMissingNode()) {
            args.addAll(List.of("--user", user.asText() + (group.isMissingNode() ? "" : ":" + group.asText())));
        }
        if (pod.has("fsGroup")) {
            args.addAll(List.of("--group-add", pod.path("fsGroup").asText()));
        }
        if (own.path("readOnlyRootFilesystem").asBoolean(false)) {
            // exactly read-only: no tmpfs of podman's own on /tmp or /run; the spec's volumes are the only writable
            // paths
            args.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        own.path("capabilities").path("drop").forEach(c -> args.addAll(List.of("--cap-drop", c.asText())));
        own.path("capabilities").path("add").forEach(c -> args.addAll(List.of("--cap-add", c.asText())));
        if (!own.path("allowPrivilegeEscalation").asBoolean(true)) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        String seccomp = own.path("seccompProfile")
                .path("type")
                .asText(pod.path("seccompProfile").path("type").asText("RuntimeDefault"));
        if (seccomp.equals("Unconfined")) {
            args.addAll(List.of("--security-opt", "seccomp=unconfined"));
        } // RuntimeDefault: podman's default profile
    }

    /** The container's environment as the kubelet builds it: envFrom first, then env, each $(VAR) expanded. */
    Map<String, String> environment(Cluster cluster) {
        Map<String, String> env = new LinkedHashMap<>(workloadIdentity ? cluster.admissionEnv() : Map.of());
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                env.putAll(required(
                        cluster.configMaps(),
                        from.path("configMapRef").path("name").asText(),
                        "ConfigMap"));
            }
            if (from.has("secretRef")) {
                env.putAll(required(
                        cluster.secrets(), from.path("secretRef").path("name").asText(), "Secret"));
            }
        }
        for (JsonNode var : container.path("env")) {
            String value;
            if (var.has("value")) {
                value = expand(var.path("value").asText(), env);
            } else {
                JsonNode ref = var.path("valueFrom").has("secretKeyRef")
                        ? var.path("valueFrom").path("secretKeyRef")
                        : var.path("valueFrom").path("configMapKeyRef");
                Map<String, Map<String, String>> source =
                        var.path("valueFrom").has("secretKeyRef") ? cluster.secrets() : cluster.configMaps();
                Map<String, String> data = source.get(ref.path("name").asText());
                value = data == null ? null : data.get(ref.path("key").asText());
                if (value == null) {
                    if (ref.path("optional").asBoolean(false)) {
                        continue;
                    }
                    throw new AssertionError(name + ": " + var.path("name").asText() + " names "
                            + ref.path("name").asText() + "/" + ref.path("key").asText() + ", which the cluster lacks");
                }
            }
            env.put(var.path("name").asText(), value);
        }
        return env;
    }

    private Path environmentFile(Cluster cluster, Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        environment(cluster).forEach((k, v) -> {
            if (v.contains("\n")) {
                throw new AssertionError(name + ": " + k + " spans lines, which an environment file cannot hold");
            }
            text.append(k).append('=').append(v).append('\n');
        });
        Path file = dir.resolve("env");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
        return file;
    }

    private void volumes(Cluster cluster, Path dir, List<String> args) throws IOException {
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        podSpec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volumes.get(mount.path("name").asText());
            String path = mount.path("mountPath").asText();
            if (volume.has("emptyDir")) {
                String size = volume.path("emptyDir").path("sizeLimit").asText("");
                args.addAll(
                        List.of("--tmpfs", path + ":rw,mode=1777" + (size.isEmpty() ? "" : ",size=" + quantity(size))));
            } else if (volume.has("secret")) {
                Path files = secretFiles(
                        cluster,
                        volume.path("secret"),
                        dir.resolve("volumes").resolve(volume.path("name").asText()));
                args.addAll(List.of(
                        "-v", files + ":" + path + (mount.path("readOnly").asBoolean(false) ? ":ro" : "")));
            } else {
                throw new AssertionError(
                        name + ": volume " + volume.path("name").asText() + " of a kind the suite does not run");
            }
        }
    }

    /** A Secret volume's files, as the kubelet writes them: its items (key → path), or every key. */
    private Path secretFiles(Cluster cluster, JsonNode secret, Path dir) throws IOException {
        Map<String, String> data =
                required(cluster.secrets(), secret.path("secretName").asText(), "Secret");
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>();
        if (secret.has("items")) {
            secret.path("items")
                    .forEach(i -> files.put(
                            i.path("path").asText(), data.get(i.path("key").asText())));
        } else {
            files.putAll(data);
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (f.getValue() == null) {
                throw new AssertionError(
                        name + ": Secret " + secret.path("secretName").asText() + " lacks " + f.getKey());
            }
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return dir;
    }

    private Map<String, String> required(Map<String, Map<String, String>> all, String name, String kind) {
        Map<String, String> data = all.get(name);
        if (data == null) {
            throw new AssertionError(this.name + " names " + kind + " " + name + ", which the cluster lacks");
        }
        return data;
    }

    /** Kubernetes' dependent variables: $(VAR) of a variable defined before, left as it is otherwise. */
    static String expand(String value, Map<String, String> defined) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = defined.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A Kubernetes quantity in the form podman takes: 512Mi → 512m, 64Mi → 64m, 1Gi → 1g. */
    static String quantity(String k8s) {
        Matcher m = Pattern.compile("(\\d+)([KMG]i)?").matcher(k8s);
        if (!m.matches()) {
            throw new AssertionError("quantity " + k8s + " is not one the suite reads");
        }
        return m.group(2) == null
                ? m.group(1)
                : m.group(1) + m.group(2).substring(0, 1).toLowerCase();
    }

    /** CPU: "2" → 2, "500m" → 0.5. */
    static String cpus(String k8s) {
        return k8s.endsWith("m") ? String.valueOf(Integer.parseInt(k8s.substring(0, k8s.length() - 1)) / 1000.0) : k8s;
    }
}
