package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Entra's check of a client assertion (RFC 7523), in its two forms:
 * <ul>
 * <li>a <b>certificate credential</b>, as MSAL signs it: {@code iss} and {@code sub} are the client
 * id, {@code aud} is the token endpoint it is sent to, signed (RS256 or PS256) by a certificate
 * uploaded to the application and named by the {@code x5t} or {@code x5t#S256} thumbprint;</li>
 * <li>a <b>federated credential</b> (workload identity): a token of another issuer (a Kubernetes
 * service-account token, a managed identity's token) whose issuer, subject and audience
 * {@code api://AzureADTokenExchange} match a federated identity credential of the application, signed
 * by that issuer (the emulator holds the issuer's certificate; Entra fetches its JWKS).</li>
 * </ul>
 * Both must be within their {@code nbf}..{@code exp} window (five minutes of clock skew).
 */
final class ClientAssertions {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
    private static final int MAX_CHARS = 16 * 1024;
    private static final long SKEW_SECONDS = 300;

    /** Why Entra refuses an assertion: its AADSTS code and description. */
    record Refusal(int aadsts, String description) {}

    private record Jwt(JsonNode header, JsonNode claims, byte[] signed, byte[] signature) {
        String claim(String name) {
            return claims.path(name).asText("");
        }
    }

    private ClientAssertions() {}

    /** Empty when the assertion proves the caller may sign in as {@code clientId}. */
    static Optional<Refusal> check(
            String assertion, String clientId, String tokenEndpoint, Directories directories, Instant now) {
        Optional<Jwt> parsed = parse(assertion);
        if (parsed.isEmpty()) {
            return refusal(50027, "JWT token is invalid or malformed.");
        }
        Jwt jwt = parsed.get();
        if (!clientId.equals(jwt.claim("iss"))) {
            return federated(jwt, directories.federatedCredentials(clientId), now);
        }
        if (!clientId.equals(jwt.claim("sub"))) {
            return refusal(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
        }
        if (!tokenEndpoint.equals(jwt.claim("aud"))) {
            return refusal(700023, "Client assertion audience claim does not match Realm issuer.");
        }
        if (!current(jwt, now)) {
            return refusal(700024, "Client assertion is not within its valid time range.");
        }
        for (X509Certificate certificate : directories.certificates(clientId)) {
            if (thumbprintMatches(jwt.header(), certificate) && verifies(jwt, certificate.getPublicKey())) {
                return Optional.empty();
            }
        }
        return refusal(700027, "Client assertion contains an invalid signature. [Reason - The key was not found.]");
    }

    private static Optional<Refusal> federated(
            Jwt jwt, List<Directories.FederatedCredential> credentials, Instant now) {
        List<Directories.FederatedCredential> sameIssuer = credentials.stream()
                .filter(c -> c.issuer().equals(jwt.claim("iss")))
                .toList();
        if (sameIssuer.isEmpty()) {
            return noRecord(700211, "issuer", jwt.claim("iss"));
        }
        Optional<Directories.FederatedCredential> match = sameIssuer.stream()
                .filter(c -> c.subject().equals(jwt.claim("sub")))
                .findFirst();
        if (match.isEmpty()) {
            return noRecord(700213, "subject", jwt.claim("sub"));
        }
        if (!EXCHANGE_AUDIENCE.equals(jwt.claim("aud"))) {
            return noRecord(700212, "audience", jwt.claim("aud"));
        }
        if (!current(jwt, now)) {
            return refusal(700024, "Client assertion is not within its valid time range.");
        }
        return verifies(jwt, match.get().signer().getPublicKey())
                ? Optional.empty()
                : refusal(700027, "Client assertion contains an invalid signature. [Reason - The key was not found.]");
    }

    private static Optional<Jwt> parse(String assertion) {
        String[] parts = assertion.length() > MAX_CHARS ? new String[0] : assertion.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            return Optional.of(new Jwt(
                    KeyBundles.JSON.readTree(b64.decode(parts[0])),
                    KeyBundles.JSON.readTree(b64.decode(parts[1])),
                    (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                    b64.decode(parts[2])));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Refusal> noRecord(int aadsts, String what, String presented) {
        return refusal(
                aadsts,
                "No matching federated identity record found for presented assertion " + what + " '" + presented
                        + "'.");
    }

    private static Optional<Refusal> refusal(int aadsts, String description) {
        return Optional.of(new Refusal(aadsts, description));
    }

    private static boolean current(Jwt jwt, Instant now) {
        long epoch = now.getEpochSecond();
        return jwt.claims().path("exp").asLong(0) + SKEW_SECONDS >= epoch
                && jwt.claims().path("nbf").asLong(0) - SKEW_SECONDS <= epoch;
    }

    private static boolean thumbprintMatches(JsonNode header, X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            return equalsThumbprint(
                            header.path("x5t#S256").asText(""),
                            MessageDigest.getInstance("SHA-256").digest(der))
                    || equalsThumbprint(
                            header.path("x5t").asText(""),
                            MessageDigest.getInstance("SHA-1").digest(der));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** MSAL sends the thumbprint in standard base64, RFC 7515 says base64url: both are accepted. */
    private static boolean equalsThumbprint(String encoded, byte[] digest) {
        try {
            String standard = encoded.replace('-', '+').replace('_', '/');
            return !encoded.isEmpty()
                    && MessageDigest.isEqual(Base64.getDecoder().decode(standard), digest);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean verifies(Jwt jwt, PublicKey key) {
        try {
            Signature verifier;
            String algorithm = jwt.header().path("alg").asText();
            if ("RS256".equals(algorithm)) {
                verifier = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(algorithm)) {
                verifier = Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            verifier.initVerify(key);
            verifier.update(jwt.signed());
            return verifier.verify(jwt.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
