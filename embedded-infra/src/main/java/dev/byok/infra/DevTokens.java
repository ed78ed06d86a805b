package dev.byok.infra;

import dev.byok.model.TokenClaims;
import io.smallrye.jwt.build.Jwt;
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
import java.util.Set;

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

    /** A tenant-admin token for one tenant. */
    public static String mint(PrivateKey key, String tenant, Duration ttl) {
        return Jwt.issuer(TokenClaims.DEV_ISSUER)
                .subject("dev-admin@" + tenant)
                .upn("dev-admin@" + tenant)
                .groups(Set.of(TokenClaims.TENANT_ADMIN))
                .claim(TokenClaims.TENANT_CLAIM, tenant)
                .expiresIn(ttl)
                .sign(key);
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
