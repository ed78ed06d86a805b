package dev.byok.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * A change of a tenant's customer-key configuration, on the compacted key-config topic. Each event
 * carries the tenant's whole configuration after the change, so the latest one per tenant is all a
 * consumer starting from scratch needs. {@code revision} increases by one with every change.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = KeyConfigEvent.KeyEnabled.class, name = "KEY_ENABLED"),
        @JsonSubTypes.Type(value = KeyConfigEvent.KeyVersionRolled.class, name = "KEY_VERSION_ROLLED"),
        @JsonSubTypes.Type(value = KeyConfigEvent.KeyDisabled.class, name = "KEY_DISABLED"),
        @JsonSubTypes.Type(value = KeyConfigEvent.TenantOffboarded.class, name = "TENANT_OFFBOARDED")})
public sealed interface KeyConfigEvent {
    String tenantId();

    long revision();

    Instant occurredAt();

    /** Whether new DEKs of this tenant get the customer layer after this event. */
    boolean byokEnabled();

    /**
     * BYOK enabled with a key; new DEKs are wrapped with its latest version.
     *
     * @param keyUri        the key identifier URI as the admin gave it
     * @param keyVersionId  the latest version resolved at enable time
     */
    record KeyEnabled(String tenantId, long revision, Instant occurredAt, String keyUri, String keyVersionId)
            implements KeyConfigEvent {
        public KeyEnabled {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(keyUri, "keyUri");
            Objects.requireNonNull(keyVersionId, "keyVersionId");
        }

        @Override
        public boolean byokEnabled() {
            return true;
        }
    }

    /** A new key version appeared; new DEKs use {@code toKeyVersionId} and older DEKs get re-wrapped. */
    record KeyVersionRolled(String tenantId, long revision, Instant occurredAt, String keyUri,
                            String fromKeyVersionId, String toKeyVersionId) implements KeyConfigEvent {
        public KeyVersionRolled {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(keyUri, "keyUri");
            Objects.requireNonNull(fromKeyVersionId, "fromKeyVersionId");
            Objects.requireNonNull(toKeyVersionId, "toKeyVersionId");
        }

        @Override
        public boolean byokEnabled() {
            return true;
        }
    }

    /** BYOK disabled: the customer layer is removed from every DEK; managed encryption stays. */
    record KeyDisabled(String tenantId, long revision, Instant occurredAt, String keyUri) implements KeyConfigEvent {
        public KeyDisabled {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(keyUri, "keyUri");
        }

        @Override
        public boolean byokEnabled() {
            return false;
        }
    }

    /**
     * The tenant was offboarded (confirmed by its admin): every DEK is destroyed (crypto-shredding),
     * then every record deleted; reads answer that the tenant was shredded and ingest refuses its events.
     * Final: nothing follows it for this tenant. {@code requestedBy}: the admin's token subject (audit).
     */
    record TenantOffboarded(String tenantId, long revision, Instant occurredAt, String requestedBy) implements KeyConfigEvent {
        public TenantOffboarded {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(requestedBy, "requestedBy");
        }

        @Override
        public boolean byokEnabled() {
            return false;
        }
    }
}
