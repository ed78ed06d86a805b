package dev.byok.kms.azure;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the Azure KMS talks to Key Vault. Defaults keep every failure bounded to a few seconds (the
 * SDK's own defaults take about four minutes to give up on a silent vault).
 *
 * @param operationDeadline   hard bound on one operation, retries and token acquisition included
 * @param httpTimeout         connect / response / read / write timeout of one HTTP attempt
 * @param tlsHandshakeTimeout TLS handshake timeout of one connection
 * @param maxRetries          retries of one operation, only when no response came, or on 408 / 5xx
 * @param retryBaseDelay      first retry delay (exponential, capped at {@code retryMaxDelay})
 * @param retryMaxDelay       longest retry delay
 * @param latestVersionTtl    how long a resolved latest version is reused
 * @param allowedEmulatorHosts {@code host:port} of local emulators admins may name (none in production)
 * @param trustedCertificatePem extra TLS trust, PEM (an emulator's self-signed certificate)
 */
public record AzureKmsSettings(
        Duration operationDeadline,
        Duration httpTimeout,
        Duration tlsHandshakeTimeout,
        int maxRetries,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        Duration latestVersionTtl,
        Set<String> allowedEmulatorHosts,
        Optional<String> trustedCertificatePem) {
    public static final AzureKmsSettings DEFAULTS = new AzureKmsSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            1,
            Duration.ofMillis(200),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            Set.of(),
            Optional.empty());

    public AzureKmsSettings {
        Objects.requireNonNull(operationDeadline, "operationDeadline");
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        Objects.requireNonNull(tlsHandshakeTimeout, "tlsHandshakeTimeout");
        Objects.requireNonNull(retryBaseDelay, "retryBaseDelay");
        Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
        Objects.requireNonNull(latestVersionTtl, "latestVersionTtl");
        allowedEmulatorHosts = Set.copyOf(allowedEmulatorHosts);
        Objects.requireNonNull(trustedCertificatePem, "trustedCertificatePem");
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("maxRetries must be within 0..5");
        }
        if (operationDeadline.compareTo(httpTimeout) < 0) {
            throw new IllegalArgumentException("the operation deadline must not be shorter than one HTTP attempt");
        }
    }

    /**
     * Refuses a credential that does not fit these settings: emulator hosts only with an emulator's
     * credential — its static token, or a sign-in at an emulator's authority host ({@code *.localhost})
     * — so a production identity's token is never offered to a local host; and the static token only
     * with emulator hosts.
     */
    public void requireFits(CredentialSettings credential) {
        boolean emulatorCredential = credential.kind() == CredentialSettings.Kind.STATIC_TOKEN
                || credential
                        .authorityHost()
                        .map(h -> java.net.URI.create(h).getHost())
                        .filter(KeyVaultHosts::local)
                        .isPresent();
        if (!allowedEmulatorHosts.isEmpty() && !emulatorCredential) {
            throw new IllegalArgumentException(
                    "allowed emulator hosts " + allowedEmulatorHosts + " are refused with the "
                            + credential.kind() + " credential signing in at "
                            + credential.authorityHost().orElse("Entra")
                            + ": a production identity's token must not reach an emulator");
        }
        if (credential.kind() == CredentialSettings.Kind.STATIC_TOKEN && allowedEmulatorHosts.isEmpty()) {
            throw new IllegalArgumentException(
                    "the STATIC_TOKEN credential is for the Key Vault emulator only, and no emulator host is allowed");
        }
    }

    /** The hosts keys may live on: Azure clouds, plus the allow-listed emulators. */
    public KeyVaultHosts hosts() {
        return new KeyVaultHosts(allowedEmulatorHosts);
    }

    /** The same settings, for a local emulator: its host allow-listed and its certificate trusted. */
    public AzureKmsSettings withEmulator(String hostPort, String certificatePem) {
        return new AzureKmsSettings(
                operationDeadline,
                httpTimeout,
                tlsHandshakeTimeout,
                maxRetries,
                retryBaseDelay,
                retryMaxDelay,
                latestVersionTtl,
                Set.of(hostPort),
                Optional.of(certificatePem));
    }

    public AzureKmsSettings withOperationDeadline(Duration deadline) {
        return new AzureKmsSettings(
                deadline,
                httpTimeout,
                tlsHandshakeTimeout,
                maxRetries,
                retryBaseDelay,
                retryMaxDelay,
                latestVersionTtl,
                allowedEmulatorHosts,
                trustedCertificatePem);
    }
}
