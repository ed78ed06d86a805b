package dev.byok.emulator;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone until Ctrl-C.
 * <pre>
 * --vault NAME[:PORT][:no-purge-protection|:no-soft-delete]   (repeatable; default byok-demo:8443)
 * --key VAULT/NAME                                           create an RSA-2048 key at start (repeatable)
 * --admin-port PORT                                          default 8480
 * --login-port PORT                                          the sign-in (token endpoint); default 8444
 * --state-dir DIR                                            where the TLS certificate is kept; default .byok/keyvault-emulator
 * --persist-keys                                             keep keys in the state directory across restarts
 * --bind-all                                                 listen on every interface (containers), not only loopback
 * --service-token TOKEN / --admin-token TOKEN                the two accepted bearer tokens
 * </pre>
 */
public final class KeyVaultEmulatorMain {
    private KeyVaultEmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        KeyVaultEmulator.Builder builder = KeyVaultEmulator.builder().adminPort(8480).loginPort(8444)
                .stateDirectory(Path.of(".byok", "keyvault-emulator"));
        List<String> keys = new ArrayList<>();
        boolean anyVault = false;
        String serviceToken = KeyVaultEmulator.DEFAULT_SERVICE_TOKEN;
        String adminToken = KeyVaultEmulator.DEFAULT_ADMIN_TOKEN;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vault" -> {
                    builder.vault(parseVault(args[++i]));
                    anyVault = true;
                }
                case "--key" -> keys.add(args[++i]);
                case "--admin-port" -> builder.adminPort(Integer.parseInt(args[++i]));
                case "--login-port" -> builder.loginPort(Integer.parseInt(args[++i]));
                case "--state-dir" -> builder.stateDirectory(Path.of(args[++i]));
                case "--bind-all" -> builder.bindAddress(InetAddress.getByName("0.0.0.0"));
                case "--persist-keys" -> builder.persistKeys(true);
                case "--service-token" -> serviceToken = args[++i];
                case "--admin-token" -> adminToken = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class Javadoc)");
            }
        }
        if (!anyVault) {
            builder.vault(new KeyVaultEmulator.VaultSpec("byok-demo", 8443, true, true));
        }
        KeyVaultEmulator emulator = builder.tokens(serviceToken, adminToken).start();
        for (String key : keys) {
            String[] parts = key.split("/", 2);
            String version = emulator.vault(parts[0]).createKey(parts[1], "RSA", 2048, List.of());
            System.out.println("key      " + emulator.vaultUri(parts[0]) + "/keys/" + parts[1] + "/" + version);
        }
        for (String name : emulator.vaultNames()) {
            System.out.println("vault    " + name + " " + emulator.vaultUri(name) + " (" + emulator.vault(name).recoveryLevel() + ")");
        }
        System.out.println("login    " + emulator.loginUri() + " (authority host; directory " + Directories.DEFAULT_DIRECTORY
                + ", client id " + Directories.DEFAULT_CLIENT_ID + ")");
        System.out.println("hosts    " + emulator.hostsFile() + " (vault names -> loopback, for quarkus.vertx.resolver.hosts-path)");
        System.out.println("admin    " + emulator.adminUri() + "/admin/vaults");
        System.out.println("ready");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "emulator-stop"));
        stopped.await();
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
                default -> port = Integer.parseInt(parts[i]);
            }
        }
        return new KeyVaultEmulator.VaultSpec(parts[0], port, softDelete, purgeProtection);
    }
}
