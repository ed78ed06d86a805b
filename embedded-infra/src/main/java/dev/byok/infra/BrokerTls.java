package dev.byok.infra;

import dev.byok.emulator.KeytoolCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;

/**
 * The local broker's TLS identity: a self-signed certificate for localhost, 127.0.0.1 and
 * {@code kafka} (its compose name), made once per directory and kept, so clients keep trusting it
 * across restarts. Clients trust the PEM copy of the certificate and nothing else.
 */
final class BrokerTls {
    private static final String ALIAS = "kafka";

    private final Path keyStore;
    private final String password;
    private final Path certificate;

    private BrokerTls(Path keyStore, String password, Path certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    static BrokerTls loadOrCreate(Path directory) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        Path store = directory.resolve("broker.p12");
        String password = KafkaCredentials.in(directory).password("broker.p12.password"); // owner-only, made once
        if (!Files.exists(store)) {
            KeytoolCertificate.create(store, ALIAS, password.toCharArray(), "dns:localhost,dns:kafka,ip:127.0.0.1");
        }
        KeyStore keys = KeytoolCertificate.load(store, password.toCharArray());
        String pem = KeytoolCertificate.pem(keys.getCertificate(ALIAS));
        Path certificate = directory.resolve("kafka-ca.pem");
        Files.writeString(certificate, pem);
        return new BrokerTls(store, password, certificate);
    }

    Path certificate() {
        return certificate;
    }

    /** The broker's key store, and its own certificate as trust for its connections to itself (controller, inter-broker). */
    Map<String, String> brokerProperties() {
        return Map.of(
                "ssl.keystore.type",
                "PKCS12",
                "ssl.keystore.location",
                keyStore.toString(),
                "ssl.keystore.password",
                password,
                "ssl.key.password",
                password,
                "ssl.truststore.type",
                "PEM",
                "ssl.truststore.location",
                certificate.toString());
    }
}
