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
 * than the TTL is never served, so a revoked customer key stops reads within the TTL. Keyed by
 * (tenant, DEK id), and every hit is checked against the tenant asking: a row of one tenant that
 * names another tenant's DEK never gets that DEK from here.
 */
final class DekCache {
    private record Entry(Dek dek, Instant loadedAt) {}

    private record Key(String tenantId, UUID dekId) {}

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<Key, Entry> entries;

    DekCache(int maxEntries, Duration ttl, Clock clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > DekCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<Dek> get(String tenantId, UUID id) {
        Key key = new Key(tenantId, id);
        Entry e = entries.get(key);
        if (e == null || !e.dek().tenantId().equals(tenantId)) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.loadedAt().plus(ttl))) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.dek());
    }

    synchronized void put(Dek dek) {
        entries.put(new Key(dek.tenantId(), dek.id()), new Entry(dek, clock.instant()));
    }

    synchronized int size() {
        return entries.size();
    }
}
