package dev.byok.service;

import dev.byok.kms.AuditedKms;
import dev.byok.kms.KeyLifecycle;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyValidation;
import dev.byok.kms.Kms;
import dev.byok.kms.RateLimitedKms;
import dev.byok.kms.azure.AzureHttpClients;
import dev.byok.kms.azure.AzureKmsSettings;
import dev.byok.kms.azure.CredentialSettings;
import dev.byok.kms.azure.EntraDirectory;
import dev.byok.kms.azure.KeyValidator;
import dev.byok.kms.azure.KeyVaultDirectories;
import dev.byok.kms.azure.KeyVaultUri;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The service's KMS: audited → rate limited per vault → Azure Key Vault signed in to the key's
 * directory ({@link KeyVaultDirectories}), on Quarkus' own Vert.x. A tenant's calls go to the
 * directory its caller names (the data plane: its key configuration's, through TenantKeys).
 */
@ApplicationScoped
public class KmsStack {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kms-rate-limiter");
        t.setDaemon(true);
        return t;
    });
    private final AzureKmsSettings settings;
    private final KeyVaultDirectories directories;
    private final RateLimitedKms limiter;
    private final AuditPublisher auditor;
    private final Clock clock;

    KmsStack(KeyVaultConfig config, Vertx vertx, AuditPublisher auditor, Clock clock) {
        this.clock = clock;
        this.settings = new AzureKmsSettings(
                config.operationDeadline(),
                config.httpTimeout(),
                config.tlsHandshakeTimeout(),
                config.maxRetries(),
                AzureKmsSettings.DEFAULTS.retryBaseDelay(),
                AzureKmsSettings.DEFAULTS.retryMaxDelay(),
                config.latestVersionTtl(),
                config.allowedEmulatorHosts().orElse(Set.of()),
                config.trustedCertificateFile().map(KmsStack::read));
        KeyVaultConfig.Credential c = config.credential();
        var credential = new CredentialSettings(
                c.kind(),
                c.tenantId(),
                c.clientId(),
                c.secret(),
                c.certificatePath(),
                c.authorityHost(),
                c.federatedTokenFile());
        this.directories =
                new KeyVaultDirectories(settings, credential, AzureHttpClients.create(vertx, settings), clock);
        this.limiter = RateLimitedKms.wrap(
                directories.in(Optional.empty()),
                new RateLimitedKms.Budget(
                        config.budget().opsPer10s(), config.budget().maxWait()),
                scheduler);
        this.auditor = auditor;
    }

    /** The tenant's KMS for {@code purpose}, signing in to {@code directory} (empty: the service's own). */
    public Kms forTenant(String tenantId, Optional<String> directory, KeyUsagePurpose purpose) {
        return AuditedKms.wrap(limiter.over(directories.in(directory)), auditor, clock)
                .forTenant(tenantId, purpose);
    }

    /**
     * The service's own vault, where tenant keys live, signed in to the service's own directory: rate
     * limited with every other call, but audited to no tenant's key-use page (it is not a customer's key).
     */
    public Kms ownVault() {
        return limiter.over(directories.in(Optional.empty()));
    }

    /** Creating and destroying tenant keys in the service's own vault. */
    public KeyLifecycle ownVaultKeys() {
        return directories.ownVaults();
    }

    /** Validates an admin's key URI in {@code directory} for a tenant (calls audited as VALIDATION). */
    public KeyValidation validator(String tenantId, String directory) {
        return new KeyValidator(
                forTenant(tenantId, Optional.of(directory), KeyUsagePurpose.VALIDATION), settings.hosts(), clock);
    }

    /** Forgets a cached latest version: the next resolution lists the key's versions again (roll checks). */
    public void invalidateLatest(KeyRef key) {
        directories.invalidateLatest(key);
    }

    /**
     * The key an admin's key URI names (any version it gives is ignored), with this deployment's
     * emulator allow-list; a URI that validation refused throws {@link IllegalArgumentException}.
     */
    public KeyRef keyOf(String keyUri) {
        return KeyVaultUri.parse(keyUri, settings.hosts()).key();
    }

    /** Whether {@code id} has the form of a directory (Entra: a tenant id GUID, lowercase). */
    public boolean wellFormedDirectory(String id) {
        return EntraDirectory.wellFormed(id);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read byok.keyvault.trusted-certificate-file " + file, e);
        }
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
    }
}
