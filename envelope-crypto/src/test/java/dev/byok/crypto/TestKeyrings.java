package dev.byok.crypto;

import java.util.Base64;
import java.util.Map;

/** Fixed managed keyrings and tenant keys for tests: deterministic bytes, never used outside tests. */
public final class TestKeyrings {
    private TestKeyrings() {}

    /** 32 bytes where byte i is {@code seed + i}, base64-encoded. */
    public static String key(int seed) {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (seed + i);
        }
        return Base64.getEncoder().encodeToString(raw);
    }

    public static ManagedKeyring oneVersion() {
        return ManagedKeyring.fromBase64(Map.of(1, key(1)));
    }

    public static ManagedKeyring twoVersions() {
        return ManagedKeyring.fromBase64(Map.of(1, key(1), 2, key(2)));
    }

    /** The tenant's key at version 1, with fixed bytes (seed 101). */
    public static TenantKey tenantKey(String tenantId) {
        return TenantKey.of(tenantId, 1, java.util.Base64.getDecoder().decode(key(101)));
    }
}
