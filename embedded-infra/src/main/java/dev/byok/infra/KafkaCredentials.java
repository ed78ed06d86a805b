package dev.byok.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local broker's SASL passwords: one owner-only file per user in a directory, made once with
 * 24 random bytes each and read back on later starts, so a restarted stack keeps its credentials.
 * Passwords only ever reach a client's in-memory configuration or an owner-only file.
 */
public final class KafkaCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    private KafkaCredentials(Path directory) {
        this.directory = directory;
    }

    public static KafkaCredentials in(Path directory) throws IOException {
        Files.createDirectories(directory);
        return new KafkaCredentials(directory);
    }

    /** The user's password, created on first use. */
    public synchronized String password(String user) {
        Path file = directory.resolve(user);
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[24];
                RANDOM.nextBytes(secret);
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not read or create the Kafka password of " + user + " in " + directory, e);
        }
    }
}
