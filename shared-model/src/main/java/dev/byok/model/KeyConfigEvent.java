package dev.byok.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
    @JsonSubTypes.Type(value = KeyConfigEvent.TenantOffboarded.class, name = "TENANT_OFFBOARDED")
})
public sealed interface KeyConfigEvent {
    String tenantId();

    long revision();

    Instant occurredAt();

    /** Whether new DEKs of this tenant get the customer layer after this event. */
    boolean byokEnabled();

    /**
     * The customer's Entra directory (tenant id) whose vault holds the key: the service signs in
     * there as its BYOK application. Absent in revisions written before directories were recorded
     * and in offboarding events; the service's own directory is used for those.
     */
    default Optional<String> directory() {
        return Optional.empty();
    }

    /** Whether this event replaces {@code held} as the tenant's configuration: a replayed or reordered older revision does not. */
    default boolean supersedes(KeyConfigEvent held) {
        return revision() > held.revision();
    }

    /**
     * BYOK enabled with a key; new DEKs are wrapped with its latest version.
     *
     * @param keyUri        the key identifier URI as the admin gave it
     * @param keyVersionId  the latest version resolved at enable time
     * @param directoryId   the key's Entra directory (null in revisions written before directories were recorded)
     */
    record KeyEnabled(
            String tenantId, long revision, Instant occurredAt, String keyUri, String keyVersionId, String directoryId)
            implements KeyConfigEvent {
        public KeyEnabled {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(keyUri, "keyUri");
            Objects.requireNonNull(keyVersionId, "keyVersionId");
        }

        /** A revision without a directory: the service's own directory is used. */
        public KeyEnabled(String tenantId, long revision, Instant occurredAt, String keyUri, String keyVersionId) {
            this(tenantId, revision, occurredAt, keyUri, keyVersionId, null);
        }

        @Override
        public boolean byokEnabled() {
            return true;
        }

        @Override
        public Optional<String> directory() {
            return Optional.ofNullable(directoryId);
        }
    }

    /** A new key version appeared; new DEKs use {@code toKeyVersionId} and older DEKs get re-wrapped. */
    record KeyVersionRolled(
            String tenantId,
            long revision,
            Instant occurredAt,
            String keyUri,
            String fromKeyVersionId,
            String toKeyVersionId,
            String directoryId)
            implements KeyConfigEvent {
        public KeyVersionRolled {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(keyUri, "keyUri");
            Objects.requireNonNull(fromKeyVersionId, "fromKeyVersionId");
            Objects.requireNonNull(toKeyVersionId, "toKeyVersionId");
        }

        /** A revision without a directory: the service's own directory is used. */
        public KeyVersionRolled(
                String tenantId,
                long revision,
                Instant occurredAt,
                String keyUri,
                String fromKeyVersionId,
                String toKeyVersionId) {
            this(tenantId, revision, occurredAt, keyUri, fromKeyVersionId, toKeyVersionId, null);
        }

        @Override
        public boolean byokEnabled() {
            return true;
        }

        @Override
        public Optional<String> directory() {
            return Optional.ofNullable(directoryId);
        }
    }

    /**
     * BYOK disabled: the customer layer is removed from every DEK; managed encryption stays. The
     * directory is the last one in use: removing the layer still unwraps with the customer's key.
     */
    record KeyDisabled(String tenantId, long revision, Instant occurredAt, String keyUri, String directoryId)
            implements KeyConfigEvent {
        public KeyDisabled {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(keyUri, "keyUri");
        }

        /** A revision without a directory: the service's own directory is used. */
        public KeyDisabled(String tenantId, long revision, Instant occurredAt, String keyUri) {
            this(tenantId, revision, occurredAt, keyUri, null);
        }

        @Override
        public boolean byokEnabled() {
            return false;
        }

        @Override
        public Optional<String> directory() {
            return Optional.ofNullable(directoryId);
        }
    }

    /**
     * The tenant was offboarded (confirmed by its admin): every DEK is destroyed (crypto-shredding),
     * then every record deleted; reads answer that the tenant was shredded and ingest refuses its events.
     * Final: nothing follows it for this tenant. {@code requestedBy}: the admin's token subject (audit).
     */
    record TenantOffboarded(String tenantId, long revision, Instant occurredAt, String requestedBy)
            implements KeyConfigEvent {
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
