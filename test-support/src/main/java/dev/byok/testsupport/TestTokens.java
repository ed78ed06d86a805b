package dev.byok.testsupport;

import dev.byok.infra.DevTokens;
import dev.byok.model.TokenClaims;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Bearer tokens for API tests: valid, expired, wrongly signed, without the role, for another tenant. */
public final class TestTokens {
    private static PrivateKey key;

    private TestTokens() {}

    static synchronized Path keyDirectory() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "test-jwt");
        try {
            if (key == null) {
                key = DevTokens.ensureKeys(dir);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create the test signing key", e);
        }
        return dir;
    }

    public static String admin(String tenant) {
        keyDirectory();
        return DevTokens.mint(key, tenant, Duration.ofMinutes(30));
    }

    public static String expired(String tenant) {
        keyDirectory();
        return expired(key, tenant);
    }

    /** Expired an hour ago (beyond any clock skew allowance), signed with {@code key}. */
    public static String expired(PrivateKey key, String tenant) {
        return Jwt.issuer(TokenClaims.DEV_ISSUER)
                .subject("admin")
                .groups(Set.of(TokenClaims.TENANT_ADMIN))
                .claim(TokenClaims.TENANT_CLAIM, tenant)
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign(key);
    }

    public static String withoutRole(String tenant) {
        keyDirectory();
        return withoutRole(key, tenant);
    }

    /** A valid token for the tenant, signed with {@code key}, without the tenant-admin role. */
    public static String withoutRole(PrivateKey key, String tenant) {
        return Jwt.issuer(TokenClaims.DEV_ISSUER)
                .subject("reader")
                .groups(Set.of("auditor"))
                .claim(TokenClaims.TENANT_CLAIM, tenant)
                .expiresIn(Duration.ofMinutes(30))
                .sign(key);
    }

    public static String wronglySigned(String tenant) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return DevTokens.mint(generator.generateKeyPair().getPrivate(), tenant, Duration.ofMinutes(30));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
