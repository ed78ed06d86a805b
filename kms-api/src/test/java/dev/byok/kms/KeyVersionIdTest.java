package dev.byok.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Key ids are opaque to the service: the installed provider whose syntax they have reads them. */
class KeyVersionIdTest {

    @Test
    void anInstalledProvidersId_roundTripsThroughItsText() {
        KeyVersionId id = new KeyRef(InMemoryKeyIds.PROVIDER, "vault-1", "byok").version("v7");

        assertThat(id.toString()).isEqualTo("in-memory://vault-1/byok/v7");
        assertThat(KeyVersionId.parse(id.toString())).isEqualTo(id);
        assertThat(id.key().toString()).isEqualTo("in-memory://vault-1/byok");
    }

    @Test
    void textNoInstalledProviderReads_isRefused() {
        assertThatThrownBy(() -> KeyVersionId.parse("gcp-kms://projects/p/keyRings/r/cryptoKeys/k/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("any installed KMS provider");
    }

    @Test
    void overLongOrNonAsciiIds_areRefusedBeforeAnyProviderSeesThem() {
        String tooLong = "in-memory://v/k/" + "a".repeat(KeyVersionId.MAX_LENGTH);

        assertThatThrownBy(() -> KeyVersionId.parse(tooLong)).hasMessageContaining("longer than 1024");
        assertThatThrownBy(() -> KeyVersionId.parse("in-memory://v/k/v\u00e9")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> KeyVersionId.parse("in-memory://v/k/v 1")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> KeyVersionId.parse(null)).hasMessageContaining("missing");
    }

    @Test
    void aKeyOfAProviderThatIsNotInstalled_cannotBeWritten() {
        KeyVersionId foreign = new KeyRef("aws-kms", "eu-west-1", "k").version("1");

        assertThatThrownBy(foreign::toString)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no KMS provider 'aws-kms'");
    }
}
