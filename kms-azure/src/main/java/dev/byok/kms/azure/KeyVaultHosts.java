package dev.byok.kms.azure;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts a key may live on: Azure Key Vault and Managed HSM in the public, China and US
 * Government clouds, plus the {@code host:port} of local emulators a deployment allow-lists (none in
 * production). The one place that decides; the service's token is never sent anywhere else.
 */
public final class KeyVaultHosts {
    static final List<String> CLOUD_SUFFIXES = List.of(
            ".vault.azure.net",
            ".vault.azure.cn",
            ".vault.usgovcloudapi.net",
            ".managedhsm.azure.net",
            ".managedhsm.azure.cn",
            ".managedhsm.usgovcloudapi.net");
    private static final Pattern VAULT_NAME = Pattern.compile("[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]");

    private final Set<String> emulatorHosts;

    public KeyVaultHosts(Set<String> emulatorHosts) {
        this.emulatorHosts = Set.copyOf(emulatorHosts);
    }

    /** Whether a vault base URI (as {@link AzureKeyIds#vaultUri} gives it) names a trusted host. */
    public boolean trusted(URI vault) {
        return "https".equals(vault.getScheme())
                && vault.getRawUserInfo() == null
                && problem(vault.getHost() == null ? "" : vault.getHost().toLowerCase(Locale.ROOT), vault.getPort())
                        .isEmpty();
    }

    /** Whether {@code host:port} is an allow-listed emulator. */
    boolean emulator(String hostPort) {
        return emulatorHosts.contains(hostPort);
    }

    /** A loopback name ({@code localhost} or under it): where an emulator, never Azure, answers. */
    static boolean local(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    /** The Azure cloud domain {@code host} ends with, if any. */
    static Optional<String> cloudSuffix(String host) {
        return CLOUD_SUFFIXES.stream().filter(host::endsWith).findFirst();
    }

    /** Why {@code host} and {@code port} (-1: none) cannot be a vault, or empty when they can. */
    Optional<String> problem(String host, int port) {
        String hostPort = port == -1 ? host : host + ":" + port;
        if (emulator(hostPort)) {
            return Optional.empty();
        }
        String suffix = cloudSuffix(host).orElse(null);
        if (suffix == null) {
            return Optional.of(
                    local(host) || "127.0.0.1".equals(host)
                            ? hostPort + " is not an allow-listed emulator host (byok.keyvault.allowed-emulator-hosts)"
                            : host + " is not an Azure Key Vault host");
        }
        String vaultName = host.substring(0, host.length() - suffix.length());
        if (!VAULT_NAME.matcher(vaultName).matches()) {
            return Optional.of("'" + vaultName + "' is not a valid vault name"
                    + " (3-24 characters: letters, digits and single hyphens, starting with a letter)");
        }
        if (port != -1 && port != 443) {
            return Optional.of("Azure Key Vault listens on port 443 only, not " + port);
        }
        return Optional.empty();
    }
}
