package dev.byok.kms.azure;

import dev.byok.kms.KeyRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
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
    private static final String EXPECTED = "expected https://{vault}.vault.azure.net/keys/{name}[/{version}]"
            + " (or vault.azure.cn, vault.usgovcloudapi.net, managedhsm.azure.net)";
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]{1,64}");

    /**
     * Parses and checks an admin's key URI.
     *
     * @param hosts the hosts this deployment trusts (Azure clouds, allow-listed emulators)
     * @throws InvalidKeyUriException with a precise message when the URI cannot be used
     */
    public static KeyVaultUri parse(String input, KeyVaultHosts hosts) {
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
            throw new InvalidKeyUriException(
                    "the key URI must use https, not " + (uri.getScheme() == null ? "no scheme" : uri.getScheme()));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidKeyUriException("the key URI must not have a query string or fragment");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidKeyUriException("the key URI must not contain user information");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        URI vault = vaultBase(uri, host, hosts);
        String[] path =
                uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
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
            throw new InvalidKeyUriException(
                    "the key version must be letters and digits (Key Vault versions are 32 hex characters)");
        }
        return new KeyVaultUri(AzureKeyIds.key(vault, name), version);
    }

    private static URI vaultBase(URI uri, String host, KeyVaultHosts hosts) {
        String hostPort = uri.getPort() == -1 ? host : host + ":" + uri.getPort();
        hosts.problem(host, uri.getPort()).ifPresent(problem -> {
            throw new InvalidKeyUriException(
                    KeyVaultHosts.cloudSuffix(host).isEmpty() ? problem + "; " + EXPECTED : problem);
        });
        return URI.create(
                "https://" + (hosts.emulator(hostPort) ? hostPort : host)); // a cloud vault's port can only be 443
    }

    @Override
    public String toString() {
        return key + version.map(v -> "/" + v).orElse("");
    }
}
