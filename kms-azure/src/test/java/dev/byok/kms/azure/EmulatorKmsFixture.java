package dev.byok.kms.azure;

import dev.byok.emulator.Directories;
import dev.byok.emulator.EmulatedVault;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.KeyVaultEmulator;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsFixture;
import dev.byok.testsupport.KeyVaultFault;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Azure KMS (real SDK, Vert.x HTTP client) against the Key Vault emulator over HTTPS. Levers go
 * through the emulator's admin HTTP API, as a test or the demo would pull them. One emulator and
 * one Vert.x serve the whole test JVM; each fixture restores the vault's faults and permissions.
 */
final class EmulatorKmsFixture implements KmsFixture {
    static final String VAULT = "contoso";
    static final String VAULT_WITHOUT_PURGE_PROTECTION = "nopurge";
    static final String VAULT_WITHOUT_SOFT_DELETE = "nosoftdelete";
    /** Allow-listed like an emulator, but no name service knows it (RFC 6761 .invalid). */
    static final String UNRESOLVABLE_VAULT = "no-such-vault.invalid:8443";

    private static KeyVaultEmulator emulator;
    private static Vertx vertx;

    final KeyVaultEmulator shared;
    final EmulatorAdminClient admin;
    final AzureKmsSettings settings;
    private final AzureKeyVaultKms kms;
    private final Set<String> granted = new HashSet<>(EmulatedVault.DEFAULT_PERMISSIONS);

    EmulatorKmsFixture() {
        this(AzureKmsSettings.DEFAULTS.withOperationDeadline(Duration.ofSeconds(3)), Duration.ZERO);
    }

    EmulatorKmsFixture(AzureKmsSettings base, Duration latestVersionTtl) {
        shared = emulator();
        admin = new EmulatorAdminClient(shared.adminUri());
        AzureKmsSettings withEmulator =
                base.withEmulator(shared.vaultUri(VAULT).getAuthority(), shared.certificatePem());
        settings = new AzureKmsSettings(
                withEmulator.operationDeadline(),
                withEmulator.httpTimeout(),
                withEmulator.tlsHandshakeTimeout(),
                withEmulator.maxRetries(),
                withEmulator.retryBaseDelay(),
                withEmulator.retryMaxDelay(),
                latestVersionTtl,
                Set.of(
                        shared.vaultUri(VAULT).getAuthority(),
                        shared.vaultUri(VAULT_WITHOUT_PURGE_PROTECTION).getAuthority(),
                        shared.vaultUri(VAULT_WITHOUT_SOFT_DELETE).getAuthority(),
                        UNRESOLVABLE_VAULT),
                withEmulator.trustedCertificatePem());
        kms = newKms(settings, signIn());
        admin.setPermissions(VAULT, granted);
        admin.clearFaults(VAULT);
    }

    /** The BYOK application's client-secret sign-in at the emulator, through azure-identity. */
    CredentialSettings signIn() {
        return CredentialSettings.clientSecret(
                Directories.DEFAULT_DIRECTORY,
                Directories.DEFAULT_CLIENT_ID,
                Directories.DEFAULT_CLIENT_SECRET,
                shared.loginUri().toString());
    }

    AzureKeyVaultKms newKms(AzureKmsSettings s, CredentialSettings credential) {
        var http = AzureHttpClients.create(vertx(), s);
        return new AzureKeyVaultKms(s, AzureCredentials.create(credential, http), http, Clock.systemUTC());
    }

    static synchronized KeyVaultEmulator emulator() {
        if (emulator == null) {
            emulator = KeyVaultEmulator.builder()
                    .vault(KeyVaultEmulator.VaultSpec.purgeProtected(VAULT))
                    .vault(new KeyVaultEmulator.VaultSpec(VAULT_WITHOUT_PURGE_PROTECTION, 0, true, false))
                    .vault(new KeyVaultEmulator.VaultSpec(VAULT_WITHOUT_SOFT_DELETE, 0, false, false))
                    .stateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "keyvault-emulator"))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        }
        return emulator;
    }

    static synchronized Vertx vertx() {
        if (vertx == null) {
            // the emulator's vault names resolve through its hosts file, as in a service
            // (quarkus.vertx.resolver.hosts-path)
            vertx = Vertx.vertx(new io.vertx.core.VertxOptions()
                    .setAddressResolverOptions(new io.vertx.core.dns.AddressResolverOptions()
                            .setHostsPath(emulator().hostsFile().toString())));
        }
        return vertx;
    }

    @Override
    public AzureKeyVaultKms kms() {
        return kms;
    }

    @Override
    public KeyRef createKey(String name) {
        return createKey(VAULT, name);
    }

    KeyRef createKey(String vault, String name) {
        return KeyVersionId.parse(admin.createKey(vault, name, "RSA", 2048)).key();
    }

    @Override
    public KeyVersionId rotate(KeyRef key) {
        return KeyVersionId.parse(admin.rotate(vaultOf(key), key.name()));
    }

    @Override
    public void setEnabled(KeyVersionId version, boolean enabled) {
        update(version, Map.of("enabled", enabled));
    }

    @Override
    public void setExpires(KeyVersionId version, Instant expires) {
        update(version, Map.of("expires", expires.getEpochSecond()));
    }

    @Override
    public void setNotBefore(KeyVersionId version, Instant notBefore) {
        update(version, Map.of("notBefore", notBefore.getEpochSecond()));
    }

    @Override
    public void setKeyOperations(KeyVersionId version, Set<String> operations) {
        update(version, Map.of("keyOps", List.copyOf(operations)));
    }

    @Override
    public void delete(KeyRef key) {
        admin.deleteKey(vaultOf(key), key.name());
    }

    @Override
    public void revoke(Permission permission) {
        granted.remove(name(permission));
        admin.setPermissions(VAULT, granted);
    }

    @Override
    public void grant(Permission permission) {
        granted.add(name(permission));
        admin.setPermissions(VAULT, granted);
    }

    @Override
    public void inject(KeyAccessFailure failure) {
        KeyVaultFault.causing(failure).inject(admin, VAULT, null); // vault-wide: no key needed
    }

    @Override
    public void clearFaults() {
        admin.clearFaults(VAULT);
    }

    @Override
    public void close() {
        admin.clearFaults(VAULT);
        admin.setPermissions(VAULT, EmulatedVault.DEFAULT_PERMISSIONS);
    }

    private void update(KeyVersionId version, Map<String, Object> fields) {
        admin.updateVersion(vaultOf(version.key()), version.key().name(), version.version(), fields);
    }

    private String vaultOf(KeyRef key) {
        for (String name : shared.vaultNames()) {
            if (shared.vaultUri(name).equals(AzureKeyIds.vaultUri(key))) {
                return name;
            }
        }
        throw new IllegalArgumentException("not an emulator vault: " + key.vault());
    }

    private static String name(Permission permission) {
        return switch (permission) {
            case LIST -> "list";
            case WRAP -> "wrapKey";
            case UNWRAP -> "unwrapKey";
        };
    }
}
