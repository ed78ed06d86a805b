package dev.byok.service;

import dev.byok.kms.azure.CredentialSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** {@code byok.keyvault.*}: how this service reaches Azure Key Vault (see docs/key-vault.md). */
@ConfigMapping(prefix = "byok.keyvault")
public interface KeyVaultConfig {
    @WithDefault("PT5S")
    Duration operationDeadline();

    @WithDefault("PT2S")
    Duration httpTimeout();

    @WithDefault("PT2S")
    Duration tlsHandshakeTimeout();

    @WithDefault("1")
    int maxRetries();

    @WithDefault("PT30S")
    Duration latestVersionTtl();

    /** {@code host:port} of local emulators admins may name; empty in production. */
    Optional<Set<String>> allowedEmulatorHosts();

    /** A PEM certificate to trust in addition to the JVM's (the emulator's). */
    Optional<String> trustedCertificateFile();

    Credential credential();

    Budget budget();

    interface Credential {
        @WithDefault("DEFAULT")
        CredentialSettings.Kind kind();

        Optional<String> tenantId();

        Optional<String> clientId();

        /** The client secret, or the emulator's static token. */
        Optional<String> secret();

        Optional<String> certificatePath();

        /** Entra's sign-in host when not the public cloud's: a sovereign cloud, or the emulator's sign-in (its login URI). */
        Optional<String> authorityHost();

        /** Workload identity's federated token file, when {@code AZURE_FEDERATED_TOKEN_FILE} does not name it. */
        Optional<String> federatedTokenFile();
    }

    interface Budget {
        /** This replica's share of the vault's budget (Azure RSA-2048: 4000 per 10 s per vault, for all users). */
        @WithName("ops-per-10s")
        @WithDefault("750")
        int opsPer10s();

        @WithDefault("PT2S")
        Duration maxWait();
    }
}
