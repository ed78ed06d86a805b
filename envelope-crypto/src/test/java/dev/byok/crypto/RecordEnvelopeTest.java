package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.kms.InvalidCiphertextException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordEnvelopeTest {
    private static final byte[] PLAINTEXT = "{\"actor\":\"alice@contoso.com\"}".getBytes(StandardCharsets.UTF_8);
    private final Dek dek = Dek.generate("tenant-a", Instant.now(), DekPolicy.DEFAULT);

    @Test
    void sealThenOpen_returnsThePlaintext() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);

        assertThat(RecordEnvelope.open(dek, dek.tenantId(), "event-1", envelope))
                .isEqualTo(PLAINTEXT);
        assertThat(RecordEnvelope.dekId(envelope)).isEqualTo(dek.id());
        assertThat(envelope).hasSize(RecordEnvelope.HEADER_BYTES + PLAINTEXT.length + 16);
    }

    @Test
    void emptyPlaintext_roundTrips() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", new byte[0]);

        assertThat(RecordEnvelope.open(dek, dek.tenantId(), "event-1", envelope))
                .isEmpty();
    }

    @Test
    void sameRecordSealedTwice_usesDifferentNonces() {
        byte[] first = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        byte[] second = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);

        assertThat(Arrays.copyOfRange(first, 17, 29)).isNotEqualTo(Arrays.copyOfRange(second, 17, 29));
    }

    @Test
    void noncesStayDistinct_acrossTheBlocksTheyAreDrawnIn() {
        Set<String> nonces = new HashSet<>();
        int records = 5_000; // ~20 blocks of drawn nonces on this thread
        for (int i = 0; i < records; i++) {
            byte[] envelope = RecordEnvelope.seal(dek, "event-" + i, PLAINTEXT);
            nonces.add(HexFormat.of().formatHex(envelope, 17, 29));
        }

        assertThat(nonces).hasSize(records);
    }

    @Test
    void ciphertextDoesNotContainThePlaintext() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);

        assertThat(new String(envelope, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
    }

    @Test
    void corruptedCiphertext_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        envelope[RecordEnvelope.HEADER_BYTES + 3] ^= 0x40;

        assertInvalid(envelope, dek, "event-1");
    }

    @Test
    void corruptedTag_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        envelope[envelope.length - 1] ^= 0x01;

        assertInvalid(envelope, dek, "event-1");
    }

    @Test
    void corruptedNonce_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        envelope[20] ^= 0x01;

        assertInvalid(envelope, dek, "event-1");
    }

    @Test
    void truncated_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);

        assertInvalid(Arrays.copyOf(envelope, envelope.length - 1), dek, "event-1");
        assertInvalid(Arrays.copyOf(envelope, 10), dek, "event-1");
        assertInvalid(new byte[0], dek, "event-1");
    }

    @Test
    void overLongLengthField_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        ByteBuffer.wrap(envelope).putInt(29, Integer.MAX_VALUE);

        assertInvalid(envelope, dek, "event-1");
    }

    @Test
    void lengthFieldDisagreeingWithBytes_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        byte[] extended = Arrays.copyOf(envelope, envelope.length + 1);

        assertInvalid(extended, dek, "event-1");
    }

    @Test
    void wrongTenant_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        Dek sameKeyOtherTenant =
                Dek.restore(dek.id(), "tenant-b", dek.keyBytes(), dek.createdAt(), DekPolicy.DEFAULT, 0);

        assertInvalid(envelope, sameKeyOtherTenant, "event-1");
    }

    @Test
    void anotherTenantsDekAndEnvelope_neverOpenAsThisTenantsRecord() {
        Dek tenantB = Dek.generate("tenant-b", Instant.now(), DekPolicy.DEFAULT);
        byte[] envelopeOfB =
                RecordEnvelope.seal(tenantB, "event-1", PLAINTEXT); // copied into a row of tenant-a, same event id

        assertThatThrownBy(() -> RecordEnvelope.open(tenantB, "tenant-a", "event-1", envelopeOfB))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
        Dek relabelled =
                Dek.restore(tenantB.id(), "tenant-a", tenantB.keyBytes(), tenantB.createdAt(), DekPolicy.DEFAULT, 0);
        assertThatThrownBy(() -> RecordEnvelope.open(relabelled, "tenant-a", "event-1", envelopeOfB))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void wrongRecordId_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);

        assertInvalid(envelope, dek, "event-2");
    }

    @Test
    void otherDek_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        Dek other = Dek.generate("tenant-a", Instant.now(), DekPolicy.DEFAULT);

        assertInvalid(envelope, other, "event-1");
    }

    @Test
    void dekIdRewrittenToAnotherDek_fails() {
        Dek other = Dek.generate("tenant-a", Instant.now(), DekPolicy.DEFAULT);
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        ByteBuffer.wrap(envelope)
                .putLong(1, other.id().getMostSignificantBits())
                .putLong(9, other.id().getLeastSignificantBits());

        assertInvalid(envelope, other, "event-1");
    }

    @Test
    void unknownVersion_fails() {
        byte[] envelope = RecordEnvelope.seal(dek, "event-1", PLAINTEXT);
        envelope[0] = 2;

        assertInvalid(envelope, dek, "event-1");
        assertThatThrownBy(() -> RecordEnvelope.dekId(envelope)).isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void oversizePlaintext_isRefused() {
        byte[] huge = new byte[RecordEnvelope.MAX_PLAINTEXT_BYTES + 1];

        assertThatThrownBy(() -> RecordEnvelope.seal(dek, "event-1", huge))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dekAtItsRecordBound_refusesToSeal() {
        Dek small = Dek.generate("tenant-a", Instant.now(), new DekPolicy(2, Duration.ofHours(1)));
        RecordEnvelope.seal(small, "1", PLAINTEXT);
        RecordEnvelope.seal(small, "2", PLAINTEXT);

        assertThat(small.usableAt(Instant.now())).isFalse();
        assertThatThrownBy(() -> RecordEnvelope.seal(small, "3", PLAINTEXT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bound of 2 records");
        assertThat(small.recordsSealed()).isEqualTo(2);
    }

    @Test
    void dekToString_hidesTheKey() {
        assertThat(dek.toString()).contains(dek.id().toString()).doesNotContain(Arrays.toString(dek.keyBytes()));
    }

    private static void assertInvalid(byte[] envelope, Dek dek, String recordId) {
        assertThatThrownBy(() -> RecordEnvelope.open(dek, dek.tenantId(), recordId, envelope))
                .isExactlyInstanceOf(InvalidCiphertextException.class)
                .hasMessage("invalid ciphertext");
    }

    @Test
    void recordIdWithNonAsciiCharacters_roundTrips() {
        String recordId = "évènement-" + UUID.randomUUID();
        byte[] envelope = RecordEnvelope.seal(dek, recordId, PLAINTEXT);

        assertThat(RecordEnvelope.open(dek, dek.tenantId(), recordId, envelope)).isEqualTo(PLAINTEXT);
    }
}
