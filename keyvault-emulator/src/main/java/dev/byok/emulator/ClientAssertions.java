package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/**
 * Entra's check of a certificate credential (RFC 7523 client assertion, as MSAL builds it): a JWT
 * signed with the application's registered certificate (found by the {@code x5t} or
 * {@code x5t#S256} thumbprint in its header, RS256 or PS256), whose {@code iss} and {@code sub} are
 * the client id, whose {@code aud} is the token endpoint it is sent to, and which is within its
 * {@code nbf}..{@code exp} window (five minutes of clock skew).
 */
final class ClientAssertions {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final int MAX_CHARS = 16 * 1024;
    private static final long SKEW_SECONDS = 300;

    /** Why Entra refuses an assertion: its AADSTS code and description. */
    record Refusal(int aadsts, String description) {
    }

    private ClientAssertions() {
    }

    /** Empty when the assertion proves {@code clientId} holds one of {@code certificates}' keys. */
    static Optional<Refusal> check(String assertion, String clientId, String tokenEndpoint, Collection<X509Certificate> certificates,
                                   Instant now) {
        String[] parts = assertion.length() > MAX_CHARS ? new String[0] : assertion.split("\\.", -1);
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            if (parts.length != 3) {
                return malformed();
            }
            header = KeyBundles.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = KeyBundles.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            return malformed();
        }
        if (!clientId.equals(claims.path("iss").asText()) || !clientId.equals(claims.path("sub").asText())) {
            return Optional.of(new Refusal(700021, "Client assertion application identifier doesn't match 'client_id' parameter."));
        }
        if (!tokenEndpoint.equals(claims.path("aud").asText())) {
            return Optional.of(new Refusal(700023, "Client assertion audience claim does not match Realm issuer."));
        }
        long epoch = now.getEpochSecond();
        if (claims.path("exp").asLong(0) + SKEW_SECONDS < epoch || claims.path("nbf").asLong(0) - SKEW_SECONDS > epoch) {
            return Optional.of(new Refusal(700024, "Client assertion is not within its valid time range."));
        }
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        String algorithm = header.path("alg").asText();
        for (X509Certificate certificate : certificates) {
            if (thumbprintMatches(header, certificate) && verifies(algorithm, certificate, signed, signature)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Refusal(700027, "Client assertion contains an invalid signature. [Reason - The key was not found.]"));
    }

    private static Optional<Refusal> malformed() {
        return Optional.of(new Refusal(50027, "JWT token is invalid or malformed."));
    }

    private static boolean thumbprintMatches(JsonNode header, X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            return equalsThumbprint(header.path("x5t#S256").asText(""), MessageDigest.getInstance("SHA-256").digest(der))
                    || equalsThumbprint(header.path("x5t").asText(""), MessageDigest.getInstance("SHA-1").digest(der));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** MSAL sends the thumbprint in standard base64, RFC 7515 says base64url: both are accepted. */
    private static boolean equalsThumbprint(String encoded, byte[] digest) {
        try {
            String standard = encoded.replace('-', '+').replace('_', '/');
            return !encoded.isEmpty() && MessageDigest.isEqual(Base64.getDecoder().decode(standard), digest);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean verifies(String algorithm, X509Certificate certificate, byte[] signed, byte[] signature) {
        try {
            Signature verifier;
            if ("RS256".equals(algorithm)) {
                verifier = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(algorithm)) {
                verifier = Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
