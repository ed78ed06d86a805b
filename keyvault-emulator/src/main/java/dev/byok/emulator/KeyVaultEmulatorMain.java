package dev.byok.emulator;

import dev.byok.cli.Cli;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the emulator standalone until Ctrl-C. */
@Command(
        name = "keyvault-emulator",
        mixinStandardHelpOptions = true,
        description =
                "An Azure Key Vault (keys API) and Entra sign-in emulator over HTTPS, with fault injection; Ctrl-C stops it.")
public final class KeyVaultEmulatorMain implements Callable<Integer> {
    @Option(
            names = "--vault",
            paramLabel = "NAME[:PORT][:no-purge-protection|:no-soft-delete]",
            converter = VaultSpecConverter.class,
            description = "a vault (repeatable; default byok-demo:8443)")
    List<KeyVaultEmulator.VaultSpec> vaults = new ArrayList<>();

    @Option(
            names = "--own-vault",
            paramLabel = "NAME[:PORT]",
            converter = VaultSpecConverter.class,
            description = "the service's own vault of tenant keys: soft-delete without purge protection, where the"
                    + " service may create, delete and purge keys")
    KeyVaultEmulator.VaultSpec ownVault;

    @Option(names = "--key", paramLabel = "VAULT/NAME", description = "create an RSA-2048 key at start (repeatable)")
    List<String> keys = new ArrayList<>();

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            defaultValue = "8480",
            description = "the admin API (default: ${DEFAULT-VALUE})")
    int adminPort;

    @Option(
            names = "--login-port",
            paramLabel = "PORT",
            defaultValue = "8444",
            description = "the sign-in (token endpoint; default: ${DEFAULT-VALUE})")
    int loginPort;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = ".byok/keyvault-emulator",
            description = "where the TLS certificate and token key are kept (default: ${DEFAULT-VALUE})")
    Path stateDir;

    @Option(names = "--persist-keys", description = "keep keys in the state directory across restarts")
    boolean persistKeys;

    @Option(names = "--bind-all", description = "listen on every interface (containers), not only loopback")
    boolean bindAll;

    public static void main(String[] args) {
        Cli.run(new KeyVaultEmulatorMain(), args);
    }

    @Override
    public Integer call() throws Exception {
        for (String key : keys) {
            if (!key.matches("[^/]+/[^/]+")) {
                throw new IllegalArgumentException("--key " + key + " is not VAULT/NAME");
            }
        }
        EmulatorBuilder builder = KeyVaultEmulator.builder()
                .adminPort(adminPort)
                .loginPort(loginPort)
                .stateDirectory(stateDir)
                .persistKeys(persistKeys);
        if (bindAll) {
            builder.bindAddress(InetAddress.getByName("0.0.0.0"));
        }
        (vaults.isEmpty() ? List.of(new KeyVaultEmulator.VaultSpec("byok-demo", 8443, true, true)) : vaults)
                .forEach(builder::vault);
        if (ownVault != null) {
            builder.ownVault(ownVault.name(), ownVault.port());
        }
        KeyVaultEmulator emulator = builder.start();
        for (String key : keys) {
            String[] parts = key.split("/", 2);
            String version = emulator.vault(parts[0]).createKey(parts[1], "RSA", 2048, List.of());
            System.out.println("key      " + emulator.vaultUri(parts[0]) + "/keys/" + parts[1] + "/" + version);
        }
        for (String name : emulator.vaultNames()) {
            System.out.println("vault    " + name + " " + emulator.vaultUri(name) + " ("
                    + emulator.vault(name).recoveryLevel() + ")");
        }
        System.out.println("login    " + emulator.loginUri() + " (authority host; directory "
                + Directories.DEFAULT_DIRECTORY + ", client id " + Directories.DEFAULT_CLIENT_ID + ", secret "
                + Directories.DEFAULT_CLIENT_SECRET + ")");
        System.out.println("tokens   REST bearer tokens (emulator only): service "
                + KeyVaultEmulator.DEFAULT_SERVICE_TOKEN + ", admin " + KeyVaultEmulator.DEFAULT_ADMIN_TOKEN);
        System.out.println("hosts    " + emulator.hostsFile()
                + " (vault names -> loopback, for quarkus.vertx.resolver.hosts-path)");
        System.out.println("admin    " + emulator.adminUri() + "/admin/vaults");
        System.out.println("ready");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            emulator.close();
                            stopped.countDown();
                        },
                        "emulator-stop"));
        stopped.await();
        return 0;
    }

    /** {@code NAME[:PORT][:no-purge-protection|:no-soft-delete]}. */
    static final class VaultSpecConverter implements CommandLine.ITypeConverter<KeyVaultEmulator.VaultSpec> {
        @Override
        public KeyVaultEmulator.VaultSpec convert(String spec) {
            return parseVault(spec);
        }
    }

    static KeyVaultEmulator.VaultSpec parseVault(String spec) {
        String[] parts = spec.split(":");
        int port = 0;
        boolean softDelete = true;
        boolean purgeProtection = true;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "no-purge-protection" -> purgeProtection = false;
                case "no-soft-delete" -> {
                    softDelete = false;
                    purgeProtection = false;
                }
                default -> {
                    try {
                        port = Integer.parseInt(parts[i]);
                    } catch (NumberFormatException e) {
                        throw new CommandLine.TypeConversionException("'" + parts[i] + "' in '" + spec
                                + "' is neither a port nor no-purge-protection / no-soft-delete");
                    }
                }
            }
        }
        try {
            return new KeyVaultEmulator.VaultSpec(parts[0], port, softDelete, purgeProtection);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
