package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Golden files pin the bytes of every format: the record envelope v1 and the wrapped DEK formats 1
 * (keyring) and 2 (tenant key). What was written once must stay readable and be written identically.
 * A deliberate format change means a new {@link EnvelopeVersion} or {@link WrappedDek.Format}, not new
 * golden files. To create them for a new version only, run with {@code -Dbyok.golden.write=true}.
 */
class GoldenFilesTest {
    private static final byte[] DEK_BYTES =
            HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final UUID DEK_ID = UUID.fromString("6f1b2d6c-0e4a-4c55-9a0b-2c1d3e4f5a6b");
    private static final String TENANT = "tenant-golden";
    private static final String KID = "https://contoso.vault.azure.net/keys/byok-key/4f0c2a9d1b7e4e5f8a6b3c2d1e0f9a8b";
    private static final byte[] NONCE = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final byte[] PLAINTEXT =
            "{\"schemaVersion\":1,\"eventId\":\"e-1\"}".getBytes(StandardCharsets.UTF_8);

    private final Dek dek =
            Dek.restore(DEK_ID, TENANT, DEK_BYTES.clone(), Instant.parse("2026-01-01T00:00:00Z"), DekPolicy.DEFAULT, 0);

    @Test
    void recordEnvelopeV1_isWrittenAndReadAsPinned() throws IOException {
        byte[] sealed = RecordEnvelope.sealWithNonce(dek, "record-1", PLAINTEXT, NONCE);

        byte[] golden = golden("record-envelope-v1.hex", sealed);

        assertThat(sealed).isEqualTo(golden);
        assertThat(RecordEnvelope.open(dek, dek.tenantId(), "record-1", golden)).isEqualTo(PLAINTEXT);
    }

    @Test
    void managedWrappedDekV1_isWrittenAndReadAsPinned() throws IOException {
        byte[] out = new byte[WrappedDek.MANAGED_WRAP_BYTES];
        System.arraycopy(NONCE, 0, out, 0, NONCE.length);
        byte[] wrapped = TestKeyrings.oneVersion().wrapWithNonce(dek, out).encode();

        byte[] golden = golden("wrapped-dek-managed-v1.hex", wrapped);

        assertThat(wrapped).isEqualTo(golden);
        WrappedDek.ManagedOnly parsed = (WrappedDek.ManagedOnly) WrappedDek.decode(golden);
        assertThat(TestKeyrings.oneVersion().unwrap(TENANT, DEK_ID, parsed)).isEqualTo(DEK_BYTES);
    }

    @Test
    void customerWrappedDekV1_layoutIsPinned() throws IOException {
        byte[] blob = new byte[256];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }

        assertLayoutPinned(
                "wrapped-dek-customer-v1.hex", new WrappedDek.CustomerWrapped(WrappedDek.Format.KEYRING, 1, KID, blob));
    }

    @Test
    void tenantKeyWrappedDekV2_isWrittenAndReadAsPinned() throws IOException {
        byte[] out = new byte[WrappedDek.MANAGED_WRAP_BYTES];
        System.arraycopy(NONCE, 0, out, 0, NONCE.length);
        TenantKey tenantKey = TestKeyrings.tenantKey(TENANT);
        byte[] wrapped = tenantKey.wrapWithNonce(TENANT, DEK_ID, DEK_BYTES, out).encode();

        byte[] golden = golden("wrapped-dek-managed-v2.hex", wrapped);

        assertThat(wrapped).isEqualTo(golden);
        WrappedDek.ManagedOnly parsed = (WrappedDek.ManagedOnly) WrappedDek.decode(golden);
        assertThat(parsed.format()).isEqualTo(WrappedDek.Format.TENANT_KEY);
        assertThat(tenantKey.unwrap(TENANT, DEK_ID, parsed)).isEqualTo(DEK_BYTES);
    }

    @Test
    void customerWrappedDekV2_layoutIsPinned() throws IOException {
        byte[] blob = new byte[256];
        Arrays.fill(blob, (byte) 0x5a);

        assertLayoutPinned(
                "wrapped-dek-customer-v2.hex",
                new WrappedDek.CustomerWrapped(WrappedDek.Format.TENANT_KEY, 1, KID, blob));
    }

    @Test
    void tenantKeySealedForm_isPinned() throws IOException {
        byte[] sealed = TestKeyrings.tenantKey(TENANT).sealedForm();

        byte[] golden = golden("tenant-key-sealed-v1.hex", sealed);

        assertThat(sealed).isEqualTo(golden);
        TenantKey back = TenantKey.fromSealedForm(TENANT, 1, golden);
        assertThat(back.sealedForm()).isEqualTo(sealed);
    }

    /** A customer-wrapped DEK is written exactly as pinned and read back equal. */
    private static void assertLayoutPinned(String name, WrappedDek.CustomerWrapped dek) throws IOException {
        byte[] golden = golden(name, dek.encode());

        assertThat(dek.encode()).isEqualTo(golden);
        assertThat(WrappedDek.decode(golden)).isEqualTo(dek);
    }

    private static byte[] golden(String name, byte[] current) throws IOException {
        if (Boolean.getBoolean("byok.golden.write")) {
            Files.writeString(
                    Path.of("src/test/resources/golden", name), HexFormat.of().formatHex(current) + "\n");
        }
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
