package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.kms.InvalidCiphertextException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedKeyringTest {
    private final Dek dek = Dek.generate("tenant-a", Instant.now(), DekPolicy.DEFAULT);

    @Test
    void newestVersion_wraps() {
        assertThat(TestKeyrings.twoVersions().wrap(dek).managedKeyVersion()).isEqualTo(2);
    }

    @Test
    void dekWrappedUnderOldVersion_stillUnwrapsAfterNewVersionIsAdded() {
        WrappedDek.ManagedOnly underV1 = TestKeyrings.oneVersion().wrap(dek);

        byte[] raw = TestKeyrings.twoVersions().unwrap("tenant-a", dek.id(), underV1);

        assertThat(raw).isEqualTo(dek.keyBytes());
    }

    @Test
    void unknownVersion_isAClearError() {
        WrappedDek.ManagedOnly underV2 = TestKeyrings.twoVersions().wrap(dek);

        assertThatThrownBy(() -> TestKeyrings.oneVersion().unwrap("tenant-a", dek.id(), underV2))
                .isInstanceOf(UnknownManagedKeyVersionException.class)
                .isInstanceOf(InvalidCiphertextException.class)
                .hasMessage("managed key version 2 is not in the keyring (configured versions: [1])");
    }

    @Test
    void wrappedDekMovedToAnotherTenant_fails() {
        WrappedDek.ManagedOnly wrapped = TestKeyrings.oneVersion().wrap(dek);

        assertThatThrownBy(() -> TestKeyrings.oneVersion().unwrap("tenant-b", dek.id(), wrapped))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void wrappedDekMovedToAnotherDekId_fails() {
        WrappedDek.ManagedOnly wrapped = TestKeyrings.oneVersion().wrap(dek);

        assertThatThrownBy(() -> TestKeyrings.oneVersion().unwrap("tenant-a", java.util.UUID.randomUUID(), wrapped))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void keyOfWrongLength_isRefusedNamingTheVersionOnly() {
        assertThatThrownBy(() -> ManagedKeyring.fromBase64(Map.of(3, "AAAA")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("managed key version 3 must be 32 bytes (AES-256), was 3");
    }

    @Test
    void invalidBase64_isRefused() {
        assertThatThrownBy(() -> ManagedKeyring.fromBase64(Map.of(1, "not base64!")))
                .hasMessage("managed key version 1 is not valid base64");
    }

    @Test
    void emptyKeyringOrVersionZero_isRefused() {
        assertThatThrownBy(() -> ManagedKeyring.fromBase64(Map.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ManagedKeyring.fromBase64(Map.of(0, TestKeyrings.key(0))))
                .hasMessageContaining("start at 1");
    }

    @Test
    void urlSafeBase64_isAccepted() {
        String urlSafe = TestKeyrings.key(250).replace('+', '-').replace('/', '_');

        assertThat(ManagedKeyring.fromBase64(Map.of(1, urlSafe)).versions()).containsExactly(1);
    }

    @Test
    void toString_listsVersionsOnly() {
        assertThat(TestKeyrings.twoVersions().toString()).isEqualTo("ManagedKeyring[versions=[1, 2]]");
    }

    @Test
    void oneLineConfiguration_parses_andErrorsNameVersionsOnly() {
        ManagedKeyring keyring = ManagedKeyring.parse("1:" + TestKeyrings.key(1) + ", 2:" + TestKeyrings.key(2));

        assertThat(keyring.versions()).containsExactly(1, 2);
        assertThatThrownBy(() -> ManagedKeyring.parse("")).hasMessageContaining("not configured");
        assertThatThrownBy(() -> ManagedKeyring.parse("x:" + TestKeyrings.key(1)))
                .hasMessage("a managed keyring version is not a number");
        assertThatThrownBy(() -> ManagedKeyring.parse("1:" + TestKeyrings.key(1) + ",1:" + TestKeyrings.key(2)))
                .hasMessage("managed key version 1 is configured twice");
    }
}
