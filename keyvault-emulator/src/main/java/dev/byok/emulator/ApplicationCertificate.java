package dev.byok.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A certificate credential for an application, as an Entra admin would add one to the app
 * registration: a key pair made with keytool, the certificate registered with the emulator's
 * {@link Directories}, and private key plus certificate written as the PEM file azure-identity's
 * client-certificate credential reads (owner-only).
 */
public final class ApplicationCertificate {
    private ApplicationCertificate() {
    }

    /** Issues a certificate for {@code clientId}, registers it in {@code directories} and writes {@code pemFile}. */
    public static X509Certificate issue(Directories directories, String clientId, Path pemFile)
            throws IOException, GeneralSecurityException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        char[] password = HexFormat.of().formatHex(random).toCharArray();
        Path store = Files.createTempFile(pemFile.toAbsolutePath().getParent(), "app-", ".p12");
        Files.delete(store); // keytool creates it
        try {
            KeytoolCertificate.create(store, "byok-app", password, "dns:byok-app.invalid");
            KeyStore keys = KeytoolCertificate.load(store, password);
            PrivateKey key = (PrivateKey) keys.getKey("byok-app", password);
            X509Certificate certificate = (X509Certificate) keys.getCertificate("byok-app");
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n" + KeytoolCertificate.pem(certificate);
            Files.deleteIfExists(pemFile);
            Files.createFile(pemFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pemFile, pem);
            directories.registerCertificate(clientId, certificate);
            return certificate;
        } finally {
            Files.deleteIfExists(store);
        }
    }
}
