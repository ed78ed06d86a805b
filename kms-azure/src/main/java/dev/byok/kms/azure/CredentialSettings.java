package dev.byok.kms.azure;

import java.util.Objects;
import java.util.Optional;

/**
 * Which identity the service uses towards Key Vault.
 *
 * @param kind         {@code DEFAULT} (DefaultAzureCredential chain), {@code CLIENT_SECRET},
 *                     {@code CLIENT_CERTIFICATE}, {@code WORKLOAD_IDENTITY}, {@code MANAGED_IDENTITY},
 *                     or {@code STATIC_TOKEN} (a fixed bearer token: the emulator only)
 * @param tenantId     Entra tenant, for client secret / certificate
 * @param clientId     application (client) id; for managed identity, a user-assigned identity's client id
 * @param secret       the client secret, or the static token
 * @param certificatePath PEM or PFX certificate, for client certificate
 * @param authorityHost   Entra's sign-in host when it is not the public cloud's (a sovereign cloud, or
 *                        the emulator's sign-in); instance discovery is then disabled
 * @param federatedTokenFile for workload identity, the federated token (e.g. the Kubernetes service
 *                        account token) when not named by {@code AZURE_FEDERATED_TOKEN_FILE}
 */
public record CredentialSettings(
        Kind kind,
        Optional<String> tenantId,
        Optional<String> clientId,
        Optional<String> secret,
        Optional<String> certificatePath,
        Optional<String> authorityHost,
        Optional<String> federatedTokenFile) {
    public enum Kind {
        DEFAULT,
        CLIENT_SECRET,
        CLIENT_CERTIFICATE,
        WORKLOAD_IDENTITY,
        MANAGED_IDENTITY,
        STATIC_TOKEN
    }

    public CredentialSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(certificatePath, "certificatePath");
        Objects.requireNonNull(authorityHost, "authorityHost");
        Objects.requireNonNull(federatedTokenFile, "federatedTokenFile");
    }

    /** The client-secret credential of an application, signing in at {@code authorityHost}. */
    public static CredentialSettings clientSecret(
            String tenantId, String clientId, String secret, String authorityHost) {
        return new CredentialSettings(
                Kind.CLIENT_SECRET,
                Optional.of(tenantId),
                Optional.of(clientId),
                Optional.of(secret),
                Optional.empty(),
                Optional.of(authorityHost),
                Optional.empty());
    }

    /** The workload-identity credential of an application: its federated token exchanged at {@code authorityHost}. */
    public static CredentialSettings workloadIdentity(
            String tenantId, String clientId, String tokenFile, String authorityHost) {
        return new CredentialSettings(
                Kind.WORKLOAD_IDENTITY,
                Optional.of(tenantId),
                Optional.of(clientId),
                Optional.empty(),
                Optional.empty(),
                Optional.of(authorityHost),
                Optional.of(tokenFile));
    }

    /**
     * The same identity signing in to the customer's {@code directory}, as the multi-tenant BYOK
     * application: client secret, certificate and workload identity change their tenant; the static
     * token (emulator only) names its directory itself. A managed identity or the default chain
     * signs in only in its own directory.
     */
    public CredentialSettings inDirectory(String directory) {
        if (tenantId.filter(directory::equals).isPresent() || kind == Kind.STATIC_TOKEN) {
            return this;
        }
        if (kind == Kind.MANAGED_IDENTITY || kind == Kind.DEFAULT) {
            throw new IllegalArgumentException(
                    "the " + kind + " credential signs in only in its own directory; keys in a customer's"
                            + " directory need the BYOK application's CLIENT_SECRET, CLIENT_CERTIFICATE or WORKLOAD_IDENTITY credential");
        }
        return new CredentialSettings(
                kind, Optional.of(directory), clientId, secret, certificatePath, authorityHost, federatedTokenFile);
    }

    public static CredentialSettings staticToken(String token) {
        return new CredentialSettings(
                Kind.STATIC_TOKEN,
                Optional.empty(),
                Optional.empty(),
                Optional.of(token),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public static CredentialSettings defaultChain() {
        Optional<String> none = Optional.empty();
        return new CredentialSettings(Kind.DEFAULT, none, none, none, none, none, none);
    }

    @Override
    public String toString() {
        return "CredentialSettings[kind=" + kind + ", tenantId=" + tenantId.orElse("-") + ", clientId="
                + clientId.orElse("-") + ", authorityHost=" + authorityHost.orElse("-") + "]";
    }
}
