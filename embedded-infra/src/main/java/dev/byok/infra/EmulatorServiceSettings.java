package dev.byok.infra;

import dev.byok.emulator.Directories;
import dev.byok.emulator.KeyVaultEmulator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The configuration that points a service at a Key Vault emulator, for the tests and the local
 * stack alike: the BYOK application's client-secret sign-in through azure-identity at the
 * emulator's token endpoint, its vaults allow-listed, its certificate trusted, the service's own
 * vault of tenant keys named, and the service's Vert.x resolving the vault names
 * ({@code {vault}.vault.localhost}) through the emulator's hosts file.
 */
public final class EmulatorServiceSettings {
    private EmulatorServiceSettings() {}

    /**
     * Settings for {@code ownVault} (the service's, holding tenant keys: {@code EmulatorBuilder.ownVault}) and the
     * customers' {@code vaults} of {@code emulator}, trusting the certificate written at {@code certificateFile}.
     */
    public static Map<String, String> of(
            KeyVaultEmulator emulator, Path certificateFile, String ownVault, String... vaults) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("byok.keyvault.credential.kind", "CLIENT_SECRET");
        settings.put("byok.keyvault.credential.tenant-id", Directories.DEFAULT_DIRECTORY);
        settings.put("byok.keyvault.credential.client-id", Directories.DEFAULT_CLIENT_ID);
        settings.put("byok.keyvault.credential.secret", Directories.DEFAULT_CLIENT_SECRET);
        settings.put(
                "byok.keyvault.credential.authority-host", emulator.loginUri().toString());
        settings.put(
                "byok.keyvault.allowed-emulator-hosts",
                Stream.concat(Stream.of(ownVault), Arrays.stream(vaults))
                        .map(v -> emulator.vaultUri(v).getAuthority())
                        .collect(Collectors.joining(",")));
        settings.put("byok.crypto.tenant-key-vault", emulator.vaultUri(ownVault).toString());
        settings.put("byok.keyvault.trusted-certificate-file", certificateFile.toString());
        settings.put("quarkus.vertx.use-async-dns", "true");
        settings.put("quarkus.vertx.resolver.hosts-path", emulator.hostsFile().toString());
        return settings;
    }
}
