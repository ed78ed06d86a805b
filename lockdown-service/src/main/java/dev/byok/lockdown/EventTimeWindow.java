package dev.byok.lockdown;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * The time the engine gives an event: the time its producer claims, if that lies within
 * {@code skew} of a time the engine trusts; otherwise the trusted time itself. The trusted time is
 * the broker's append time (the key-access topic is {@code LogAppendTime}), or the engine's own
 * clock when the topic lets producers stamp records. So a failure dated {@code Instant.MAX}, in the
 * year 3000 or in 1970 can neither overflow a deadline, freeze a tenant in DEGRADED, nor lock it
 * at once.
 */
record EventTimeWindow(Duration skew) {
    static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

    /** The accepted time and whether the claimed one had to be replaced. */
    record Accepted(Instant at, boolean clamped) {}

    Accepted accept(Instant claimed, ConsumerRecord<?, ?> record, Instant now) {
        Instant trusted = record.timestampType() == TimestampType.LOG_APPEND_TIME
                ? Instant.ofEpochMilli(record.timestamp())
                : now;
        return accept(claimed, trusted);
    }

    Accepted accept(Instant claimed, Instant trusted) {
        boolean within = !claimed.isBefore(trusted.minus(skew)) && !claimed.isAfter(trusted.plus(skew));
        return within ? new Accepted(claimed, false) : new Accepted(trusted, true);
    }
}
