package dev.byok.emulator;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local Azure Key Vault (keys API) over HTTPS, good enough for the real Azure SDK: one HTTPS
 * port per vault, addressed as {@code https://{vault}.vault.localhost:{port}} (as real vaults are
 * {@code {vault}.vault.azure.net}), so the SDK's challenge resource verification passes against
 * the emulator's resource {@code https://vault.localhost} exactly as it does against
 * {@code https://vault.azure.net}. Clients resolve those names through the hosts file the emulator
 * writes ({@link #hostsFile()}). Every vault belongs to a directory (an Entra tenant id). A sign-in
 * ({@link TokenApi} at {@link #loginUri()}) issues tokens for the client-credentials grant to
 * applications registered in a directory ({@link Directories}); a vault accepts only tokens of its
 * own directory, and grants its permissions to the BYOK application. Two static bearer tokens stay
 * for emulator-only use (the service's, for the {@code STATIC_TOKEN} credential kind, and an
 * admin's with every right). A self-signed certificate for all these names, and a plain-HTTP admin
 * API on loopback for fault injection ({@link AdminApi}).
 */
public final class KeyVaultEmulator implements AutoCloseable {
    public static final String DEFAULT_SERVICE_TOKEN = "emulator-service-token";
    public static final String DEFAULT_ADMIN_TOKEN = "emulator-admin-token";
    /** The emulator's Key Vault domain: vaults are its sub-domains, and it is the resource its challenges name. */
    public static final String DOMAIN = "vault.localhost";
    /** The resource its challenges name and its tokens are for (a real vault's is https://vault.azure.net). */
    public static final String RESOURCE = "https://" + DOMAIN;

    /** One vault: its name, HTTPS port (0 = any free one) and soft-delete / purge-protection settings. */
    public record VaultSpec(String name, String directory, int port, boolean softDelete, boolean purgeProtection) {
        public VaultSpec {
            if (name == null || !name.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException(
                        "a vault name is a DNS label (lowercase letters, digits, inner hyphens): " + name);
            }
            if (directory == null
                    || !directory.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
                throw new IllegalArgumentException("a directory id is a lowercase GUID: " + directory);
            }
        }

        /** A vault of the default directory. */
        public VaultSpec(String name, int port, boolean softDelete, boolean purgeProtection) {
            this(name, Directories.DEFAULT_DIRECTORY, port, softDelete, purgeProtection);
        }

        public static VaultSpec purgeProtected(String name) {
            return new VaultSpec(name, 0, true, true);
        }
    }

    private final Map<String, EmulatedVault> vaults = new LinkedHashMap<>();
    private final Map<String, HttpsServer> servers = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final InetAddress bindAddress;
    private final SelfSignedCertificate certificate;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "keyvault-emulator");
        t.setDaemon(true);
        return t;
    });
    private final String serviceToken;
    private final String adminToken;
    private final HttpServer admin;
    private final HttpsServer login;
    private final Path hostsFile;
    private final Directories directories = new Directories();
    private final EmulatorTokens tokens;

    KeyVaultEmulator(EmulatorBuilder b) throws IOException, GeneralSecurityException {
        this.bindAddress = b.bindAddress;
        this.serviceToken = b.serviceToken;
        this.adminToken = b.adminToken;
        this.certificate = SelfSignedCertificate.loadOrCreate(b.stateDirectory);
        this.tokens = EmulatorTokens.loadOrCreate(b.stateDirectory);
        directories.registerApplication(Directories.DEFAULT_CLIENT_ID, Directories.DEFAULT_CLIENT_SECRET);
        login = HttpsServer.create(new InetSocketAddress(bindAddress, b.loginPort), 0);
        login.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
        login.createContext("/", new TokenApi(directories, tokens));
        login.setExecutor(executor);
        login.start();
        for (VaultSpec spec : b.vaults) {
            directories.addServicePrincipal(
                    spec.directory(), Directories.DEFAULT_CLIENT_ID); // the customer registered the BYOK app
            vaults.put(
                    spec.name(),
                    new EmulatedVault(
                            spec.name(),
                            spec.directory(),
                            spec.softDelete(),
                            spec.purgeProtection(),
                            b.persistKeys ? new VaultStore(b.stateDirectory, spec.name()) : null));
            if (b.ownVaults.contains(spec.name())) {
                vaults.get(spec.name()).setPermissions(EmulatedVault.SERVICE_VAULT_PERMISSIONS);
            }
            ports.put(spec.name(), spec.port());
            startVault(spec.name());
        }
        hostsFile = writeHostsFile(b.stateDirectory);
        admin = HttpServer.create(new InetSocketAddress(bindAddress, b.adminPort), 0);
        admin.createContext("/admin", new AdminApi(this));
        admin.setExecutor(executor);
        admin.start();
    }

    public static EmulatorBuilder builder() {
        return new EmulatorBuilder();
    }

    /** The vault's base URI, e.g. {@code https://byok-demo.vault.localhost:8443}: what key ids name. */
    public URI vaultUri(String name) {
        requireVault(name);
        return vaultUri(name, ports.get(name));
    }

    /** The URI of vault {@code name} listening on {@code port}. */
    public static URI vaultUri(String name, int port) {
        return URI.create("https://" + name + "." + DOMAIN + ":" + port);
    }

    /** The same vault at {@code https://localhost:{port}}, for clients that cannot use {@link #hostsFile()} (tests of the emulator). */
    public URI loopbackUri(String name) {
        requireVault(name);
        return URI.create("https://localhost:" + ports.get(name));
    }

    /**
     * A hosts file mapping {@code localhost} and every vault's host to loopback: a service's Vert.x
     * resolves the vault names with it ({@code quarkus.vertx.resolver.hosts-path}).
     */
    public Path hostsFile() {
        return hostsFile;
    }

    private Path writeHostsFile(Path directory) throws IOException {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n127.0.0.1 login." + DOMAIN + "\n");
        for (String name : vaults.keySet()) {
            hosts.append("127.0.0.1 ").append(name).append('.').append(DOMAIN).append('\n');
        }
        Path file = java.nio.file.Files.createTempFile(
                directory, "emulator-hosts-", ""); // one per emulator: another may share the directory
        java.nio.file.Files.writeString(file, hosts);
        return file;
    }

    /**
     * The sign-in's authority host, e.g. {@code https://login.vault.localhost:8444}: azure-identity's
     * {@code authorityHost}, with instance discovery disabled. Its token endpoint is
     * {@code {authorityHost}/{directory}/oauth2/v2.0/token}.
     */
    public URI loginUri() {
        return URI.create("https://login." + DOMAIN + ":" + login.getAddress().getPort());
    }

    /** Applications and their service principals per directory. */
    public Directories directories() {
        return directories;
    }

    public URI adminUri() {
        return URI.create("http://localhost:" + admin.getAddress().getPort());
    }

    /** The TLS certificate in PEM form; clients trust exactly this. */
    public String certificatePem() {
        return certificate.pem();
    }

    public String serviceToken() {
        return serviceToken;
    }

    public String adminToken() {
        return adminToken;
    }

    public List<String> vaultNames() {
        return new ArrayList<>(vaults.keySet());
    }

    public EmulatedVault vault(String name) {
        requireVault(name);
        return vaults.get(name);
    }

    /** Replaces a vault's faults; REFUSE closes its port and lifting it opens the same port again. */
    public synchronized void setFaults(String name, Faults faults) {
        EmulatedVault vault = vault(name);
        vault.setFaults(faults);
        boolean refuse = faults.unreachable() == Faults.Unreachable.REFUSE;
        if (refuse && servers.containsKey(name)) {
            servers.remove(name).stop(0);
        } else if (!refuse && !servers.containsKey(name)) {
            startVault(name);
        }
    }

    private void startVault(String name) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(bindAddress, ports.get(name)), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
            URI uri = vaultUri(name, server.getAddress().getPort());
            server.createContext(
                    "/", new KeysApi(vaults.get(name), uri.toString(), serviceToken, adminToken, tokens, directories));
            server.setExecutor(executor);
            server.start();
            ports.put(name, server.getAddress().getPort());
            servers.put(name, server);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open port " + ports.get(name) + " for vault " + name, e);
        }
    }

    private void requireVault(String name) {
        if (!vaults.containsKey(name)) {
            throw new NoSuchElementException("no vault named '" + name + "' (vaults: " + vaults.keySet() + ")");
        }
    }

    @Override
    public synchronized void close() {
        admin.stop(0);
        login.stop(0);
        servers.values().forEach(s -> s.stop(0));
        servers.clear();
        vaults.values().forEach(v -> v.setFaults(Faults.NONE)); // releases silent requests
        executor.shutdownNow();
        hostsFile.toFile().delete();
    }
}
