package dev.byok.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** How an emulator starts: its vaults, ports, tokens, state directory and bind address ({@link KeyVaultEmulator#builder()}). */
public final class EmulatorBuilder {
    final List<KeyVaultEmulator.VaultSpec> vaults = new ArrayList<>();
    final Set<String> ownVaults = new HashSet<>();
    int adminPort;
    int loginPort;
    String serviceToken = KeyVaultEmulator.DEFAULT_SERVICE_TOKEN;
    String adminToken = KeyVaultEmulator.DEFAULT_ADMIN_TOKEN;
    Path stateDirectory = Path.of(System.getProperty("java.io.tmpdir"), "keyvault-emulator");
    InetAddress bindAddress = InetAddress.getLoopbackAddress();
    boolean persistKeys;

    public EmulatorBuilder vault(KeyVaultEmulator.VaultSpec spec) {
        vaults.add(spec);
        return this;
    }

    /**
     * The service's own vault (tenant keys), as Key Vault would have it: soft-delete without purge
     * protection, and the service may create, use, delete and purge keys there
     * ({@link EmulatedVault#SERVICE_VAULT_PERMISSIONS}).
     */
    public EmulatorBuilder ownVault(String name, int port) {
        vaults.add(new KeyVaultEmulator.VaultSpec(name, port, true, false));
        ownVaults.add(name);
        return this;
    }

    public EmulatorBuilder adminPort(int port) {
        this.adminPort = port;
        return this;
    }

    /** The sign-in's HTTPS port (0: any free one). */
    public EmulatorBuilder loginPort(int port) {
        this.loginPort = port;
        return this;
    }

    public EmulatorBuilder tokens(String service, String admin) {
        this.serviceToken = service;
        this.adminToken = admin;
        return this;
    }

    /** Where the TLS certificate is kept (and reused on restart). */
    public EmulatorBuilder stateDirectory(Path directory) {
        this.stateDirectory = directory;
        return this;
    }

    /** Keep each vault's keys in {@code <state directory>/<vault>.keys.json}: they survive a restart. */
    public EmulatorBuilder persistKeys(boolean persist) {
        this.persistKeys = persist;
        return this;
    }

    /** Listen on every interface instead of loopback (containers). */
    public EmulatorBuilder bindAddress(InetAddress address) {
        this.bindAddress = address;
        return this;
    }

    public KeyVaultEmulator start() {
        if (vaults.isEmpty()) {
            throw new IllegalStateException("the emulator needs at least one vault");
        }
        try {
            return new KeyVaultEmulator(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not set up the emulator's TLS", e);
        }
    }
}
