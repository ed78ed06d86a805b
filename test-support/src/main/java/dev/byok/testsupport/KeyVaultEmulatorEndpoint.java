package dev.byok.testsupport;

import dev.byok.emulator.KeyVaultEmulator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Key Vault emulator this JVM's tests use, started once: one purge-protected vault named
 * {@value #VAULT} (and {@value #VAULT_WITHOUT_PURGE_PROTECTION}). Its certificate is written to a PEM file that services are pointed at.
 */
public final class KeyVaultEmulatorEndpoint {
    public static final String VAULT = "byok-test";
    /** A vault with soft-delete but without purge protection: keys in it fail validation. */
    public static final String VAULT_WITHOUT_PURGE_PROTECTION = "byok-test-nopurge";
    private static KeyVaultEmulator emulator;
    private static Path certificateFile;

    private KeyVaultEmulatorEndpoint() {
    }

    public static synchronized KeyVaultEmulator emulator() {
        if (emulator == null) {
            Path state = Path.of(System.getProperty("java.io.tmpdir"), "keyvault-emulator");
            emulator = KeyVaultEmulator.builder().vault(KeyVaultEmulator.VaultSpec.purgeProtected(VAULT))
                    .vault(new KeyVaultEmulator.VaultSpec(VAULT_WITHOUT_PURGE_PROTECTION, 0, true, false))
                    .stateDirectory(state).start();
            certificateFile = state.resolve("emulator-ca.pem");
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "keyvault-emulator-stop"));
        }
        return emulator;
    }

    public static synchronized Path certificateFile() {
        emulator();
        if (!Files.exists(certificateFile)) {
            throw new IllegalStateException("the emulator did not write its certificate to " + certificateFile);
        }
        return certificateFile;
    }
}
