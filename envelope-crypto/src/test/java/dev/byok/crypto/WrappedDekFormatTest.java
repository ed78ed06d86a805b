package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.kms.InMemoryKeyIds;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyRef;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WrappedDekFormatTest {
    private static final String KID = "https://contoso.vault.azure.net/keys/byok/0123456789abcdef";
    private final WrappedDek.ManagedOnly managed =
            new WrappedDek.ManagedOnly(WrappedDek.Format.TENANT_KEY, 3, filled(60, 7));
    private final WrappedDek.CustomerWrapped customer =
            new WrappedDek.CustomerWrapped(WrappedDek.Format.TENANT_KEY, 3, KID, filled(256, 9));

    @Test
    void managedOnly_encodesAndDecodes() {
        assertThat(WrappedDek.decode(managed.encode())).isEqualTo(managed);
        assertThat(managed.encode()).hasSize(66);
    }

    @Test
    void customerWrapped_encodesAndDecodes() {
        assertThat(WrappedDek.decode(customer.encode())).isEqualTo(customer);
    }

    @Test
    void truncated_fails() {
        byte[] bytes = customer.encode();
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> WrappedDek.decode(cut)).isExactlyInstanceOf(InvalidCiphertextException.class);
        }
    }

    @Test
    void trailingBytes_fail() {
        byte[] bytes = Arrays.copyOf(managed.encode(), 67);

        assertThatThrownBy(() -> WrappedDek.decode(bytes)).isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void overLongKidLength_fails() {
        byte[] bytes = customer.encode();
        ByteBuffer.wrap(bytes).putShort(6, (short) 0xFFFF);

        assertThatThrownBy(() -> WrappedDek.decode(bytes)).isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void overLongBlobLength_fails() {
        byte[] bytes = customer.encode();
        int blobLengthOffset = 6 + 2 + KID.toString().length();
        ByteBuffer.wrap(bytes).putShort(blobLengthOffset, (short) 1025);

        assertThatThrownBy(() -> WrappedDek.decode(bytes)).isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void unknownVersionOrLayer_fails() {
        byte[] badVersion = managed.encode();
        badVersion[0] = 9;
        byte[] badLayer = managed.encode();
        badLayer[5] = 2;

        assertThatThrownBy(() -> WrappedDek.decode(badVersion)).isExactlyInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> WrappedDek.decode(badLayer)).isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void aKidThatIsNotPrintableAscii_fails() {
        byte[] bytes = customer.encode();
        bytes[8] = 0x7f;

        assertThatThrownBy(() -> WrappedDek.decode(bytes)).isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void anAlteredKid_decodes_butNamesNoKeyOfAnInstalledProvider() {
        String kid = new KeyRef(InMemoryKeyIds.PROVIDER, "vault-1", "byok")
                .version("v1")
                .toString();
        byte[] bytes = new WrappedDek.CustomerWrapped(WrappedDek.Format.TENANT_KEY, 3, kid, filled(256, 9)).encode();
        bytes[8] = 'x'; // "in-memory" -> "xn-memory"

        WrappedDek.CustomerWrapped altered = (WrappedDek.CustomerWrapped) WrappedDek.decode(bytes);
        assertThat(altered.customerKeyId()).startsWith("xn-memory://");
        assertThatThrownBy(() -> KeyHierarchy.customerKey(altered))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void toString_showsNoBytes() {
        assertThat(customer.toString())
                .isEqualTo("CustomerWrapped[format=TENANT_KEY, managedKeyVersion=3, customerKeyId=" + KID + "]");
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
