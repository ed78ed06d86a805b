package dev.byok.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON serde for every event on every topic. Each encoded event carries
 * {@value #SCHEMA_VERSION_FIELD}; decoding refuses versions it does not know. Within one schema
 * version, unknown fields of internal events are ignored so that adding an optional field stays
 * compatible. Error messages give positions and field names, never payload content.
 */
public final class EventCodec {
    public static final String SCHEMA_VERSION_FIELD = "schemaVersion";
    public static final int SCHEMA_VERSION = 1;
    /** Upper bound on any encoded event this codec reads. */
    public static final int MAX_EVENT_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // a field given twice is refused, not "last one wins": ingest stores the producer's bytes as they
            // came, and a reader with another JSON library must not see a value the validation never saw
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(MAX_EVENT_BYTES)
                        .maxDocumentLength(MAX_EVENT_BYTES)
                        .build());
    }

    private EventCodec() {}

    /** Encodes an event with the current schema version, first. */
    public static byte[] encode(Object event) {
        ObjectNode tree = MAPPER.valueToTree(event);
        ObjectNode out = MAPPER.createObjectNode().put(SCHEMA_VERSION_FIELD, SCHEMA_VERSION);
        out.setAll(tree);
        try {
            return MAPPER.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** Decodes an event of the given type; any problem is a {@link MalformedEventException}. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        JsonNode tree = readTree(bytes);
        int version = tree.path(SCHEMA_VERSION_FIELD).asInt(-1);
        if (!tree.path(SCHEMA_VERSION_FIELD).isInt() || version != SCHEMA_VERSION) {
            throw new MalformedEventException(
                    "unsupported or missing " + SCHEMA_VERSION_FIELD + " (supported: " + SCHEMA_VERSION + ")");
        }
        ((ObjectNode) tree).remove(SCHEMA_VERSION_FIELD);
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("not a valid " + type.getSimpleName() + ": " + safeReason(e));
        }
    }

    /** Parses bytes into a JSON object tree, bounded by {@link #MAX_EVENT_BYTES}. */
    static JsonNode readTree(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException("empty record");
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new MalformedEventException("record is " + bytes.length + " bytes, the limit is " + MAX_EVENT_BYTES);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String what =
                    e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                            ? "a field given twice"
                            : "not valid JSON";
            throw new MalformedEventException(what + location(e.getLocation()));
        } catch (java.io.IOException e) {
            throw new MalformedEventException("not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        return tree;
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String location(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0
                ? ""
                : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** Jackson messages can quote input; keep only the path of the failing field. */
    private static String safeReason(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                && !m.getPath().isEmpty()) {
            String path = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining("."));
            return "field '" + path + "' is missing or has the wrong type";
        }
        return "fields are missing or have the wrong type";
    }
}
