package dev.byok.config;

import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;

/**
 * Changes of a tenant's setting, each atomic with its key-config event (outbox), serialised per
 * tenant by a row lock, guarded by If-Match, and idempotent: repeating a request changes nothing
 * and publishes nothing.
 */
@ApplicationScoped
public class EncryptionSettings {
    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    EncryptionSettings(Outbox outbox) {
        this.outbox = outbox;
    }

    Uni<TenantEncryption> find(String tenantId) {
        return Panache.withSession(() -> TenantEncryption.findById(tenantId));
    }

    Uni<Long> pendingEvents(String tenantId) {
        return Panache.withSession(() -> OutboxRecord.count("recordKey = ?1 and publishedAt is null", tenantId));
    }

    /** Enables BYOK with an already validated key; {@code keyVersionId} is its latest version. */
    Uni<TenantEncryption> enable(String tenantId, String ifMatch, String keyUri, String keyVersionId) {
        return Panache.withTransaction(() -> locked(tenantId).flatMap(current -> {
            checkIfMatch(current, ifMatch);
            refuseIfOffboarded(current);
            if (current != null && current.byokEnabled && keyUri.equals(current.keyUri)) {
                return Uni.createFrom().item(current); // repeated request: nothing changes, nothing is published
            }
            Instant now = clock.instant();
            TenantEncryption next = current != null ? current : newSetting(tenantId);
            next.byokEnabled = true;
            next.keyUri = keyUri;
            next.keyVersionId = keyVersionId;
            next.revision = next.revision + 1;
            next.changedAt = now;
            next.lastValidationAt = now;
            next.lastValidationOk = true;
            return next.<TenantEncryption>persist().call(saved -> outbox.append(Topics.TENANT_KEY_CONFIG, tenantId,
                    new KeyConfigEvent.KeyEnabled(tenantId, saved.revision, now, keyUri, keyVersionId)));
        }));
    }

    /** Disables BYOK: the customer layer will be removed; managed encryption stays. */
    Uni<TenantEncryption> disable(String tenantId, String ifMatch) {
        return Panache.withTransaction(() -> locked(tenantId).flatMap(current -> {
            checkIfMatch(current, ifMatch);
            refuseIfOffboarded(current);
            if (current == null || !current.byokEnabled) {
                return Uni.createFrom().item(current); // already managed-only
            }
            Instant now = clock.instant();
            current.byokEnabled = false;
            current.revision = current.revision + 1;
            current.changedAt = now;
            return current.<TenantEncryption>persist().call(saved -> outbox.append(Topics.TENANT_KEY_CONFIG, tenantId,
                    new KeyConfigEvent.KeyDisabled(tenantId, saved.revision, now, saved.keyUri)));
        }));
    }

    /**
     * Offboards the tenant: final. Its data will be crypto-shredded (every DEK destroyed, then every
     * record deleted) by sweeper-service. Repeating it changes nothing.
     */
    Uni<TenantEncryption> offboard(String tenantId, String requestedBy) {
        return Panache.withTransaction(() -> locked(tenantId).flatMap(current -> {
            if (current != null && current.offboardedAt != null) {
                return Uni.createFrom().item(current);
            }
            Instant now = clock.instant();
            TenantEncryption next = current != null ? current : newSetting(tenantId);
            next.byokEnabled = false;
            next.offboardedAt = now;
            next.offboardedBy = requestedBy;
            next.revision = next.revision + 1;
            next.changedAt = now;
            return next.<TenantEncryption>persist().call(saved -> outbox.append(Topics.TENANT_KEY_CONFIG, tenantId,
                    new KeyConfigEvent.TenantOffboarded(tenantId, saved.revision, now, requestedBy)));
        }));
    }

    static void refuseIfOffboarded(TenantEncryption current) {
        if (current != null && current.offboardedAt != null) {
            throw new Problem(410, "Tenant offboarded", "tenant " + current.tenantId + " was offboarded at " + current.offboardedAt
                    + " and its data crypto-shredded; its encryption settings can no longer change");
        }
    }

    private static Uni<TenantEncryption> locked(String tenantId) {
        return TenantEncryption.<TenantEncryption>findById(tenantId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static TenantEncryption newSetting(String tenantId) {
        TenantEncryption s = new TenantEncryption();
        s.tenantId = tenantId;
        s.revision = 0;
        return s;
    }

    /** If-Match, when sent, must name the current revision ("0" before the first change). */
    private static void checkIfMatch(TenantEncryption current, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || "*".equals(ifMatch.trim())) {
            return;
        }
        String expected = etag(current == null ? 0 : current.revision);
        if (!expected.equals(ifMatch.trim())) {
            throw new Problem(412, "Precondition failed",
                    "the setting changed since you read it: If-Match is " + ifMatch.trim() + ", the current ETag is " + expected);
        }
    }

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }
}
