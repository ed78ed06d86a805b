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
    private static final String OTHER_DIRECTORY = "c0de0000-0000-4000-8000-000000000002";
    private static KeyVaultEmulator emulator;
    private static EmulatorAdminClient admin;
    private static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        emulator = KeyVaultEmulator.builder()
                .vault(KeyVaultEmulator.VaultSpec.purgeProtected("alpha"))
                .vault(new KeyVaultEmulator.VaultSpec("beta", 0, true, false))
                .vault(new KeyVaultEmulator.VaultSpec("gamma", OTHER_DIRECTORY, 0, true, true))
                .stateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "emulator-it"))
                .start();
        admin = new EmulatorAdminClient(emulator.adminUri());
        https = HttpClient.newBuilder()
                .sslContext(trusting(emulator.certificatePem()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void requestWithoutToken_getsTheChallenge() throws Exception {
        HttpResponse<String> response = send("GET", "alpha", "/keys/any/versions?api-version=2025-07-01", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h)
                        .contains("authorization=\"https://login.microsoftonline.com/" + Directories.DEFAULT_DIRECTORY
                                + "\"")
                        .contains("resource=\"https://vault.localhost\""));
    }

    @Test
    void signIn_issuesTokensOnlyToARegisteredApplicationWithItsSecret_answeringAsEntraDoes() throws Exception {
        HttpResponse<String> wrongSecret =
                signIn(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID, "not-the-secret");
        HttpResponse<String> unknownDirectory = signIn(
                "dead0000-0000-4000-8000-000000000009",
                Directories.DEFAULT_CLIENT_ID,
                Directories.DEFAULT_CLIENT_SECRET);
        emulator.directories().removeServicePrincipal(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        HttpResponse<String> notRegistered;
        try {
            notRegistered = signIn(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID, Directories.DEFAULT_CLIENT_SECRET);
        } finally {
            emulator.directories().addServicePrincipal(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        }

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body())
                .contains("\"error\":\"invalid_client\"")
                .contains("AADSTS7000215: Invalid client secret provided");
        assertThat(unknownDirectory.statusCode()).isEqualTo(400);
        assertThat(unknownDirectory.body())
                .contains("AADSTS90002: Tenant 'dead0000-0000-4000-8000-000000000009' not found.");
        assertThat(notRegistered.statusCode()).isEqualTo(400);
        assertThat(notRegistered.body())
                .contains("\"error\":\"unauthorized_client\"")
                .contains("AADSTS700016: Application with identifier '" + Directories.DEFAULT_CLIENT_ID
                        + "' was not found in the directory '" + OTHER_DIRECTORY + "'");
    }

    @Test
    void tokenOfAnotherDirectory_getsKeyVaultsInvalidIssuerAnswer_itsOwnVaultAcceptsIt() throws Exception {
        HttpResponse<String> signedIn =
                signIn(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID, Directories.DEFAULT_CLIENT_SECRET);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        String token = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(signedIn.body())
                .path("access_token")
                .asText();
        admin.createKey("gamma", "theirs", "RSA", 2048);

        HttpResponse<String> foreign = send("GET", "alpha", "/keys/any/versions", token);
        HttpResponse<String> own = send("GET", "gamma", "/keys/theirs/versions", token);

        assertThat(foreign.statusCode()).isEqualTo(401);
        assertThat(foreign.body())
                .contains("AKV10032: Invalid issuer. Expected one of https://sts.windows.net/"
                        + Directories.DEFAULT_DIRECTORY + "/, found https://sts.windows.net/" + OTHER_DIRECTORY + "/.");
        assertThat(own.statusCode()).isEqualTo(200);
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
    void serviceVaultPermissions_letTheServiceCreateDeleteAndPurge_andNothingElseDoes() throws Exception {
        String token = emulator.serviceToken();
        assertThat(send("POST", "beta", "/keys/tenant-x/create", token).statusCode())
                .isEqualTo(403);

        emulator.vault("beta").setPermissions(EmulatedVault.SERVICE_VAULT_PERMISSIONS);
        try {
            assertThat(send("POST", "beta", "/keys/tenant-x/create", token).statusCode())
                    .isEqualTo(200);
            assertThat(send("DELETE", "beta", "/keys/tenant-x", token).statusCode())
                    .isEqualTo(200);
            assertThat(send("GET", "beta", "/deletedkeys/tenant-x", token).statusCode())
                    .isEqualTo(200);
            assertThat(send("DELETE", "beta", "/deletedkeys/tenant-x", token).statusCode())
                    .isEqualTo(204);
            assertThat(send("GET", "beta", "/deletedkeys/tenant-x", token).statusCode())
                    .isEqualTo(404);
            assertThat(send("POST", "beta", "/deletedkeys/tenant-x/recover", token)
                            .statusCode())
                    .isEqualTo(403); // recovering stays an admin's act
        } finally {
            emulator.vault("beta").setPermissions(EmulatedVault.DEFAULT_PERMISSIONS);
        }
    }

    @Test
    void deletedKey_isRecoverable_inASoftDeleteVault() throws Exception {
        admin.createKey("alpha", "deleted", "RSA", 2048);
        admin.deleteKey("alpha", "deleted");

        assertThat(send("GET", "alpha", "/keys/deleted/versions", emulator.serviceToken())
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "alpha", "/deletedkeys/deleted", emulator.adminToken())
                        .statusCode())
                .isEqualTo(200);
        admin.recoverKey("alpha", "deleted");
        assertThat(send("GET", "alpha", "/keys/deleted/versions", emulator.serviceToken())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void refuseFault_closesThePort_andLiftingItReopensTheSamePort() throws Exception {
        URI before = emulator.vaultUri("beta");
        admin.setFaults("beta", Faults.unreachable(Faults.Unreachable.REFUSE));

        assertThatThrownBy(() -> send("GET", "beta", "/keys/x/versions", emulator.serviceToken()))
                .hasCauseInstanceOf(ConnectException.class);
        admin.clearFaults("beta");
        assertThat(emulator.vaultUri("beta")).isEqualTo(before);
        assertThat(send("GET", "beta", "/keys/x/versions", emulator.serviceToken())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void opsBudget_throttlesBeyondIt_withRetryAfter() throws Exception {
        admin.createKey("beta", "budget", "RSA", 2048);
        admin.setFaults("beta", Faults.budget(3));
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(send("GET", "beta", "/keys/budget/versions", emulator.serviceToken())
                                .statusCode())
                        .isEqualTo(200);
            }
            HttpResponse<String> fourth = send("GET", "beta", "/keys/budget/versions", emulator.serviceToken());

            assertThat(fourth.statusCode()).isEqualTo(429);
            assertThat(fourth.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 10));
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
        assertThatThrownBy(() -> admin.counters("delta"))
                .hasMessageContaining("404")
                .hasMessageContaining("no vault named 'delta'");
        assertThatThrownBy(() -> admin.setPermissions("alpha", List.of("backup")))
                .hasMessageContaining("400")
                .hasMessageContaining("unknown permission 'backup'");
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
        assertThat(KeyVaultEmulatorMain.parseVault("demo:8443"))
                .isEqualTo(new KeyVaultEmulator.VaultSpec("demo", 8443, true, true));
        assertThat(KeyVaultEmulatorMain.parseVault("weak:no-purge-protection"))
                .isEqualTo(new KeyVaultEmulator.VaultSpec("weak", 0, true, false));
        assertThat(KeyVaultEmulatorMain.parseVault("bare:9000:no-soft-delete"))
                .isEqualTo(new KeyVaultEmulator.VaultSpec("bare", 9000, false, false));
        assertThat(Set.of(EmulatedVault.DEFAULT_PERMISSIONS.toArray()))
                .containsExactlyInAnyOrder("list", "wrapKey", "unwrapKey");
    }

    /** The client-credentials grant, as azure-identity sends it, at the emulator's sign-in (on loopback). */
    private static HttpResponse<String> signIn(String directory, String clientId, String secret) throws Exception {
        String form = "client_id=" + clientId + "&client_secret=" + secret + "&grant_type=client_credentials"
                + "&scope=" + java.net.URLEncoder.encode("https://vault.localhost/.default", StandardCharsets.UTF_8);
        URI token = URI.create(
                "https://localhost:" + emulator.loginUri().getPort() + "/" + directory + "/oauth2/v2.0/token");
        return https.send(
                HttpRequest.newBuilder(token)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String vault, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.loopbackUri(vault) + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        "POST".equals(method)
                                ? HttpRequest.BodyPublishers.ofString("{\"kty\":\"RSA\"}")
                                : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry(
                "emulator",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
