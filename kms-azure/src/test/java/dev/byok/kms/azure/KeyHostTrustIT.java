package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.WrappedDek;
import dev.byok.emulator.KeytoolCertificate;
import dev.byok.kms.InMemoryKeyIds;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's Key Vault token never leaves for a host that is not a vault, whichever way a key
 * id arrives: from an admin, in a Kafka key-config event, or in a stored DEK. A local HTTPS server
 * plays the other host: it answers every request with a Key Vault challenge naming a foreign
 * resource and records every {@code Authorization} header it receives.
 */
class KeyHostTrustIT {
    private static final String TOKEN = "the-service-token";
    private static final char[] PASSWORD = "not-secret".toCharArray();
    private static final List<Optional<String>> AUTHORIZATIONS = Collections.synchronizedList(new ArrayList<>());

    private static HttpsServer server;
    private static Vertx vertx;
    private static Kms kms;
    private static int port;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path store = dir.resolve("foreign.p12");
        KeytoolCertificate.create(store, "foreign", PASSWORD, "dns:*.vault.localhost,dns:localhost,ip:127.0.0.1");
        KeyStore keys = KeytoolCertificate.load(store, PASSWORD);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(KeytoolCertificate.serverContext(keys, PASSWORD)));
        server.createContext("/", exchange -> {
            AUTHORIZATIONS.add(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            "Bearer authorization=\"https://login.microsoftonline.com/"
                                    + "11111111-1111-1111-1111-111111111111\", resource=\"https://vault.azure.net\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();

        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 evil.vault.localhost\n");
        vertx = Vertx.vertx(new VertxOptions()
                .setAddressResolverOptions(new AddressResolverOptions().setHostsPath(hosts.toString())));
        // "evil.vault.localhost" is allow-listed as if it were an emulator: only its challenge can stop the token
        AzureKmsSettings settings = AzureKmsSettings.DEFAULTS
                .withOperationDeadline(Duration.ofSeconds(3))
                .withEmulator("evil.vault.localhost:" + port, KeytoolCertificate.pem(keys.getCertificate("foreign")));
        var http = AzureHttpClients.create(vertx, settings);
        kms = new AzureKeyVaultKms(
                settings,
                AzureCredentials.create(CredentialSettings.staticToken(TOKEN), http),
                http,
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        vertx.close();
    }

    @BeforeEach
    void forgetRequests() {
        AUTHORIZATIONS.clear();
    }

    @Test
    void keyIdOnAHostThatIsNoVault_isRefusedBeforeAnyRequest_fromEveryEntry() {
        String id = "https://localhost:" + port + "/keys/k/0123456789abcdef"; // the same server, not allow-listed

        for (Function<String, Throwable> entry : entries()) {
            assertThat(failure(entry.apply(id))).isEqualTo(KeyAccessFailure.UNTRUSTED_KEY_HOST);
        }
        assertThat(AUTHORIZATIONS).isEmpty();
    }

    @Test
    void hostWhoseChallengeNamesAnotherResource_neverGetsTheToken_fromEveryEntry() {
        String id = "https://evil.vault.localhost:" + port + "/keys/k/0123456789abcdef";

        for (Function<String, Throwable> entry : entries()) {
            assertThat(failure(entry.apply(id))).isEqualTo(KeyAccessFailure.UNTRUSTED_CHALLENGE);
        }
        assertThat(AUTHORIZATIONS)
                .isNotEmpty()
                .allSatisfy(header -> assertThat(header).isEmpty());
    }

    @Test
    void aKeyOfAnotherProvider_isRefusedBeforeAnyRequest() {
        KeyRef elsewhere = new KeyRef(InMemoryKeyIds.PROVIDER, "vault-1", "k");

        assertThat(failure(error(() -> KmsFutures.join(kms.describe(elsewhere)))))
                .isEqualTo(KeyAccessFailure.UNTRUSTED_KEY_HOST);
        assertThat(failure(error(() -> KmsFutures.join(kms.unwrap(elsewhere.version("1"), new byte[256])))))
                .isEqualTo(KeyAccessFailure.UNTRUSTED_KEY_HOST);
        assertThat(AUTHORIZATIONS).isEmpty();
    }

    /** The ways a key id reaches the KMS: an admin's URI, a Kafka key-config event, a stored DEK. */
    private static List<Function<String, Throwable>> entries() {
        return List.of(
                id -> error(() ->
                        KmsFutures.join(kms.describe(KeyVersionId.parse(id).key()))),
                id -> {
                    byte[] event =
                            EventCodec.encode(new KeyConfigEvent.KeyEnabled("tenant-a", 1, Instant.now(), id, id));
                    KeyVersionId inUse = KeyVersionId.parse(
                            ((KeyConfigEvent.KeyEnabled) EventCodec.decode(event, KeyConfigEvent.class))
                                    .keyVersionId());
                    return error(() -> KmsFutures.join(kms.wrap(inUse, new byte[32])));
                },
                id -> {
                    byte[] stored =
                            new WrappedDek.CustomerWrapped(WrappedDek.Format.TENANT_KEY, 1, id, new byte[256]).encode();
                    WrappedDek.CustomerWrapped read = (WrappedDek.CustomerWrapped) WrappedDek.decode(stored);
                    return error(
                            () -> KmsFutures.join(kms.unwrap(KeyHierarchy.customerKey(read), read.customerWrap())));
                });
    }

    private static Throwable error(Runnable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(call::run).satisfies(e -> caught[0] = e);
        return caught[0];
    }

    private static KeyAccessFailure failure(Throwable error) {
        assertThat(error).isInstanceOf(KmsException.class);
        return ((KmsException) error).failure();
    }
}
