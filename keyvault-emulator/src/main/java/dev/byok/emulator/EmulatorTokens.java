package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The emulator's own access tokens, as its token endpoint issues them and its vaults check them:
 * compact JWTs (HS256 under a key kept in the state directory, so tokens survive a restart) with
 * Entra's claims for an application token — {@code aud} (the resource), {@code iss} and {@code tid}
 * (the directory that issued it), {@code appid}, {@code iat}/{@code nbf}/{@code exp}.
 */
final class EmulatorTokens {
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final int MAX_TOKEN_CHARS = 8192;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A verified token's application and directory. */
    record Claims(String appId, String directory, String audience) {}

    private final byte[] key;

    private EmulatorTokens(byte[] key) {
        this.key = key;
    }

    static EmulatorTokens loadOrCreate(Path directory) throws IOException {
        Path file = directory.resolve("token-signing.key");
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.write(file, fresh);
        }
        return new EmulatorTokens(Files.readAllBytes(file));
    }

    /** The issuer URI of a directory, in Entra's v1 form (what Key Vault's error messages quote). */
    static String issuer(String directory) {
        return "https://sts.windows.net/" + directory + "/";
    }

    String issue(String appId, String directory, String audience, Instant now) {
        ObjectNode claims = KeyBundles.JSON
                .createObjectNode()
                .put("aud", audience)
                .put("iss", issuer(directory))
                .put("tid", directory)
                .put("appid", appId)
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", now.plus(LIFETIME).getEpochSecond());
        String signed =
                part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + part(json(claims));
        return signed + "." + part(mac(signed));
    }

    /** The claims of a token this emulator issued and that is valid now; empty for anything else. */
    Optional<Claims> verify(String token, Instant now) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            JsonNode claims = KeyBundles.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long second = now.getEpochSecond();
            if (second < claims.path("nbf").asLong(Long.MAX_VALUE)
                    || second >= claims.path("exp").asLong(0)) {
                return Optional.empty();
            }
            return Optional.of(new Claims(
                    claims.path("appid").asText(),
                    claims.path("tid").asText(),
                    claims.path("aud").asText()));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static byte[] json(ObjectNode node) {
        try {
            return KeyBundles.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(byte[] bytes) {
        return B64.encodeToString(bytes);
    }
}
