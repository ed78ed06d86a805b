package dev.byok.benchmarks;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.RecordEnvelope;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Seal and open of one record through {@link RecordEnvelope}, next to raw JCE AES-256-GCM with a
 * random 96-bit nonce (the least any correct use of AES-GCM does) on the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeBenchmark {
    @Param({"1024"})
    public int recordBytes;

    private byte[] plaintext;
    private Dek dek;
    private byte[] envelope;
    private SecretKey rawKey;
    private Cipher rawCipher;
    private SecureRandom random;
    private byte[] rawNonce;
    private byte[] rawCiphertext;
    private byte[] aad;
    private byte[] rawNonceWithAad;
    private byte[] rawCiphertextWithAad;

    @Setup
    public void setUp() throws GeneralSecurityException {
        random = SecureRandom.getInstance("DRBG");
        plaintext = new byte[recordBytes];
        random.nextBytes(plaintext);
        dek = Dek.generate(
                "tenant-bench", Instant.now(), new DekPolicy(DekPolicy.HARD_MAX_RECORDS, Duration.ofDays(1)));
        envelope = RecordEnvelope.seal(dek, "record-0000001", plaintext);

        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        rawKey = new SecretKeySpec(keyBytes, "AES");
        rawCipher = Cipher.getInstance("AES/GCM/NoPadding");
        rawNonce = new byte[12];
        random.nextBytes(rawNonce);
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        rawCiphertext = rawCipher.doFinal(plaintext);
        // the envelope's associated data for this tenant and record id, padded to whole blocks
        aad = new byte[(1 + 2 + "tenant-bench".length() + 2 + "record-0000001".length() + 15) & ~15];
        random.nextBytes(aad);
        rawNonceWithAad = new byte[12]; // a nonce of its own: JCE refuses to encrypt twice under one key and nonce
        random.nextBytes(rawNonceWithAad);
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonceWithAad));
        rawCipher.updateAAD(aad);
        rawCiphertextWithAad = rawCipher.doFinal(plaintext);
    }

    @Benchmark
    public byte[] rawGcmSeal() throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
        return rawCipher.doFinal(plaintext);
    }

    /** Raw GCM plus associated data of the envelope's size: separates the cost of binding from the rest. */
    @Benchmark
    public byte[] rawGcmSealWithAad() throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
        rawCipher.updateAAD(aad);
        return rawCipher.doFinal(plaintext);
    }

    @Benchmark
    public byte[] envelopeSeal() {
        return RecordEnvelope.seal(dek, "record-0000001", plaintext);
    }

    @Benchmark
    public byte[] rawGcmOpen() throws GeneralSecurityException {
        rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        return rawCipher.doFinal(rawCiphertext);
    }

    /** Raw GCM open with associated data of the envelope's size: the open side of {@link #rawGcmSealWithAad}. */
    @Benchmark
    public byte[] rawGcmOpenWithAad() throws GeneralSecurityException {
        rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonceWithAad));
        rawCipher.updateAAD(aad);
        return rawCipher.doFinal(rawCiphertextWithAad);
    }

    @Benchmark
    public byte[] envelopeOpen() {
        return RecordEnvelope.open(dek, dek.tenantId(), "record-0000001", envelope);
    }
}
