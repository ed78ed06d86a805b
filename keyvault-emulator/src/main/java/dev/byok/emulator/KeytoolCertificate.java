package dev.byok.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed TLS identity made with the JDK's keytool (no extra library): a PKCS12 key store
 * holding one RSA key pair and its certificate for the given subject alternative names. Used for
 * the emulator's HTTPS and the local Kafka broker's listeners.
 */
public final class KeytoolCertificate {
    private KeytoolCertificate() {}

    /** Reads a PKCS12 key store that {@link #create} made. */
    public static KeyStore load(Path store, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        return keys;
    }

    /** A TLS server context presenting the store's key pair. */
    public static SSLContext serverContext(KeyStore keys, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** The certificate in PEM form: what a client adds to its trust. */
    public static String pem(Certificate certificate) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /**
     * A fresh key pair and its self-signed certificate, made with keytool in {@code workDirectory}
     * (the temporary key store, under a random password, is deleted before this returns).
     */
    public static KeyStore.PrivateKeyEntry generate(Path workDirectory, String alias)
            throws IOException, GeneralSecurityException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        char[] password = HexFormat.of().formatHex(random).toCharArray();
        Path store = Files.createTempFile(workDirectory, alias + "-", ".p12");
        Files.delete(store); // keytool creates it
        try {
            create(store, alias, password, "dns:" + alias + ".invalid");
            return (KeyStore.PrivateKeyEntry)
                    load(store, password).getEntry(alias, new KeyStore.PasswordProtection(password));
        } finally {
            Files.deleteIfExists(store);
        }
    }

    /** Writes {@code content} to {@code file}, created anew and readable by its owner only (keys, tokens). */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    /** Creates {@code store}; {@code sans} in keytool form, e.g. {@code dns:localhost,ip:127.0.0.1}. */
    public static void create(Path store, String alias, char[] password, String sans) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "3650",
                "-dname",
                "CN=" + alias,
                "-ext",
                "SAN=" + sans,
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass:env",
                "BYOK_KEYTOOL_PASSWORD",
                "-keypass:env",
                "BYOK_KEYTOOL_PASSWORD");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BYOK_KEYTOOL_PASSWORD", new String(password)); // not on the command line
        Process process = builder.start();
        try {
            boolean done = process.waitFor(60, TimeUnit.SECONDS);
            String output = new String(process.getInputStream().readAllBytes());
            if (!done || process.exitValue() != 0) {
                throw new IOException("keytool could not create " + store + ": " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + store, e);
        }
    }
}
