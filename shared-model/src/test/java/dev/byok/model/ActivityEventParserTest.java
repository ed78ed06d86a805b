package dev.byok.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityEventParserTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private final ActivityEventParser parser = new ActivityEventParser(Clock.fixed(NOW, ZoneOffset.UTC));

    private static String event(String tenantId, String eventId, String occurredAt, String type, String actor) {
        return """
                {"schemaVersion":1,"tenantId":%s,"eventId":%s,"occurredAt":%s,"activityType":%s,"actor":%s,
                 "attributes":{"app":"SharePoint","ip":"203.0.113.7"}}""".formatted(tenantId, eventId, occurredAt, type, actor);
    }

    private static String good() {
        return event("\"contoso\"", "\"evt-1\"", "\"2026-11-28T09:59:00Z\"", "\"file.share\"", "\"alice@contoso.com\"");
    }

    @Test
    void validEvent_parses() {
        ActivityEventParser.Result result = parser.parse(bytes(good()));

        assertThat(result).isInstanceOfSatisfying(ActivityEventParser.Valid.class, v -> {
            assertThat(v.event().tenantId()).isEqualTo("contoso");
            assertThat(v.event().occurredAt()).isEqualTo(Instant.parse("2026-11-28T09:59:00Z"));
            assertThat(v.event().attributes()).containsEntry("app", "SharePoint");
        });
    }

    @Test
    void encodedEvent_parsesBackEqual() {
        ActivityEvent event = new ActivityEvent("contoso", "e-9", NOW, "signin.success", "bob", Map.of("k", "v"));

        assertThat(parser.parse(EventCodec.encode(event))).isEqualTo(new ActivityEventParser.Valid(event));
    }

    @Test
    void oversizeRecord_isRejectedBySize() {
        byte[] huge = new byte[ActivityEventParser.MAX_EVENT_BYTES + 1];

        assertOnly(parser.parse(huge), "$", "size", "record is 262145 bytes, the limit is 262144");
    }

    @Test
    void brokenJson_isRejectedWithItsPosition_andWithoutContent() {
        ActivityEventParser.Invalid invalid = invalid("{\"tenantId\": \"secret-value");

        assertThat(invalid.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("json");
            assertThat(v.message()).startsWith("not valid JSON (line 1, column").doesNotContain("secret-value");
        });
    }

    @Test
    void aFieldGivenTwice_isRejected_atTopLevelAndInAttributes_withoutNamingItsValue() {
        String twiceActor = good().replace("\"actor\":", "\"actor\":\"mallory\",\"actor\":");
        String twiceAttribute = good().replace("\"ip\":", "\"ip\":\"one\",\"ip\":");

        for (String json : new String[] {twiceActor, twiceAttribute}) {
            assertThat(invalid(json).violations()).singleElement().satisfies(v -> {
                assertThat(v.rule()).isEqualTo("json");
                assertThat(v.message())
                        .startsWith("a field given twice (line ")
                        .doesNotContain("actor", "mallory", "one");
            });
        }
    }

    @Test
    void nonObjectJson_isRejected() {
        assertOnly(parser.parse(bytes("[1,2]")), "$", "json", "not a JSON object");
    }

    @Test
    void trailingGarbage_isRejected() {
        assertThat(invalid(good() + "{}").violations())
                .extracting(Violation::rule)
                .containsExactly("json");
    }

    @Test
    void binaryJunk_isRejected() {
        assertThat(invalid(new byte[] {(byte) 0xff, 0x00, 0x13, 0x37}).violations())
                .extracting(Violation::rule)
                .containsExactly("json");
    }

    @Test
    void emptyRecord_isRejected() {
        assertOnly(parser.parse(new byte[0]), "$", "json", "empty record");
    }

    @Test
    void missingSchemaVersion_isRequired() {
        String json = good().replace("\"schemaVersion\":1,", "");

        assertOnly(parser.parse(bytes(json)), "schemaVersion", "required", "schemaVersion is required");
    }

    @Test
    void unsupportedSchemaVersion_isRejected() {
        assertOnly(
                parser.parse(bytes(good().replace("\"schemaVersion\":1", "\"schemaVersion\":2"))),
                "schemaVersion",
                "schema-version",
                "schemaVersion must be 1");
    }

    @Test
    void missingTenantId_isRequired() {
        assertOnly(
                parser.parse(bytes(event("null", "\"e\"", "\"2026-11-28T09:00:00Z\"", "\"a\"", "\"b\""))),
                "tenantId",
                "required",
                "tenantId is required");
    }

    @Test
    void tenantIdOfWrongType_isRejected() {
        assertOnly(
                parser.parse(bytes(event("42", "\"e\"", "\"2026-11-28T09:00:00Z\"", "\"a\"", "\"b\""))),
                "tenantId",
                "type",
                "tenantId must be a string, was number");
    }

    @Test
    void tenantIdOfWrongFormat_isRejected() {
        for (String bad :
                List.of("\"Contoso\"", "\"-contoso\"", "\"ab\"", "\"contoso_1\"", "\"" + "a".repeat(65) + "\"")) {
            assertOnly(
                    parser.parse(bytes(event(bad, "\"e\"", "\"2026-11-28T09:00:00Z\"", "\"a\"", "\"b\""))),
                    "tenantId",
                    "format",
                    "tenantId must be " + TenantId.RULE);
        }
    }

    @Test
    void eventIdOfWrongFormat_isRejected() {
        assertOnly(
                parser.parse(
                        bytes(event("\"contoso\"", "\"has space\"", "\"2026-11-28T09:00:00Z\"", "\"a\"", "\"b\""))),
                "eventId",
                "format",
                "eventId must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':', '-'");
    }

    @Test
    void occurredAtNotAnInstant_isRejected() {
        assertOnly(
                parser.parse(bytes(event("\"contoso\"", "\"e\"", "\"yesterday\"", "\"a\"", "\"b\""))),
                "occurredAt",
                "format",
                "occurredAt must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }

    @Test
    void occurredAtFarInTheFuture_isRejected() {
        assertOnly(
                parser.parse(bytes(event("\"contoso\"", "\"e\"", "\"2026-11-28T10:16:00Z\"", "\"a\"", "\"b\""))),
                "occurredAt",
                "range",
                "occurredAt is more than 15 minutes in the future");
    }

    @Test
    void occurredAtBeforeTheWindow_isRejected_evenWhereTheStoreCouldNotHoldIt() {
        assertOnly(
                parser.parse(bytes(event("\"contoso\"", "\"e\"", "\"-5000-01-01T00:00:00Z\"", "\"a\"", "\"b\""))),
                "occurredAt",
                "range",
                "occurredAt is before 2000-01-01T00:00:00Z");
        assertOnly(
                parser.parse(bytes(event("\"contoso\"", "\"e\"", "\"1999-12-31T23:59:59Z\"", "\"a\"", "\"b\""))),
                "occurredAt",
                "range",
                "occurredAt is before 2000-01-01T00:00:00Z");
        assertThat(parser.parse(bytes(event("\"contoso\"", "\"e\"", "\"2000-01-01T00:00:00Z\"", "\"a\"", "\"b\""))))
                .isInstanceOf(ActivityEventParser.Valid.class);
    }

    @Test
    void activityTypeOfWrongFormat_isRejected() {
        assertOnly(
                parser.parse(
                        bytes(event("\"contoso\"", "\"e\"", "\"2026-11-28T09:00:00Z\"", "\"File Share\"", "\"b\""))),
                "activityType",
                "format",
                "activityType must be 1-64 characters: a lowercase letter, then a-z, 0-9, '.', '_', '-'");
    }

    @Test
    void actorWithControlCharacters_isRejected() {
        assertOnly(
                parser.parse(
                        bytes(event("\"contoso\"", "\"e\"", "\"2026-11-28T09:00:00Z\"", "\"a\"", "\"bob\\u0000\""))),
                "actor",
                "format",
                "actor must be 1-256 characters without control characters");
    }

    @Test
    void attributesNotAnObject_isRejected() {
        String json =
                good().replace("\"attributes\":{\"app\":\"SharePoint\",\"ip\":\"203.0.113.7\"}", "\"attributes\":[1]");

        assertOnly(parser.parse(bytes(json)), "attributes", "type", "attributes must be an object, was array");
    }

    @Test
    void attributeValueNotAString_isRejected() {
        String json = good().replace("\"ip\":\"203.0.113.7\"", "\"ip\":7");

        assertOnly(parser.parse(bytes(json)), "attributes.ip", "type", "attribute values must be strings, was number");
    }

    @Test
    void hugeAttributeValue_isRejected() {
        String json = good().replace("203.0.113.7", "x".repeat(4097));

        assertOnly(
                parser.parse(bytes(json)),
                "attributes.ip",
                "length",
                "attribute values are limited to 4096 characters");
    }

    @Test
    void tooManyAttributes_isRejected() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"v\"");
        }
        String json = good().replace("\"app\":\"SharePoint\",\"ip\":\"203.0.113.7\"", many);

        assertOnly(parser.parse(bytes(json)), "attributes", "length", "attributes has 65 entries, the limit is 64");
    }

    @Test
    void unknownField_isRejectedSoNothingIsSilentlyLost() {
        String json = good().replace("{\"schemaVersion\":1,", "{\"schemaVersion\":1,\"severity\":\"high\",");

        assertThat(invalid(json).violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("severity");
            assertThat(v.rule()).isEqualTo("unknown-field");
        });
    }

    @Test
    void everyViolatedRule_isReported_notOnlyTheFirst() {
        String json =
                "{\"schemaVersion\":3,\"tenantId\":\"X\",\"occurredAt\":5,\"activityType\":\"ok\",\"actor\":\"\",\"extra\":1}";

        ActivityEventParser.Invalid invalid = invalid(json);

        assertThat(invalid.violations())
                .extracting(Violation::field)
                .containsExactlyInAnyOrder("schemaVersion", "tenantId", "eventId", "occurredAt", "actor", "extra");
        assertThat(invalid.rules()).isEqualTo("schema-version,format,required,type,unknown-field");
        assertThat(invalid.reason()).contains("eventId: eventId is required").contains("; ");
    }

    @Test
    void thousandsOfViolations_reasonListsTheFirstTenAndCountsTheRest() {
        StringBuilder unknown = new StringBuilder();
        for (int i = 0; i < 18_000; i++) {
            unknown.append(",\"u").append(i).append("\":0");
        }
        ActivityEventParser.Invalid invalid =
                invalid(good().replace("{\"schemaVersion\":1", "{\"schemaVersion\":1" + unknown));

        assertThat(invalid.violations()).hasSize(18_000);
        assertThat(invalid.reason()).endsWith("; and 17990 more violations").hasSizeLessThan(2_000);
        assertThat(invalid.reason().split("; ")).hasSize(11);
        assertThat(invalid.rules()).isEqualTo("unknown-field");
    }

    private ActivityEventParser.Invalid invalid(String json) {
        return invalid(bytes(json));
    }

    private ActivityEventParser.Invalid invalid(byte[] raw) {
        ActivityEventParser.Result result = parser.parse(raw);
        assertThat(result).isInstanceOf(ActivityEventParser.Invalid.class);
        return (ActivityEventParser.Invalid) result;
    }

    private static void assertOnly(ActivityEventParser.Result result, String field, String rule, String message) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        ActivityEventParser.Invalid.class,
                        invalid ->
                                assertThat(invalid.violations()).containsExactly(new Violation(field, rule, message)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
