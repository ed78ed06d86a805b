package dev.byok.config;

import dev.byok.model.EventCodec;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** Appends events to the outbox inside the caller's transaction; {@link OutboxRelay} publishes them. */
@ApplicationScoped
public class Outbox {
    private final Clock clock;

    Outbox(Clock clock) {
        this.clock = clock;
    }

    /** Must run inside a Panache transaction together with the change the event describes. */
    public Uni<OutboxRecord> append(String topic, String key, Object event) {
        OutboxRecord record = new OutboxRecord();
        record.topic = topic;
        record.recordKey = key;
        record.payload = EventCodec.encode(event);
        record.createdAt = clock.instant();
        return record.persist();
    }
}
