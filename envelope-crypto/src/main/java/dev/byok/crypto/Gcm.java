package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM with 96-bit random nonces and 128-bit tags; one cached Cipher and block of DRBG nonces per thread. */
final class Gcm {
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
        }
    });
    private static final ThreadLocal<NonceBlock> NONCES = ThreadLocal.withInitial(NonceBlock::new);

    private Gcm() {}

    static void randomNonce(byte[] out, int offset) {
        NONCES.get().take(out, offset);
    }

    /** Encrypts {@code plaintext} into {@code out} at {@code outOffset} (ciphertext then tag). */
    static void encrypt(
            SecretKey key, byte[] nonceSrc, int nonceOffset, byte[] aad, byte[] plaintext, byte[] out, int outOffset) {
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonceSrc, nonceOffset, NONCE_BYTES));
            c.updateAAD(aad);
            c.doFinal(plaintext, 0, plaintext.length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts and authenticates; any failure is {@link InvalidCiphertextException}. */
    static byte[] decrypt(
            SecretKey key, byte[] nonceSrc, int nonceOffset, byte[] aad, byte[] in, int inOffset, int inLength) {
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonceSrc, nonceOffset, NONCE_BYTES));
            c.updateAAD(aad);
            return c.doFinal(in, inOffset, inLength);
        } catch (AEADBadTagException e) {
            throw new InvalidCiphertextException();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidCiphertextException();
        }
    }

    /**
     * Random nonces drawn from the thread's DRBG a block at a time: one DRBG call per
     * {@value #NONCES_PER_BLOCK} nonces instead of one per record (each call costs several SHA-256
     * rounds whatever its length). Nonces are public (each is stored in its envelope's header), so
     * holding the next ones in memory reveals nothing.
     */
    private static final class NonceBlock {
        private static final int NONCES_PER_BLOCK = 256;
        private final SecureRandom random = drbg();
        private final byte[] block = new byte[NONCE_BYTES * NONCES_PER_BLOCK];
        private int next = block.length;

        void take(byte[] out, int offset) {
            if (next == block.length) {
                random.nextBytes(block);
                next = 0;
            }
            System.arraycopy(block, next, out, offset, NONCE_BYTES);
            next += NONCE_BYTES;
        }

        private static SecureRandom drbg() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (GeneralSecurityException e) {
                return new SecureRandom();
            }
        }
    }
}
