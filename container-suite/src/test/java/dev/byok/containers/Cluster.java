package dev.byok.containers;

import java.util.List;
import java.util.Map;

/**
 * What a Kubernetes cluster gives a pod besides its spec, here played by the compose infrastructure: the values of
 * the ConfigMaps and Secrets the spec names, the network the pod joins, and what admission adds to a pod labelled
 * for Azure workload identity (the webhook's environment and token file, and here the emulator's certificate, which
 * a real vault does not need).
 *
 * @param configMaps       ConfigMap name → its data
 * @param secrets          Secret name → its data (plain text)
 * @param network          the podman network (DNS of the compose services)
 * @param admissionEnv     environment variables admission adds to a labelled pod's container
 * @param admissionMounts  {@code SOURCE:TARGET:ro} mounts admission adds to it
 */
record Cluster(
        Map<String, Map<String, String>> configMaps,
        Map<String, Map<String, String>> secrets,
        String network,
        Map<String, String> admissionEnv,
        List<String> admissionMounts) {}
