package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DekCacheTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-28T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void entryOlderThanTheTtl_isNeverServed() {
        DekCache cache = new DekCache(10, Duration.ofMinutes(5), clock);
        Dek dek = Dek.generate("t", now.get(), DekPolicy.DEFAULT);
        cache.put(dek);

        now.set(now.get().plus(Duration.ofMinutes(4)));
        assertThat(cache.get("t", dek.id())).contains(dek);
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThat(cache.get("t", dek.id())).isEmpty();
    }

    @Test
    void leastRecentlyUsed_isEvictedBeyondTheBound() {
        DekCache cache = new DekCache(2, Duration.ofMinutes(5), clock);
        Dek a = Dek.generate("t", now.get(), DekPolicy.DEFAULT);
        Dek b = Dek.generate("t", now.get(), DekPolicy.DEFAULT);
        Dek c = Dek.generate("t", now.get(), DekPolicy.DEFAULT);
        cache.put(a);
        cache.put(b);
        cache.get("t", a.id());
        cache.put(c);

        assertThat(cache.get("t", b.id())).isEmpty();
        assertThat(cache.get("t", a.id())).contains(a);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void anotherTenantsDek_isNeverServed_evenWhenCached() {
        DekCache cache = new DekCache(10, Duration.ofMinutes(5), clock);
        Dek ofB = Dek.generate("tenant-b", now.get(), DekPolicy.DEFAULT);
        cache.put(ofB);

        assertThat(cache.get("tenant-a", ofB.id())).isEmpty();
        assertThat(cache.get("tenant-b", ofB.id())).contains(ofB);
    }
}
