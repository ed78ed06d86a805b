package dev.byok.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A workload identity's token issuer, as a Kubernetes cluster's service-account issuer is one: a key
 * pair (made with keytool) whose RS256 tokens, for audience {@code api://AzureADTokenExchange}, the
 * emulator's Entra accepts for applications that trust this issuer and subject
 * ({@link #trust}). azure-identity's workload-identity credential reads such a token from a file.
 */
public final class FederatedIssuer {
    private final String issuer;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private FederatedIssuer(String issuer, PrivateKey key, X509Certificate certificate) {
        this.issuer = issuer;
        this.key = key;
        this.certificate = certificate;
    }

    /** A new issuer named {@code issuer} (its URL), its key pair made in {@code workDirectory}. */
    public static FederatedIssuer create(String issuer, Path workDirectory)
            throws IOException, GeneralSecurityException {
        KeyStore.PrivateKeyEntry pair = KeytoolCertificate.generate(workDirectory, "issuer");
        return new FederatedIssuer(issuer, pair.getPrivateKey(), (X509Certificate) pair.getCertificate());
    }

    /** The application {@code clientId} trusts this issuer's tokens for {@code subject} (a federated identity credential). */
    public void trust(Directories directories, String clientId, String subject) {
        directories.registerFederatedCredential(
                clientId, new Directories.FederatedCredential(issuer, subject, certificate));
    }

    /** A token for {@code subject}, valid from {@code now} for {@code lifetime}. */
    public String token(String subject, Instant now, Duration lifetime) throws GeneralSecurityException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = KeyBundles.JSON
                .createObjectNode()
                .put("iss", issuer)
                .put("sub", subject)
                .put("aud", ClientAssertions.EXCHANGE_AUDIENCE)
                .put("nbf", now.getEpochSecond())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond())
                .toString();
        String signed = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(signer.sign());
    }

    /** Writes an hour-long token for {@code subject} to {@code file} (owner-only), as Kubernetes projects one into a pod. */
    public Path writeToken(Path file, String subject) throws IOException, GeneralSecurityException {
        KeytoolCertificate.writeOwnerOnly(file, token(subject, Instant.now(), Duration.ofHours(1)));
        return file;
    }
}
