package dev.byok.infra;

import dev.byok.model.TokenClaims;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Development tokens for local runs: makes an RSA signing key pair once and mints bearer tokens for a
 * tenant admin (the local stack's {@code DevToken} command prints one). Services verify with the
 * public half ({@code mp.jwt.verify.publickey.location}). Never use these keys outside a developer machine.
 */
public final class DevTokens {
    private DevTokens() {}

    /** The private key in {@code dir}, creating the pair ({@code private.pem}, {@code public.pem}) if needed. */
    public static PrivateKey ensureKeys(Path dir) throws IOException, GeneralSecurityException {
        Path privateFile = dir.resolve("private.pem");
        if (!Files.exists(privateFile)) {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(
                    dir.resolve("public.pem"),
                    pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        }
        String body = Files.readString(privateFile)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /**
     * A tenant-admin token for one tenant: RS256, with the claims the services' MicroProfile JWT
     * verification reads. Signed with jose4j, which needs no runtime beyond itself (the run command
     * has no MicroProfile Config or JSON-P).
     */
    public static String mint(PrivateKey key, String tenant, Duration ttl) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TokenClaims.DEV_ISSUER);
        claims.setSubject("dev-admin@" + tenant);
        claims.setClaim("upn", "dev-admin@" + tenant);
        claims.setStringListClaim("groups", List.of(TokenClaims.TENANT_ADMIN));
        claims.setClaim(TokenClaims.TENANT_CLAIM, tenant);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(ttl.toSeconds() / 60f);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a development token", e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
