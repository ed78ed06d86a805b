package dev.byok.ingest;

import dev.byok.crypto.Dek;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Unwrapped DEKs for reading, bounded by size (least recently used out) and by time: an entry older
 * than the TTL is never served, so a revoked customer key stops reads within the TTL.
 */
final class DekCache {
    private record Entry(Dek dek, Instant loadedAt) {
    }

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<UUID, Entry> entries;

    DekCache(int maxEntries, Duration ttl, Clock clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
                return size() > DekCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<Dek> get(UUID id) {
        Entry e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.loadedAt().plus(ttl))) {
            entries.remove(id);
            return Optional.empty();
        }
        return Optional.of(e.dek());
    }

    synchronized void put(Dek dek) {
        entries.put(dek.id(), new Entry(dek, clock.instant()));
    }

    synchronized int size() {
        return entries.size();
    }
}
