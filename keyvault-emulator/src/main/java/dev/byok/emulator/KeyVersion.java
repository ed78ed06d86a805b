package dev.byok.emulator;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;

/** One version of an emulated RSA key, with the attributes Key Vault keeps per version. */
final class KeyVersion {
    final String version;
    final String kty;
    final int size;
    final KeyPair pair;
    final long created;
    volatile long updated;
    volatile boolean enabled = true;
    volatile Long notBefore;
    volatile Long expires;
    volatile List<String> keyOps;

    KeyVersion(String version, String kty, int size, KeyPair pair, List<String> keyOps) {
        this(version, kty, size, pair, keyOps, Instant.now().getEpochSecond());
    }

    KeyVersion(String version, String kty, int size, KeyPair pair, List<String> keyOps, long created) {
        this.version = version;
        this.kty = kty;
        this.size = size;
        this.pair = pair;
        this.keyOps = List.copyOf(keyOps);
        this.created = created;
        this.updated = created;
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) pair.getPublic();
    }
}
