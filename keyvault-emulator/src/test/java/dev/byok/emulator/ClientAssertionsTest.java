package dev.byok.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entra's answers to certificate client assertions, checked on assertions signed here as MSAL signs them. */
class ClientAssertionsTest {
    private static final String CLIENT = "b10c0000-0000-4000-8000-0000000000a1";
    private static final String ENDPOINT =
            "https://login.vault.localhost:8444/b10c0000-0000-4000-8000-000000000001/oauth2/v2.0/token";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static PrivateKey key;
    private static X509Certificate certificate;
    private static final Directories REGISTERED = new Directories();
    private static final Directories OTHER = new Directories();
    private static FederatedIssuer cluster;

    @BeforeAll
    static void keys(@TempDir Path dir) throws Exception {
        char[] password = "test-only".toCharArray();
        KeytoolCertificate.create(dir.resolve("a.p12"), "app", password, "dns:app.invalid");
        KeytoolCertificate.create(dir.resolve("b.p12"), "app", password, "dns:app.invalid");
        KeyStore a = KeytoolCertificate.load(dir.resolve("a.p12"), password);
        key = (PrivateKey) a.getKey("app", password);
        certificate = (X509Certificate) a.getCertificate("app");
        REGISTERED.registerCertificate(CLIENT, certificate);
        OTHER.registerCertificate(CLIENT, (X509Certificate)
                KeytoolCertificate.load(dir.resolve("b.p12"), password).getCertificate("app"));
        cluster = FederatedIssuer.create("https://oidc.cluster.invalid", dir);
        cluster.trust(REGISTERED, CLIENT, "system:serviceaccount:byok:crypto-service");
    }

    @Test
    void assertionSignedWithTheRegisteredCertificate_isAccepted_RS256AndPS256() throws Exception {
        assertThat(check(assertion("RS256", CLIENT, ENDPOINT, NOW), REGISTERED)).isEmpty();
        assertThat(check(assertion("PS256", CLIENT, ENDPOINT, NOW), REGISTERED)).isEmpty();
    }

    @Test
    void everyOtherAssertion_getsEntrasCode() throws Exception {
        assertThat(code(assertion("RS256", CLIENT, ENDPOINT, NOW), OTHER)).isEqualTo(700027); // key not registered
        assertThat(code(assertionWithSubject("someone-else"), REGISTERED)).isEqualTo(700021);
        assertThat(code(
                        assertion("RS256", CLIENT, "https://login.microsoftonline.com/common/oauth2/v2.0/token", NOW),
                        REGISTERED))
                .isEqualTo(700023);
        assertThat(code(assertion("RS256", CLIENT, ENDPOINT, NOW.minusSeconds(3600)), REGISTERED))
                .isEqualTo(700024);
        assertThat(code("not.a-jwt", REGISTERED)).isEqualTo(50027);
        assertThat(code("x".repeat(20_000), REGISTERED)).isEqualTo(50027);
    }

    @Test
    void federatedToken_ofATrustedIssuerAndSubject_isAccepted_anyOtherGetsEntrasCode() throws Exception {
        String subject = "system:serviceaccount:byok:crypto-service";
        assertThat(check(cluster.token(subject, NOW, Duration.ofHours(1)), REGISTERED))
                .isEmpty();

        assertThat(code(cluster.token("system:serviceaccount:other:pod", NOW, Duration.ofHours(1)), REGISTERED))
                .isEqualTo(700213);
        assertThat(code(cluster.token(subject, NOW, Duration.ofHours(1)), OTHER))
                .isEqualTo(700211); // no such issuer trusted
        assertThat(code(cluster.token(subject, NOW.minusSeconds(7200), Duration.ofHours(1)), REGISTERED))
                .isEqualTo(700024);
        assertThat(code(assertion("RS256", "https://oidc.cluster.invalid", ENDPOINT, NOW), REGISTERED))
                .isEqualTo(700213);
    }

    private static Optional<ClientAssertions.Refusal> check(String assertion, Directories registered) {
        return ClientAssertions.check(assertion, CLIENT, ENDPOINT, registered, NOW);
    }

    private static int code(String assertion, Directories registered) {
        return check(assertion, registered).orElseThrow().aadsts();
    }

    /** Header and claims as MSAL builds them: x5t#S256 thumbprint in standard base64, nbf..exp ten minutes. */
    private static String assertionWithSubject(String subject) throws Exception {
        return assertion("RS256", CLIENT, subject, ENDPOINT, NOW);
    }

    private static String assertion(String alg, String issuer, String audience, Instant at) throws Exception {
        return assertion(alg, issuer, issuer, audience, at);
    }

    private static String assertion(String alg, String issuer, String subject, String audience, Instant at)
            throws Exception {
        String thumbprint = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"x5t#S256\":\"" + thumbprint + "\"}";
        String claims = "{\"aud\":\"" + audience + "\",\"iss\":\"" + issuer + "\",\"sub\":\"" + subject
                + "\",\"jti\":\"j\",\"nbf\":" + at.getEpochSecond() + ",\"exp\":"
                + at.plusSeconds(600).getEpochSecond() + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signer;
        if (alg.equals("PS256")) {
            signer = Signature.getInstance("RSASSA-PSS");
            signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            signer = Signature.getInstance("SHA256withRSA");
        }
        signer.initSign(key);
        signer.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(signer.sign());
    }
}
