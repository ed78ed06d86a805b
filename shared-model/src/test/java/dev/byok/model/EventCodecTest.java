package dev.byok.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void keyConfigEvents_roundTripThroughTheirSealedType() {
        KeyConfigEvent enabled = new KeyConfigEvent.KeyEnabled(
                "contoso", 1, AT, "https://v.vault.azure.net/keys/k", "https://v.vault.azure.net/keys/k/1");
        KeyConfigEvent rolled = new KeyConfigEvent.KeyVersionRolled(
                "contoso",
                2,
                AT,
                "https://v.vault.azure.net/keys/k",
                "https://v.vault.azure.net/keys/k/1",
                "https://v.vault.azure.net/keys/k/2");
        KeyConfigEvent disabled = new KeyConfigEvent.KeyDisabled("contoso", 3, AT, "https://v.vault.azure.net/keys/k");

        for (KeyConfigEvent event : new KeyConfigEvent[] {enabled, rolled, disabled}) {
            assertThat(EventCodec.decode(EventCodec.encode(event), KeyConfigEvent.class))
                    .isEqualTo(event);
        }
        assertThat(json(enabled))
                .contains("\"schemaVersion\":1")
                .contains("\"type\":\"KEY_ENABLED\"")
                .contains("\"occurredAt\":\"2026-11-28T10:00:00Z\"");
    }

    @Test
    void keyConfigEvents_carryTheKeysDirectory_andRevisionsWrittenWithoutOneDecodeToNone() {
        String dir = "fab00000-0000-4000-8000-0000000000f1";
        KeyConfigEvent enabled = new KeyConfigEvent.KeyEnabled(
                "contoso", 1, AT, "https://v.vault.azure.net/keys/k", "https://v.vault.azure.net/keys/k/1", dir);
        KeyConfigEvent disabled =
                new KeyConfigEvent.KeyDisabled("contoso", 2, AT, "https://v.vault.azure.net/keys/k", dir);

        assertThat(EventCodec.decode(EventCodec.encode(enabled), KeyConfigEvent.class)
                        .directory())
                .contains(dir);
        assertThat(EventCodec.decode(EventCodec.encode(disabled), KeyConfigEvent.class)
                        .directory())
                .contains(dir);
        assertThat(json(enabled)).contains("\"directoryId\":\"" + dir + "\"").doesNotContain("\"directory\":");
        byte[] older = ("{\"schemaVersion\":1,\"type\":\"KEY_ENABLED\",\"tenantId\":\"contoso\",\"revision\":1,"
                        + "\"occurredAt\":\"2026-11-28T10:00:00Z\",\"keyUri\":\"u\",\"keyVersionId\":\"v\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(EventCodec.decode(older, KeyConfigEvent.class).directory()).isEmpty();
    }

    @Test
    void keyAccessFailure_roundTrips() {
        KeyAccessEvent failed = new KeyAccessEvent.Failed(
                "contoso",
                "https://v.vault.azure.net/keys/k/1",
                KeyOperation.WRAP,
                "crypto-service",
                AT,
                KeyAccessFailure.KEY_DISABLED,
                "key is disabled");

        assertThat(EventCodec.decode(EventCodec.encode(failed), KeyAccessEvent.class))
                .isEqualTo(failed);
    }

    @Test
    void lockStateWithOptionals_roundTrips() {
        TenantLockState degraded = new TenantLockState(
                "contoso",
                LockStatus.DEGRADED,
                Optional.of(KeyAccessFailure.KEY_DISABLED),
                "the key is disabled",
                AT,
                Optional.of(AT.plusSeconds(3600)),
                Optional.empty());
        TenantLockState healthy = TenantLockState.healthy("contoso", AT, "key verified");

        assertThat(EventCodec.decode(EventCodec.encode(degraded), TenantLockState.class))
                .isEqualTo(degraded);
        assertThat(EventCodec.decode(EventCodec.encode(healthy), TenantLockState.class))
                .isEqualTo(healthy);
    }

    @Test
    void audit_roundTrips() {
        KeyUsageAudit audit = new KeyUsageAudit(
                "contoso",
                "https://v.vault.azure.net/keys/k/1",
                KeyOperation.WRAP,
                KeyUsagePurpose.NEW_DEK,
                false,
                Optional.of(KeyAccessFailure.THROTTLED),
                12,
                "crypto-service",
                AT);

        assertThat(EventCodec.decode(EventCodec.encode(audit), KeyUsageAudit.class))
                .isEqualTo(audit);
    }

    @Test
    void unknownSchemaVersion_isRefused() {
        byte[] bytes = json(TenantLockState.healthy("contoso", AT, "ok"))
                .replace("\"schemaVersion\":1", "\"schemaVersion\":99")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventCodec.decode(bytes, TenantLockState.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("schemaVersion");
    }

    @Test
    void unknownFieldOfAnInternalEvent_isIgnoredForForwardCompatibility() {
        byte[] bytes = json(TenantLockState.healthy("contoso", AT, "ok"))
                .replace("{", "{\"addedLater\":true,")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(EventCodec.decode(bytes, TenantLockState.class).tenantId()).isEqualTo("contoso");
    }

    @Test
    void missingRequiredField_namesTheField_notTheClassOrContent() {
        byte[] bytes = ("{\"schemaVersion\":1,\"type\":\"KEY_DISABLED\",\"revision\":1,"
                        + "\"occurredAt\":\"2026-11-28T10:00:00Z\",\"keyUri\":\"https://x\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventCodec.decode(bytes, KeyConfigEvent.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("not a valid KeyConfigEvent")
                .hasMessageNotContaining("dev.byok");
    }

    @Test
    void malformedJson_isRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> EventCodec.decode(
                        "{\"tenantId\":\"s3cr3t".getBytes(StandardCharsets.UTF_8), TenantLockState.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void encoding_putsTheSchemaVersionFirst_thenTheEventsFieldsInDeclarationOrder() {
        ActivityEvent event =
                new ActivityEvent("contoso", "e1", AT, "file.share", "alice@contoso.com", java.util.Map.of("ip", "x"));

        assertThat(json(event))
                .isEqualTo("{\"schemaVersion\":1,\"tenantId\":\"contoso\",\"eventId\":\"e1\","
                        + "\"occurredAt\":\"2026-11-28T10:00:00Z\",\"activityType\":\"file.share\","
                        + "\"actor\":\"alice@contoso.com\",\"attributes\":{\"ip\":\"x\"}}");
    }

    @Test
    void activityEventToString_leavesOutCustomerData() {
        ActivityEvent event = new ActivityEvent(
                "contoso", "e1", AT, "file.share", "alice@contoso.com", java.util.Map.of("ip", "203.0.113.7"));

        assertThat(event.toString()).doesNotContain("alice").doesNotContain("203.0.113.7");
    }

    private static String json(Object event) {
        return new String(EventCodec.encode(event), StandardCharsets.UTF_8);
    }
}
