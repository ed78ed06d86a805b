package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.kms.InvalidCiphertextException;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TenantKeyTest {
    private final TenantKey key = TenantKey.generate("tenant-a", 3);
    private final Dek dek = Dek.generate("tenant-a", Instant.now(), DekPolicy.DEFAULT);

    @Test
    void sealedForm_opensAsTheSameKey() {
        TenantKey back = TenantKey.fromSealedForm("tenant-a", 3, key.sealedForm());

        assertThat(back.unwrap("tenant-a", dek.id(), key.wrap(dek))).isEqualTo(dek.keyBytes());
    }

    @Test
    void sealedFormOfAnotherTenantOrVersion_doesNotOpen() {
        byte[] sealed = key.sealedForm();

        assertThatThrownBy(() -> TenantKey.fromSealedForm("tenant-b", 3, sealed))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> TenantKey.fromSealedForm("tenant-a", 4, sealed))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void alteredOrTruncatedSealedForm_doesNotOpen() {
        byte[] sealed = key.sealedForm();
        for (int i = 0; i < sealed.length - 32; i++) { // every header byte; the key bytes themselves are not checked
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            assertThatThrownBy(() -> TenantKey.fromSealedForm("tenant-a", 3, altered))
                    .isExactlyInstanceOf(InvalidCiphertextException.class);
        }
        assertThatThrownBy(() -> TenantKey.fromSealedForm("tenant-a", 3, Arrays.copyOf(sealed, sealed.length - 1)))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void wrapOfAnotherTenantsDek_isRefused_andItsUnwrapFails() {
        Dek other = Dek.generate("tenant-b", Instant.now(), DekPolicy.DEFAULT);
        WrappedDek.ManagedOnly wrapped = key.wrap(dek);

        assertThatThrownBy(() -> key.wrap(other)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key.unwrap("tenant-b", dek.id(), wrapped))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> key.unwrap("tenant-a", other.id(), wrapped))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void keyringWrap_isNotATenantKeyWrap() {
        WrappedDek.ManagedOnly underKeyring = TestKeyrings.oneVersion().wrap(dek);

        assertThatThrownBy(() -> TenantKey.generate("tenant-a", 1).unwrap("tenant-a", dek.id(), underKeyring))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void toString_namesNoKeyBytes() {
        assertThat(key).hasToString("TenantKey[tenant=tenant-a, version=3]");
    }
}
