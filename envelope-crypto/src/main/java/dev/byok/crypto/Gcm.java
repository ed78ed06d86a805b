package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM with 96-bit random nonces and 128-bit tags; one cached Cipher and DRBG per thread. */
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
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    });

    private Gcm() {}

    static void randomNonce(byte[] out, int offset) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, offset, NONCE_BYTES);
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
}
