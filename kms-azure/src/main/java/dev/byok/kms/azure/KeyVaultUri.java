package dev.byok.kms.azure;

import dev.byok.kms.KeyRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Key Vault key identifier URI as an admin gives it:
 * {@code https://{vault}.vault.azure.net/keys/{name}[/{version}]}, also in the China
 * ({@code vault.azure.cn}) and US Government ({@code vault.usgovcloudapi.net}) clouds and for
 * Managed HSM ({@code managedhsm.azure.net} and its sovereign forms). A local emulator's
 * {@code host:port} is accepted only when allow-listed in configuration. The version, if any, is
 * kept for display only: the service always uses the key's latest version.
 */
public record KeyVaultUri(KeyRef key, Optional<String> version) {
    public static final int MAX_LENGTH = 1024;
    static final List<String> CLOUD_SUFFIXES = List.of(
            ".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net",
            ".managedhsm.azure.net", ".managedhsm.azure.cn", ".managedhsm.usgovcloudapi.net");
    private static final String EXPECTED = "expected https://{vault}.vault.azure.net/keys/{name}[/{version}]"
            + " (or vault.azure.cn, vault.usgovcloudapi.net, managedhsm.azure.net)";
    private static final Pattern VAULT_NAME = Pattern.compile("[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]{1,64}");

    /**
     * Parses and checks an admin's key URI.
     *
     * @param allowedEmulatorHosts {@code host:port} entries of local emulators this deployment accepts (usually none)
     * @throws InvalidKeyUriException with a precise message when the URI cannot be used
     */
    public static KeyVaultUri parse(String input, Set<String> allowedEmulatorHosts) {
        if (input == null || input.isBlank()) {
            throw new InvalidKeyUriException("the key URI is empty; " + EXPECTED);
        }
        String text = input.trim();
        if (text.length() > MAX_LENGTH) {
            throw new InvalidKeyUriException("the key URI is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidKeyUriException("the key URI is not a valid URI (" + e.getReason() + "); " + EXPECTED);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidKeyUriException("the key URI must use https, not " + (uri.getScheme() == null ? "no scheme" : uri.getScheme()));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidKeyUriException("the key URI must not have a query string or fragment");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidKeyUriException("the key URI must not contain user information");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        URI vault = vaultBase(uri, host, allowedEmulatorHosts);
        String[] path = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
        if (path.length >= 2 && ("secrets".equals(path[1]) || "certificates".equals(path[1]))) {
            throw new InvalidKeyUriException("this URI identifies a " + path[1].substring(0, path[1].length() - 1)
                    + ", not a key: copy the key's Key Identifier (https://{vault}.../keys/{name})");
        }
        if (path.length < 3 || !"keys".equals(path[1]) || path[2].isEmpty()) {
            throw new InvalidKeyUriException("the URI names no key; " + EXPECTED);
        }
        if (path.length > 4) {
            throw new InvalidKeyUriException("the key URI has extra path segments; " + EXPECTED);
        }
        String name = path[2];
        if (!KEY_NAME.matcher(name).matches()) {
            throw new InvalidKeyUriException("the key name must be 1-127 characters of letters, digits and '-'");
        }
        Optional<String> version = path.length == 4 && !path[3].isEmpty() ? Optional.of(path[3]) : Optional.empty();
        if (version.isPresent() && !VERSION.matcher(version.get()).matches()) {
            throw new InvalidKeyUriException("the key version must be letters and digits (Key Vault versions are 32 hex characters)");
        }
        return new KeyVaultUri(new KeyRef(vault, name), version);
    }

    private static URI vaultBase(URI uri, String host, Set<String> allowedEmulatorHosts) {
        String hostPort = uri.getPort() == -1 ? host : host + ":" + uri.getPort();
        if (allowedEmulatorHosts.contains(hostPort)) {
            return URI.create("https://" + hostPort);
        }
        String suffix = CLOUD_SUFFIXES.stream().filter(host::endsWith).findFirst().orElse(null);
        if (suffix == null) {
            String hint = "localhost".equals(host) || "127.0.0.1".equals(host)
                    ? hostPort + " is not an allow-listed emulator host (byok.keyvault.allowed-emulator-hosts)"
                    : host + " is not an Azure Key Vault host";
            throw new InvalidKeyUriException(hint + "; " + EXPECTED);
        }
        String vaultName = host.substring(0, host.length() - suffix.length());
        if (!VAULT_NAME.matcher(vaultName).matches()) {
            throw new InvalidKeyUriException("'" + vaultName + "' is not a valid vault name"
                    + " (3-24 characters: letters, digits and single hyphens, starting with a letter)");
        }
        if (uri.getPort() != -1 && uri.getPort() != 443) {
            throw new InvalidKeyUriException("Azure Key Vault listens on port 443 only, not " + uri.getPort());
        }
        return URI.create("https://" + host);
    }

    @Override
    public String toString() {
        return key + version.map(v -> "/" + v).orElse("");
    }
}
