package dev.byok.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: points a service's Key Vault settings at the module's emulator (static
 * service token), and its Vert.x resolver at the emulator's hosts file so the vault names
 * ({@code {vault}.vault.localhost}) resolve to loopback.
 */
public class KeyVaultEmulatorTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        var emulator = KeyVaultEmulatorEndpoint.emulator();
        return Map.of(
                "byok.keyvault.credential.kind", "STATIC_TOKEN",
                "byok.keyvault.credential.secret", emulator.serviceToken(),
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
