package dev.byok.kms.azure;

import dev.byok.kms.KeyIdFormat;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Azure Key Vault's key ids: {@code https://{vault-host}/keys/{name}/{version}}, the host in
 * lowercase. A key's vault is its base URI {@code https://{vault-host}}. This checks the shape
 * only; which hosts are trusted is {@link KeyVaultHosts}' decision, made before any call.
 */
public final class AzureKeyIds implements KeyIdFormat {
    public static final String PROVIDER = "azure-key-vault";

    /** The key {@code name} in the vault with base URI {@code vault} ({@code https://host[:port]}). */
    public static KeyRef key(URI vault, String name) {
        return new KeyRef(PROVIDER, vault.toString(), name);
    }

    /** The vault base URI of an Azure key. */
    public static URI vaultUri(KeyRef key) {
        return URI.create(key.vault());
    }

    /** The vault's host (and port, for an emulator), for messages. */
    static String host(KeyRef key) {
        return vaultUri(key).getRawAuthority();
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Optional<KeyVersionId> parse(String id) {
        URI uri;
        try {
            uri = new URI(id);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String[] path =
                uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
        if (!"https".equals(uri.getScheme())
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getHost() == null
                || path.length != 4
                || !path[0].isEmpty()
                || !"keys".equals(path[1])
                || path[2].isEmpty()
                || path[3].isEmpty()) {
            return Optional.empty();
        }
        try {
            URI vault = new URI("https", null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), null, null, null);
            return Optional.of(key(vault, path[2]).version(path[3]));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public String format(KeyVersionId id) {
        return format(id.key()) + "/" + id.version();
    }

    @Override
    public String format(KeyRef key) {
        return key.vault() + "/keys/" + key.name();
    }
}
