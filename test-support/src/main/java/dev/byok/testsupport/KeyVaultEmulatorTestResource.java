package dev.byok.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import dev.byok.emulator.Directories;
import java.util.Map;

/**
 * Quarkus test resource: points a service's Key Vault settings at the module's emulator (the BYOK
 * application's client-secret sign-in at the emulator's token endpoint), and its Vert.x resolver at the emulator's hosts file so the vault names
 * ({@code {vault}.vault.localhost}) resolve to loopback.
 */
public class KeyVaultEmulatorTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        var emulator = KeyVaultEmulatorEndpoint.emulator();
        return Map.of(
                "byok.keyvault.credential.kind", "CLIENT_SECRET", // the real azure-identity sign-in, at the emulator's token endpoint
                "byok.keyvault.credential.tenant-id", Directories.DEFAULT_DIRECTORY,
                "byok.keyvault.credential.client-id", Directories.DEFAULT_CLIENT_ID,
                "byok.keyvault.credential.secret", Directories.DEFAULT_CLIENT_SECRET,
                "byok.keyvault.credential.authority-host", emulator.loginUri().toString(),
                "byok.keyvault.allowed-emulator-hosts", emulator.vaultUri(KeyVaultEmulatorEndpoint.VAULT).getAuthority() + ","
                        + emulator.vaultUri(KeyVaultEmulatorEndpoint.VAULT_WITHOUT_PURGE_PROTECTION).getAuthority(),
                "byok.keyvault.trusted-certificate-file", KeyVaultEmulatorEndpoint.certificateFile().toString(),
                "quarkus.vertx.use-async-dns", "true",
                "quarkus.vertx.resolver.hosts-path", emulator.hostsFile().toString());
    }

    @Override
    public void stop() {
        // stopped by a JVM shutdown hook: other test classes of the module reuse it
    }
}
