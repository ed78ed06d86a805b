package dev.byok.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator's own behaviour over real HTTPS and HTTP; the Azure SDK's view of it is tested in kms-azure. */
class KeyVaultEmulatorIT {
    private static KeyVaultEmulator emulator;
    private static EmulatorAdminClient admin;
    private static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        emulator = KeyVaultEmulator.builder()
                .vault(KeyVaultEmulator.VaultSpec.purgeProtected("alpha"))
                .vault(new KeyVaultEmulator.VaultSpec("beta", 0, true, false))
                .stateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "emulator-it"))
                .start();
        admin = new EmulatorAdminClient(emulator.adminUri());
        https = HttpClient.newBuilder().sslContext(trusting(emulator.certificatePem())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void requestWithoutToken_getsTheChallenge() throws Exception {
        HttpResponse<String> response = send("GET", "alpha", "/keys/any/versions?api-version=2025-07-01", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).contains("authorization=\"https://login.microsoftonline.com/").contains("resource=\"https://vault.localhost\""));
    }

    @Test
    void unknownToken_isRefused() throws Exception {
        HttpResponse<String> response = send("GET", "alpha", "/keys/any/versions", "not-a-token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"Unauthorized\"");
    }

    @Test
    void serviceToken_listsVersions_butMayNotCreateKeys() throws Exception {
        String kid = admin.createKey("alpha", "listed", "RSA", 2048);

        HttpResponse<String> list = send("GET", "alpha", "/keys/listed/versions", emulator.serviceToken());
        HttpResponse<String> create = send("POST", "alpha", "/keys/other/create", emulator.serviceToken());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(kid).contains("\"recoveryLevel\":\"Recoverable\"");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("ForbiddenByPolicy");
    }

    @Test
    void vaults_reportTheirRecoveryLevels() {
        assertThat(emulator.vault("alpha").recoveryLevel()).isEqualTo("Recoverable");
        assertThat(emulator.vault("beta").recoveryLevel()).isEqualTo("Recoverable+Purgeable");
    }

    @Test
    void deletedKey_isRecoverable_inASoftDeleteVault() throws Exception {
        admin.createKey("alpha", "deleted", "RSA", 2048);
        admin.deleteKey("alpha", "deleted");

        assertThat(send("GET", "alpha", "/keys/deleted/versions", emulator.serviceToken()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "alpha", "/deletedkeys/deleted", emulator.adminToken()).statusCode()).isEqualTo(200);
        admin.recoverKey("alpha", "deleted");
        assertThat(send("GET", "alpha", "/keys/deleted/versions", emulator.serviceToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void refuseFault_closesThePort_andLiftingItReopensTheSamePort() throws Exception {
        URI before = emulator.vaultUri("beta");
        admin.setFaults("beta", new Faults(false, Faults.Unreachable.REFUSE, 0, null, null, 0, false));

        assertThatThrownBy(() -> send("GET", "beta", "/keys/x/versions", emulator.serviceToken())).hasCauseInstanceOf(ConnectException.class);
        admin.clearFaults("beta");
        assertThat(emulator.vaultUri("beta")).isEqualTo(before);
        assertThat(send("GET", "beta", "/keys/x/versions", emulator.serviceToken()).statusCode()).isEqualTo(404);
    }

    @Test
    void opsBudget_throttlesBeyondIt_withRetryAfter() throws Exception {
        admin.createKey("beta", "budget", "RSA", 2048);
        admin.setFaults("beta", new Faults(false, Faults.Unreachable.NONE, 0, null, 3, 0, false));
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(send("GET", "beta", "/keys/budget/versions", emulator.serviceToken()).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> fourth = send("GET", "beta", "/keys/budget/versions", emulator.serviceToken());

            assertThat(fourth.statusCode()).isEqualTo(429);
            assertThat(fourth.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 10));
        } finally {
            admin.clearFaults("beta");
        }
    }

    @Test
    void counters_countServedOperations() throws Exception {
        admin.createKey("alpha", "counted", "RSA", 2048);
        admin.resetCounters("alpha");
        send("GET", "alpha", "/keys/counted/versions", emulator.serviceToken());

        assertThat(admin.counters("alpha")).containsEntry("versions", 1L).containsEntry("requests", 1L);
    }

    @Test
    void adminApi_refusesUnknownVaultsAndPermissions_precisely() {
        assertThatThrownBy(() -> admin.counters("gamma")).hasMessageContaining("404").hasMessageContaining("no vault named 'gamma'");
        assertThatThrownBy(() -> admin.setPermissions("alpha", List.of("purge")))
                .hasMessageContaining("400").hasMessageContaining("unknown permission 'purge'");
        admin.setPermissions("alpha", EmulatedVault.DEFAULT_PERMISSIONS);
    }

    @Test
    void updateVersion_throughTheAdminApi_changesItsAttributes() {
        String kid = admin.createKey("alpha", "updated", "RSA", 3072);
        String version = kid.substring(kid.lastIndexOf('/') + 1);

        admin.updateVersion("alpha", "updated", version, Map.of("enabled", false, "keyOps", List.of("wrapKey")));

        KeyVersion v = emulator.vault("alpha").existing("updated").latest();
        assertThat(v.enabled).isFalse();
        assertThat(v.keyOps).containsExactly("wrapKey");
        assertThat(v.size).isEqualTo(3072);
    }

    @Test
    void vaultSpecs_parseFromTheCommandLine() {
        assertThat(KeyVaultEmulatorMain.parseVault("demo:8443")).isEqualTo(new KeyVaultEmulator.VaultSpec("demo", 8443, true, true));
        assertThat(KeyVaultEmulatorMain.parseVault("weak:no-purge-protection")).isEqualTo(new KeyVaultEmulator.VaultSpec("weak", 0, true, false));
        assertThat(KeyVaultEmulatorMain.parseVault("bare:9000:no-soft-delete")).isEqualTo(new KeyVaultEmulator.VaultSpec("bare", 9000, false, false));
        assertThat(Set.of(EmulatedVault.DEFAULT_PERMISSIONS.toArray())).containsExactlyInAnyOrder("list", "wrapKey", "unwrapKey");
    }

    private static HttpResponse<String> send(String method, String vault, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.loopbackUri(vault) + path)).timeout(Duration.ofSeconds(10))
                .method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("{\"kty\":\"RSA\"}") : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("emulator", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
