package dev.byok.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;

/**
 * The emulator's TLS identity: a self-signed certificate for its vault hosts ({@code *.vault.localhost}),
 * localhost / 127.0.0.1 (and keyvault-emulator, its docker-compose name), made once per
 * state directory with the JDK's keytool (no extra library) and reused on later starts, so clients
 * keep trusting it across restarts.
 */
final class SelfSignedCertificate {
    private static final String ALIAS = "keyvault-emulator";
    private static final char[] STORE_PASSWORD = "emulator".toCharArray();

    private final SSLContext sslContext;
    private final String pem;

    private SelfSignedCertificate(SSLContext sslContext, String pem) {
        this.sslContext = sslContext;
        this.pem = pem;
    }

    static SelfSignedCertificate loadOrCreate(Path directory) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        Path store = directory.resolve("emulator-tls-v2.p12"); // v2: with the vault hosts' names
        if (!Files.exists(store)) {
            generate(store);
        }
        KeyStore keyStore = KeytoolCertificate.load(store, STORE_PASSWORD);
        SSLContext context = KeytoolCertificate.serverContext(keyStore, STORE_PASSWORD);
        String pem = KeytoolCertificate.pem(keyStore.getCertificate(ALIAS));
        Files.writeString(directory.resolve("emulator-ca.pem"), pem);
        return new SelfSignedCertificate(context, pem);
    }

    SSLContext sslContext() {
        return sslContext;
    }

    /** The certificate in PEM form: what a client adds to its trust. */
    String pem() {
        return pem;
    }

    private static void generate(Path store) throws IOException {
        KeytoolCertificate.create(
                store,
                ALIAS,
                STORE_PASSWORD,
                "dns:*." + KeyVaultEmulator.DOMAIN + ",dns:localhost,dns:keyvault-emulator,ip:127.0.0.1");
    }
}
