package dev.byok.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One activity event as producers publish it (sign-in, file share, admin action...). Incoming
 * bytes are checked by {@link ActivityEventParser}; the rules are listed there.
 *
 * @param tenantId     the owning tenant ({@link TenantId} format); also the Kafka key
 * @param eventId      the producer's id, unique per tenant: redelivery stores it once
 * @param occurredAt   when it happened
 * @param activityType e.g. {@code signin.success}, {@code file.share}
 * @param actor        who did it (user principal name, app id...)
 * @param attributes   free-form string attributes
 */
public record ActivityEvent(
        String tenantId,
        String eventId,
        Instant occurredAt,
        String activityType,
        String actor,
        Map<String, String> attributes) {
    public ActivityEvent {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(activityType, "activityType");
        Objects.requireNonNull(actor, "actor");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    @Override
    public String toString() {
        // never the actor or attributes: they are customer data and must stay out of logs
        return "ActivityEvent[tenantId=" + tenantId + ", eventId=" + eventId + ", activityType=" + activityType + "]";
    }
}
