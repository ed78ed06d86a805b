package dev.byok.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns producer bytes into an {@link ActivityEvent}, or into every rule they violate, each with a
 * precise reason. Reasons name fields and limits, never the offending content (it may be customer
 * data). Rules:
 * <ul>
 *   <li>the record is at most {@value #MAX_EVENT_BYTES} bytes and is one JSON object, no field
 *       given twice in it (ingest stores these bytes as they are);</li>
 *   <li>{@code schemaVersion} is {@value EventCodec#SCHEMA_VERSION};</li>
 *   <li>{@code tenantId} follows {@link TenantId#RULE};</li>
 *   <li>{@code eventId} is 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':', '-';</li>
 *   <li>{@code occurredAt} is an ISO-8601 instant from {@link #EARLIEST_OCCURRED_AT} to at most
 *       {@link #MAX_CLOCK_SKEW} in the future (the store's timestamps hold any instant in this window);</li>
 *   <li>{@code activityType} is 1-64 characters: a lowercase letter, then a-z, 0-9, '.', '_', '-';</li>
 *   <li>{@code actor} is 1-256 characters without control characters;</li>
 *   <li>{@code attributes}, optional, is an object of at most 64 string values; names 1-64
 *       characters of A-Z, a-z, 0-9, '.', '_', '-'; values at most 4096 characters;</li>
 *   <li>no other top-level field (it would be silently lost otherwise).</li>
 * </ul>
 */
public final class ActivityEventParser {
    public static final int MAX_EVENT_BYTES = 256 * 1024;
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    public static final Instant EARLIEST_OCCURRED_AT = Instant.parse("2000-01-01T00:00:00Z");
    /** Reasons listed in one {@link Invalid#reason()}; the rest are counted (a dead-letter header stays small). */
    static final int MAX_REASONS = 10;

    static final int MAX_ATTRIBUTES = 64;
    static final int MAX_ATTRIBUTE_VALUE = 4096;

    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern ACTIVITY_TYPE = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Set<String> FIELDS = Set.of(
            EventCodec.SCHEMA_VERSION_FIELD,
            "tenantId",
            "eventId",
            "occurredAt",
            "activityType",
            "actor",
            "attributes");

    private final Clock clock;

    public ActivityEventParser(Clock clock) {
        this.clock = clock;
    }

    /** The outcome: a valid event, or every violated rule. */
    public sealed interface Result permits Valid, Invalid {}

    public record Valid(ActivityEvent event) implements Result {}

    public record Invalid(List<Violation> violations) implements Result {
        public Invalid {
            violations = List.copyOf(violations);
        }

        /** The first {@value #MAX_REASONS} reasons in one line, and how many more there are: for a DLQ header. */
        public String reason() {
            String listed = String.join(
                    "; ",
                    violations.stream()
                            .limit(MAX_REASONS)
                            .map(Violation::toString)
                            .toList());
            int more = violations.size() - MAX_REASONS;
            return more > 0 ? listed + "; and " + more + " more violations" : listed;
        }

        /** The distinct rule codes, comma-separated, for a DLQ header and metrics. */
        public String rules() {
            return String.join(
                    ",", violations.stream().map(Violation::rule).distinct().toList());
        }
    }

    public Result parse(byte[] bytes) {
        if (bytes != null && bytes.length > MAX_EVENT_BYTES) {
            return invalid("$", "size", "record is " + bytes.length + " bytes, the limit is " + MAX_EVENT_BYTES);
        }
        JsonNode tree;
        try {
            tree = EventCodec.readTree(bytes);
        } catch (MalformedEventException e) {
            return invalid("$", "json", e.getMessage());
        }
        List<Violation> violations = new ArrayList<>();
        checkSchemaVersion(tree.get(EventCodec.SCHEMA_VERSION_FIELD), violations);
        String tenantId = text(tree, "tenantId", violations);
        if (tenantId != null && !TenantId.isValid(tenantId)) {
            violations.add(new Violation("tenantId", "format", "tenantId must be " + TenantId.RULE));
        }
        String eventId = matching(
                tree,
                "eventId",
                EVENT_ID,
                "eventId must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':', '-'",
                violations);
        Instant occurredAt = instant(tree, violations);
        String activityType = matching(
                tree,
                "activityType",
                ACTIVITY_TYPE,
                "activityType must be 1-64 characters: a lowercase letter, then a-z, 0-9, '.', '_', '-'",
                violations);
        String actor = text(tree, "actor", violations);
        if (actor != null
                && (actor.isEmpty()
                        || actor.length() > 256
                        || CONTROL.matcher(actor).find())) {
            violations.add(
                    new Violation("actor", "format", "actor must be 1-256 characters without control characters"));
        }
        Map<String, String> attributes = attributes(tree.get("attributes"), violations);
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(
                        printable(name),
                        "unknown-field",
                        "unknown field (allowed: " + String.join(", ", sorted(FIELDS)) + ")"));
            }
        }
        return violations.isEmpty()
                ? new Valid(new ActivityEvent(tenantId, eventId, occurredAt, activityType, actor, attributes))
                : new Invalid(violations);
    }

    private static Invalid invalid(String field, String rule, String message) {
        return new Invalid(List.of(new Violation(field, rule, message)));
    }

    private static void checkSchemaVersion(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            violations.add(new Violation(EventCodec.SCHEMA_VERSION_FIELD, "required", "schemaVersion is required"));
        } else if (!node.isInt() || node.intValue() != EventCodec.SCHEMA_VERSION) {
            violations.add(new Violation(
                    EventCodec.SCHEMA_VERSION_FIELD,
                    "schema-version",
                    "schemaVersion must be " + EventCodec.SCHEMA_VERSION));
        }
    }

    private static String text(JsonNode tree, String field, List<Violation> violations) {
        JsonNode node = tree.get(field);
        if (node == null || node.isNull()) {
            violations.add(new Violation(field, "required", field + " is required"));
            return null;
        }
        if (!node.isTextual()) {
            violations.add(new Violation(
                    field,
                    "type",
                    field + " must be a string, was "
                            + node.getNodeType().name().toLowerCase()));
            return null;
        }
        return node.textValue();
    }

    private static String matching(
            JsonNode tree, String field, Pattern pattern, String rule, List<Violation> violations) {
        String value = text(tree, field, violations);
        if (value != null && !pattern.matcher(value).matches()) {
            violations.add(new Violation(field, "format", rule));
            return null;
        }
        return value;
    }

    private Instant instant(JsonNode tree, List<Violation> violations) {
        String value = text(tree, "occurredAt", violations);
        if (value == null) {
            return null;
        }
        try {
            Instant at = IsoInstants.parse(value);
            if (at.isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
                violations.add(new Violation(
                        "occurredAt",
                        "range",
                        "occurredAt is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future"));
            } else if (at.isBefore(EARLIEST_OCCURRED_AT)) {
                violations.add(new Violation("occurredAt", "range", "occurredAt is before " + EARLIEST_OCCURRED_AT));
            }
            return at;
        } catch (DateTimeParseException e) {
            violations.add(new Violation(
                    "occurredAt", "format", "occurredAt must be an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
            return null;
        }
    }

    private static Map<String, String> attributes(JsonNode node, List<Violation> violations) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            violations.add(new Violation(
                    "attributes",
                    "type",
                    "attributes must be an object, was "
                            + node.getNodeType().name().toLowerCase()));
            return out;
        }
        if (node.size() > MAX_ATTRIBUTES) {
            violations.add(new Violation(
                    "attributes",
                    "length",
                    "attributes has " + node.size() + " entries, the limit is " + MAX_ATTRIBUTES));
        }
        node.properties().forEach(e -> {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                violations.add(new Violation(
                        "attributes",
                        "format",
                        "attribute names must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-'"));
            } else if (!value.isTextual()) {
                violations.add(new Violation(
                        "attributes." + name,
                        "type",
                        "attribute values must be strings, was "
                                + value.getNodeType().name().toLowerCase()));
            } else if (value.textValue().length() > MAX_ATTRIBUTE_VALUE) {
                violations.add(new Violation(
                        "attributes." + name,
                        "length",
                        "attribute values are limited to " + MAX_ATTRIBUTE_VALUE + " characters"));
            } else {
                out.put(name, value.textValue());
            }
        });
        return out;
    }

    /** Unknown field names are echoed only when short and harmless. */
    private static String printable(String name) {
        return name.length() <= 64 && ATTRIBUTE_NAME.matcher(name).matches() ? name : "(unprintable field name)";
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
