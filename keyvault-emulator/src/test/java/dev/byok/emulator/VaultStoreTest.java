package dev.byok.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A persisted vault comes back after a restart with every version, attribute and key pair. */
class VaultStoreTest {
    @TempDir
    Path dir;

    @Test
    void keysSurviveARestart_withVersionsAttributesAndDeletions() throws Exception {
        EmulatedVault before =
                new EmulatedVault("demo", Directories.DEFAULT_DIRECTORY, true, true, new VaultStore(dir, "demo"));
        String v1 = before.createKey("byok-key", "RSA", 2048, List.of());
        String v2 = before.rotate("byok-key");
        before.update("byok-key", v1, false, null, 1_900_000_000L, null);
        before.createKey("gone", "RSA", 2048, List.of());
        before.delete("gone");

        EmulatedVault after =
                new EmulatedVault("demo", Directories.DEFAULT_DIRECTORY, true, true, new VaultStore(dir, "demo"));

        EmulatedKey key = after.existing("byok-key");
        assertThat(key.versions).extracting(v -> v.version).containsExactly(v1, v2);
        assertThat(key.version(v1).orElseThrow().enabled).isFalse();
        assertThat(key.version(v1).orElseThrow().expires).isEqualTo(1_900_000_000L);
        assertThat(key.latest().pair.getPrivate().getEncoded())
                .isEqualTo(
                        before.existing("byok-key").latest().pair.getPrivate().getEncoded());
        assertThat(after.deletedKeys).containsKey("gone");
        assertThat(after.keys).doesNotContainKey("gone");
        assertThat(Files.getPosixFilePermissions(dir.resolve("demo.keys.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void withoutAStore_nothingIsWritten() throws Exception {
        new EmulatedVault("demo", true, true).createKey("k", "RSA", 2048, List.of());
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
