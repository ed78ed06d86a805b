package dev.byok.emulator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A named key: its versions in creation order (the last is the latest). */
final class EmulatedKey {
    final String name;
    final List<KeyVersion> versions = new CopyOnWriteArrayList<>();
    volatile long deletedDate;

    EmulatedKey(String name) {
        this.name = name;
    }

    KeyVersion latest() {
        return versions.get(versions.size() - 1);
    }

    Optional<KeyVersion> version(String version) {
        if (version == null || version.isEmpty()) {
            return Optional.of(latest());
        }
        return versions.stream().filter(v -> v.version.equals(version)).findFirst();
    }
}
