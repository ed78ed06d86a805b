package dev.byok.service;

import dev.byok.kms.AuditedKms;
import dev.byok.kms.RateLimitedKms;
import dev.byok.kms.azure.AzureCredentials;
import dev.byok.kms.azure.AzureHttpClients;
import dev.byok.kms.azure.AzureKeyVaultKms;
import dev.byok.kms.azure.AzureKmsSettings;
import dev.byok.kms.azure.CredentialSettings;
import dev.byok.kms.azure.KeyValidator;
import dev.byok.kms.azure.KeyVaultUri;
import dev.byok.model.KeyUsagePurpose;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The service's KMS: audited → rate limited per vault → Azure Key Vault, on Quarkus' own Vert.x. */
@ApplicationScoped
public class KmsStack {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kms-rate-limiter");
        t.setDaemon(true);
        return t;
    });
    private final AuditedKms kms;
    private final AzureKmsSettings settings;
    private final AzureKeyVaultKms azure;

    KmsStack(KeyVaultConfig config, Vertx vertx, AuditPublisher auditor,
             @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.settings = new AzureKmsSettings(config.operationDeadline(), config.httpTimeout(), config.tlsHandshakeTimeout(),
                config.maxRetries(), AzureKmsSettings.DEFAULTS.retryBaseDelay(), AzureKmsSettings.DEFAULTS.retryMaxDelay(),
                config.latestVersionTtl(), config.allowedEmulatorHosts().orElse(Set.of()),
                config.trustedCertificateFile().map(KmsStack::read));
        KeyVaultConfig.Credential c = config.credential();
        var credentialSettings = new CredentialSettings(c.kind(), c.tenantId(), c.clientId(), c.secret(), c.certificatePath(), c.authorityHost());
        settings.requireFits(credentialSettings); // refuses to start with an emulator allow-list and a production sign-in
        var http = AzureHttpClients.create(vertx, settings);
        var credential = AzureCredentials.create(credentialSettings, http);
        this.azure = new AzureKeyVaultKms(settings, credential, http, Clock.systemUTC());
        RateLimitedKms limited = RateLimitedKms.wrap(azure, new RateLimitedKms.Budget(config.budget().opsPer10s(), config.budget().maxWait()), scheduler);
        this.kms = AuditedKms.wrap(limited, auditor, serviceName, Clock.systemUTC());
    }

    /** Validates admins' key URIs for a tenant (calls audited as VALIDATION). */
    public KeyValidator validator(String tenantId) {
        return new KeyValidator(kms.forTenant(tenantId, KeyUsagePurpose.VALIDATION), settings.hosts(), Clock.systemUTC());
    }

    /** Forgets a cached latest version: the next resolution lists the key's versions again (roll checks). */
    public void invalidateLatest(dev.byok.kms.KeyRef key) {
        azure.invalidateLatest(key);
    }

    /** Parses an admin's key URI with this deployment's emulator allow-list. */
    public KeyVaultUri parseKeyUri(String keyUri) {
        return KeyVaultUri.parse(keyUri, settings.hosts());
    }

    /** Take a per-tenant, per-purpose view with {@code kms().forTenant(tenant, purpose)}. */
    public AuditedKms kms() {
        return kms;
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
