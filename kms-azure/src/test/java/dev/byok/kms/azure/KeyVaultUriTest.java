package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyVaultUriTest {
    private static final KeyVaultHosts NO_EMULATOR = new KeyVaultHosts(Set.of());

    @ParameterizedTest
    @CsvSource({
        "https://contoso.vault.azure.net/keys/byok, https://contoso.vault.azure.net",
        "https://contoso.vault.azure.cn/keys/byok, https://contoso.vault.azure.cn",
        "https://contoso.vault.usgovcloudapi.net/keys/byok, https://contoso.vault.usgovcloudapi.net",
        "https://contoso-hsm.managedhsm.azure.net/keys/byok, https://contoso-hsm.managedhsm.azure.net",
        "https://contoso-hsm.managedhsm.azure.cn/keys/byok, https://contoso-hsm.managedhsm.azure.cn",
        "https://contoso-hsm.managedhsm.usgovcloudapi.net/keys/byok, https://contoso-hsm.managedhsm.usgovcloudapi.net",
        "HTTPS://Contoso.Vault.Azure.NET/keys/byok, https://contoso.vault.azure.net"
    })
    void everyCloudAndManagedHsm_isAccepted(String input, String vault) {
        KeyVaultUri uri = KeyVaultUri.parse(input, NO_EMULATOR);

        assertThat(AzureKeyIds.vaultUri(uri.key())).isEqualTo(URI.create(vault));
        assertThat(uri.key().name()).isEqualTo("byok");
        assertThat(uri.version()).isEmpty();
    }

    @Test
    void versionedUri_keepsTheVersionForDisplayOnly() {
        KeyVaultUri uri = KeyVaultUri.parse(
                "https://contoso.vault.azure.net/keys/byok/4f0c2a9d1b7e4e5f8a6b3c2d1e0f9a8b", NO_EMULATOR);

        assertThat(uri.version()).contains("4f0c2a9d1b7e4e5f8a6b3c2d1e0f9a8b");
        assertThat(uri.key().toString()).isEqualTo("https://contoso.vault.azure.net/keys/byok");
    }

    @Test
    void trailingSlash_isAccepted() {
        assertThat(KeyVaultUri.parse("https://contoso.vault.azure.net/keys/byok/", NO_EMULATOR)
                        .version())
                .isEqualTo(Optional.empty());
    }

    @Test
    void allowListedEmulatorHost_isAccepted_withItsPort() {
        KeyVaultUri uri = KeyVaultUri.parse(
                "https://byok.vault.localhost:8443/keys/byok", new KeyVaultHosts(Set.of("byok.vault.localhost:8443")));

        assertThat(AzureKeyIds.vaultUri(uri.key())).isEqualTo(URI.create("https://byok.vault.localhost:8443"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://contoso.vault.azure.net/keys/byok | the key URI must use https, not http",
                "https://contoso.example.com/keys/byok | contoso.example.com is not an Azure Key Vault host",
                "https://localhost:8443/keys/byok | localhost:8443 is not an allow-listed emulator host",
                "https://contoso.vault.azure.net/secrets/byok | this URI identifies a secret, not a key",
                "https://contoso.vault.azure.net/certificates/byok | this URI identifies a certificate, not a key",
                "https://contoso.vault.azure.net/keys/ | the URI names no key",
                "https://contoso.vault.azure.net/ | the URI names no key",
                "https://contoso.vault.azure.net/keys/byok?api-version=7.4 | must not have a query string or fragment",
                "https://contoso.vault.azure.net/keys/byok#x | must not have a query string or fragment",
                "https://contoso.vault.azure.net/keys/byok/v1/extra | the key URI has extra path segments",
                "https://contoso.vault.azure.net/keys/by_ok | the key name must be 1-127 characters",
                "https://contoso.vault.azure.net/keys/byok/not-hex! | the key version must be letters and digits",
                "https://contoso.vault.azure.net/keys/by ok | not a valid URI",
                "https://co.vault.azure.net/keys/byok | is not a valid vault name",
                "https://contoso.vault.azure.net:8443/keys/byok | Azure Key Vault listens on port 443 only",
                "https://user@contoso.vault.azure.net/keys/byok | must not contain user information",
                "contoso.vault.azure.net/keys/byok | the key URI must use https, not no scheme"
            })
    void badUri_isRefusedWithAPreciseMessage(String input, String message) {
        assertThatThrownBy(() -> KeyVaultUri.parse(input, NO_EMULATOR))
                .isInstanceOf(InvalidKeyUriException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyUri_isRefused(String input) {
        assertThatThrownBy(() -> KeyVaultUri.parse(input, NO_EMULATOR)).hasMessageStartingWith("the key URI is empty");
    }

    @Test
    void overlongUri_isRefused() {
        String input = "https://contoso.vault.azure.net/keys/" + "a".repeat(1100);

        assertThatThrownBy(() -> KeyVaultUri.parse(input, NO_EMULATOR)).hasMessageContaining("longer than 1024");
    }
}
