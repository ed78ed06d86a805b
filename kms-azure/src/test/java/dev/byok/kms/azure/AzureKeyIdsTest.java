package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyVersionId;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Azure key ids as stored in v1 DEKs and events: read as provider azure-key-vault, written back unchanged. */
class AzureKeyIdsTest {

    @Test
    void aStoredKeyId_isAzuresAndRoundTrips() {
        String stored = "https://contoso.vault.azure.net/keys/byok/0123456789abcdef";

        KeyVersionId id = KeyVersionId.parse(stored);

        assertThat(id.key().provider()).isEqualTo(AzureKeyIds.PROVIDER);
        assertThat(id.key().vault()).isEqualTo("https://contoso.vault.azure.net");
        assertThat(id.key().name()).isEqualTo("byok");
        assertThat(id.version()).isEqualTo("0123456789abcdef");
        assertThat(id.toString()).isEqualTo(stored);
        assertThat(id.key().toString()).isEqualTo("https://contoso.vault.azure.net/keys/byok");
    }

    @Test
    void theHostIsCanonicalInLowercase_andAnEmulatorsPortIsKept() {
        assertThat(KeyVersionId.parse("https://Contoso.Vault.Azure.NET/keys/k/1")
                        .toString())
                .isEqualTo("https://contoso.vault.azure.net/keys/k/1");
        assertThat(AzureKeyIds.vaultUri(KeyVersionId.parse("https://byok.vault.localhost:8443/keys/k/1")
                        .key()))
                .isEqualTo(URI.create("https://byok.vault.localhost:8443"));
    }

    @Test
    void otherShapes_areNoAzureKeyIds() {
        for (String text : new String[] {
            "http://contoso.vault.azure.net/keys/k/1",
            "https://contoso.vault.azure.net/keys/k",
            "https://contoso.vault.azure.net/secrets/k/1",
            "https://contoso.vault.azure.net/keys/k/1/extra",
            "https://contoso.vault.azure.net/keys/k/1?x=1",
            "https://user@contoso.vault.azure.net/keys/k/1",
            "https:///keys/k/1"
        }) {
            assertThat(new AzureKeyIds().parse(text)).as(text).isEmpty();
            assertThatThrownBy(() -> KeyVersionId.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStoredDekNamingItsKeyInAnotherSpelling_isRefusedAsAltered() {
        String altered = "https://Contoso.vault.azure.net/keys/byok/0123456789abcdef";
        var dek = new WrappedDek.CustomerWrapped(WrappedDek.Format.TENANT_KEY, 1, altered, new byte[256]);

        assertThatThrownBy(() -> KeyHierarchy.customerKey(dek)).isInstanceOf(InvalidCiphertextException.class);
        assertThat(KeyHierarchy.customerKey(new WrappedDek.CustomerWrapped(
                        WrappedDek.Format.TENANT_KEY, 1, altered.toLowerCase(), new byte[256])))
                .isEqualTo(KeyVersionId.parse(altered));
    }
}
