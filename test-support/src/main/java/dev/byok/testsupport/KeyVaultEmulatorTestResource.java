package dev.byok.testsupport;

import dev.byok.infra.EmulatorServiceSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Quarkus test resource: points a service at the module's emulator ({@link EmulatorServiceSettings}). */
public class KeyVaultEmulatorTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return EmulatorServiceSettings.of(
                KeyVaultEmulatorEndpoint.emulator(),
                KeyVaultEmulatorEndpoint.certificateFile(),
                KeyVaultEmulatorEndpoint.OWN_VAULT,
                KeyVaultEmulatorEndpoint.VAULT,
                KeyVaultEmulatorEndpoint.VAULT_WITHOUT_PURGE_PROTECTION,
                KeyVaultEmulatorEndpoint.FABRIKAM_VAULT,
                KeyVaultEmulatorEndpoint.LITWARE_VAULT);
    }

    @Override
    public void stop() {
        // stopped by a JVM shutdown hook: other test classes of the module reuse it
    }
}
