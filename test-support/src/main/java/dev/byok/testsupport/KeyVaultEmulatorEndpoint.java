package dev.byok.testsupport;

import dev.byok.emulator.KeyVaultEmulator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Key Vault emulator this JVM's tests use, started once: one purge-protected vault named
 * {@value #VAULT} (and {@value #VAULT_WITHOUT_PURGE_PROTECTION}) in the default directory, one
 * vault in each of two other customers' directories, and the service's own vault {@value #OWN_VAULT}. Its certificate is written to a PEM file that
 * services are pointed at.
 */
public final class KeyVaultEmulatorEndpoint {
    public static final String VAULT = "byok-test";
    /** A vault with soft-delete but without purge protection: keys in it fail validation. */
    public static final String VAULT_WITHOUT_PURGE_PROTECTION = "byok-test-nopurge";
    /** Another customer's directory, with its own vault {@value #FABRIKAM_VAULT} (the BYOK application is registered there). */
    public static final String FABRIKAM_DIRECTORY = "fab00000-0000-4000-8000-0000000000f1";

    public static final String FABRIKAM_VAULT = "byok-test-fabrikam";
    /** A third customer's directory and vault, for tests that remove the application's registration there. */
    public static final String LITWARE_DIRECTORY = "11700000-0000-4000-8000-0000000000f2";

    public static final String LITWARE_VAULT = "byok-test-litware";
    /** The service's own vault of tenant keys (soft-delete, no purge protection). */
    public static final String OWN_VAULT = "byok-test-own";

    private static KeyVaultEmulator emulator;
    private static Path certificateFile;

    private KeyVaultEmulatorEndpoint() {}

    public static synchronized KeyVaultEmulator emulator() {
        if (emulator == null) {
            Path state = Path.of(System.getProperty("java.io.tmpdir"), "keyvault-emulator");
            emulator = KeyVaultEmulator.builder()
                    .vault(KeyVaultEmulator.VaultSpec.purgeProtected(VAULT))
                    .vault(new KeyVaultEmulator.VaultSpec(VAULT_WITHOUT_PURGE_PROTECTION, 0, true, false))
                    .vault(new KeyVaultEmulator.VaultSpec(FABRIKAM_VAULT, FABRIKAM_DIRECTORY, 0, true, true))
                    .vault(new KeyVaultEmulator.VaultSpec(LITWARE_VAULT, LITWARE_DIRECTORY, 0, true, true))
                    .ownVault(OWN_VAULT, 0)
                    .stateDirectory(state)
                    .start();
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
