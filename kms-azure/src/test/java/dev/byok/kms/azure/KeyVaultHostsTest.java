package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyVaultHostsTest {
    private final KeyVaultHosts hosts = new KeyVaultHosts(Set.of("byok.vault.localhost:8443"));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://contoso.vault.azure.net",
                "https://contoso.vault.azure.cn",
                "https://contoso.vault.usgovcloudapi.net",
                "https://contoso-hsm.managedhsm.azure.net",
                "https://contoso.vault.azure.net:443",
                "https://byok.vault.localhost:8443"
            })
    void vaultsOfTheAzureCloudsAndAllowListedEmulators_areTrusted(String vault) {
        assertThat(hosts.trusted(URI.create(vault))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://attacker.example.com",
                "https://contoso.vault.azure.net.attacker.example.com",
                "https://vault.azure.net",
                "http://contoso.vault.azure.net",
                "https://contoso.vault.azure.net:8443",
                "https://byok.vault.localhost:9443",
                "https://byok.vault.localhost",
                "https://localhost:8443",
                "https://127.0.0.1:8443",
                "https://user@contoso.vault.azure.net",
                "https://co.vault.azure.net"
            })
    void anyOtherHost_isNotTrusted(String vault) {
        assertThat(hosts.trusted(URI.create(vault))).isFalse();
    }

    @Test
    void emulatorHosts_needTheEmulatorsCredential_andItNeedsThem() {
        AzureKmsSettings withEmulator = AzureKmsSettings.DEFAULTS.withEmulator("byok.vault.localhost:8443", "pem");

        CredentialSettings emulatorSignIn =
                CredentialSettings.clientSecret("t", "c", "s", "https://login.vault.localhost:8444");
        CredentialSettings entraSignIn =
                CredentialSettings.clientSecret("t", "c", "s", "https://login.microsoftonline.com");

        withEmulator.requireFits(CredentialSettings.staticToken("token"));
        withEmulator.requireFits(emulatorSignIn);
        AzureKmsSettings.DEFAULTS.requireFits(CredentialSettings.defaultChain());
        AzureKmsSettings.DEFAULTS.requireFits(entraSignIn);
        assertThatThrownBy(() -> withEmulator.requireFits(entraSignIn))
                .hasMessageContaining("a production identity's token must not reach an emulator");
        assertThatThrownBy(() -> withEmulator.requireFits(CredentialSettings.defaultChain()))
                .hasMessageContaining("a production identity's token must not reach an emulator");
        assertThatThrownBy(() -> AzureKmsSettings.DEFAULTS.requireFits(CredentialSettings.staticToken("token")))
                .hasMessageContaining("for the Key Vault emulator only");
    }
}
