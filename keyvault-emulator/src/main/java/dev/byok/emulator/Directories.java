package dev.byok.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Microsoft Entra as far as the emulator needs it: applications with their client secrets and
 * certificates, and the
 * directories (tenants) in which each application has a service principal — the customer's
 * registration of the service's BYOK application. Thread-safe.
 */
public final class Directories {
    /** The directory vaults belong to unless their spec names another. */
    public static final String DEFAULT_DIRECTORY = "b10c0000-0000-4000-8000-000000000001";
    /** The service's BYOK application, registered in every vault's directory at start. */
    public static final String DEFAULT_CLIENT_ID = "b10c0000-0000-4000-8000-0000000000a1";
    /** Its client secret: a public development default, like the emulator's tokens. */
    public static final String DEFAULT_CLIENT_SECRET = "emulator-client-secret";

    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final Map<String, List<X509Certificate>> certificates = new ConcurrentHashMap<>();
    private final Map<String, List<FederatedCredential>> federated = new ConcurrentHashMap<>();

    /**
     * A federated identity credential of an application: tokens of {@code issuer} for {@code subject}
     * may sign it in (workload identity). {@code signer} stands for the issuer's published keys.
     */
    public record FederatedCredential(String issuer, String subject, X509Certificate signer) {}

    private final Map<String, Set<String>> servicePrincipals = new ConcurrentHashMap<>();

    /** An application (multi-tenant app registration) and its client secret. */
    public void registerApplication(String clientId, String secret) {
        secrets.put(clientId, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A certificate credential of the application (its public half, as uploaded to the app registration). */
    public void registerCertificate(String clientId, X509Certificate certificate) {
        certificates
                .computeIfAbsent(clientId, c -> new CopyOnWriteArrayList<>())
                .add(certificate);
    }

    /** Trusts {@code credential} for the application (Entra: a federated identity credential on the app registration). */
    public void registerFederatedCredential(String clientId, FederatedCredential credential) {
        federated.computeIfAbsent(clientId, c -> new CopyOnWriteArrayList<>()).add(credential);
    }

    /** The application's service principal in {@code directory}: it may now get tokens there. */
    public void addServicePrincipal(String directory, String clientId) {
        servicePrincipals
                .computeIfAbsent(directory, d -> ConcurrentHashMap.newKeySet())
                .add(clientId);
    }

    public void removeServicePrincipal(String directory, String clientId) {
        servicePrincipals.getOrDefault(directory, Set.of()).remove(clientId);
    }

    boolean knows(String directory) {
        return servicePrincipals.containsKey(directory);
    }

    boolean secretMatches(String clientId, String secret) {
        byte[] expected = secrets.get(clientId);
        return expected != null && MessageDigest.isEqual(expected, secret.getBytes(StandardCharsets.UTF_8));
    }

    List<X509Certificate> certificates(String clientId) {
        return certificates.getOrDefault(clientId, List.of());
    }

    List<FederatedCredential> federatedCredentials(String clientId) {
        return federated.getOrDefault(clientId, List.of());
    }

    boolean hasServicePrincipal(String directory, String clientId) {
        return servicePrincipals.getOrDefault(directory, Set.of()).contains(clientId);
    }
}
