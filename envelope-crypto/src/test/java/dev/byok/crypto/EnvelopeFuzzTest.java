package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.kms.InMemoryKms;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * At least 10 000 random mutations of stored bytes (record envelope, managed-only and
 * customer-wrapped DEKs): none decrypts, and the only failure is {@link InvalidCiphertextException}
 * (or "key not found" when the mutation rewrote the stored customer key id into another key's id).
 */
class EnvelopeFuzzTest {
    private static final int MUTATIONS = 10_000;
    private static final byte[] PLAINTEXT =
            "{\"actor\":\"bob@contoso.com\",\"activityType\":\"file.share\"}".getBytes();

    private final InMemoryKms kms = new InMemoryKms();
    private final KeyVersionId customerKey = KmsFutures.join(kms.resolveLatest(kms.createKey("fuzz")));
    private final KeyHierarchy hierarchy =
            new KeyHierarchy(TestKeyrings.twoVersions(), TestKeyrings.tenantKey("tenant-fuzz"), kms);
    private final Dek dek = Dek.generate("tenant-fuzz", Instant.now(), DekPolicy.DEFAULT);
    private final byte[] envelope = RecordEnvelope.seal(dek, "record-1", PLAINTEXT);
    private final byte[] managedDek =
            KmsFutures.join(hierarchy.wrap(dek, Optional.empty())).encode();
    private final byte[] customerDek =
            KmsFutures.join(hierarchy.wrap(dek, Optional.of(customerKey))).encode();

    @Test
    void randomMutations_neverDecrypt_andOnlyFailAsInvalidCiphertext() {
        Random random = new Random(20261128L);
        int invalid = 0;
        int keyNotFound = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            int target = i % 4;
            byte[] original = target < 2 ? envelope : target == 2 ? managedDek : customerDek;
            byte[] mutated = mutate(original, random);
            try {
                byte[] result = target < 2
                        ? RecordEnvelope.open(dek, dek.tenantId(), "record-1", mutated)
                        : openWithDek(mutated);
                throw new AssertionError("mutation " + i + " decrypted: " + Arrays.toString(result));
            } catch (InvalidCiphertextException e) {
                invalid++;
            } catch (KmsException e) {
                assertThat(e.failure()).as("mutation %d", i).isEqualTo(KeyAccessFailure.KEY_NOT_FOUND);
                assertThat(WrappedDek.decode(mutated))
                        .isInstanceOfSatisfying(
                                WrappedDek.CustomerWrapped.class,
                                c -> assertThat(c.customerKeyId()).isNotEqualTo(customerKey.toString()));
                keyNotFound++;
            }
        }
        assertThat(invalid + keyNotFound).isEqualTo(MUTATIONS);
        assertThat(invalid).isGreaterThan(MUTATIONS * 9 / 10);
    }

    private byte[] openWithDek(byte[] wrappedDek) {
        WrappedDek parsed = WrappedDek.decode(wrappedDek);
        Dek recovered = KmsFutures.join(
                hierarchy.unwrap(dek.id(), "tenant-fuzz", dek.createdAt(), DekPolicy.DEFAULT, 0, parsed));
        return RecordEnvelope.open(recovered, recovered.tenantId(), "record-1", envelope);
    }

    /** One random mutation that really changes the bytes. */
    static byte[] mutate(byte[] original, Random random) {
        while (true) {
            byte[] out = switch (random.nextInt(6)) {
                case 0 -> flipBit(original, random);
                case 1 -> setByte(original, random);
                case 2 -> Arrays.copyOf(original, random.nextInt(original.length));
                case 3 -> extend(original, random);
                case 4 -> insert(original, random);
                default -> delete(original, random);
            };
            if (!Arrays.equals(out, original)) {
                return out;
            }
        }
    }

    private static byte[] flipBit(byte[] in, Random random) {
        byte[] out = in.clone();
        out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private static byte[] setByte(byte[] in, Random random) {
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        return out;
    }

    private static byte[] extend(byte[] in, Random random) {
        byte[] out = Arrays.copyOf(in, in.length + 1 + random.nextInt(32));
        for (int i = in.length; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] insert(byte[] in, Random random) {
        int at = random.nextInt(in.length + 1);
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = (byte) random.nextInt(256);
        System.arraycopy(in, at, out, at + 1, in.length - at);
        return out;
    }

    private static byte[] delete(byte[] in, Random random) {
        int at = random.nextInt(in.length);
        byte[] out = new byte[in.length - 1];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + 1, out, at, in.length - at - 1);
        return out;
    }
}
