package dev.byok.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A certificate credential for an application, as an Entra admin would add one to the app
 * registration: a key pair made with keytool, the certificate registered with the emulator's
 * {@link Directories}, and private key plus certificate written as the PEM file azure-identity's
 * client-certificate credential reads (owner-only).
 */
public final class ApplicationCertificate {
    private ApplicationCertificate() {}

    /** Issues a certificate for {@code clientId}, registers it in {@code directories} and writes {@code pemFile}. */
    public static X509Certificate issue(Directories directories, String clientId, Path pemFile)
            throws IOException, GeneralSecurityException {
        KeyStore.PrivateKeyEntry pair =
                KeytoolCertificate.generate(pemFile.toAbsolutePath().getParent(), "byok-app");
        X509Certificate certificate = (X509Certificate) pair.getCertificate();
        String key = Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(pair.getPrivateKey().getEncoded());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + key + "\n-----END PRIVATE KEY-----\n"
                + KeytoolCertificate.pem(certificate);
        KeytoolCertificate.writeOwnerOnly(pemFile, pem);
        directories.registerCertificate(clientId, certificate);
        return certificate;
    }
}
