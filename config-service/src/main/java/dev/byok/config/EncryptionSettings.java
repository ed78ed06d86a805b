package dev.byok.config;

import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.Problem;
import dev.byok.service.TenantAccess;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Changes of a tenant's setting, each atomic with its key-config event (outbox), serialised per
 * tenant by a row lock, guarded by If-Match, and idempotent: repeating a request changes nothing
 * and publishes nothing.
 */
@ApplicationScoped
public class EncryptionSettings {
    private static final String TAKEN = "the directory is bound to another tenant of this service";
    private static final Uni<Optional<String>> NOBODY = Uni.createFrom().item(Optional.empty());
    private final Outbox outbox;
    private final boolean exclusive;
    private final Clock clock;

    /** @param exclusive whether a directory serves one tenant only ({@code byok.directory.exclusive}, default true) */
    EncryptionSettings(
            Outbox outbox,
            @ConfigProperty(name = "byok.directory.exclusive", defaultValue = "true") boolean exclusive,
            Clock clock) {
        this.clock = clock;
        this.outbox = outbox;
        this.exclusive = exclusive;
    }

    Uni<TenantEncryption> find(String tenantId) {
        return Panache.withSession(() -> TenantEncryption.findById(tenantId));
    }

    Uni<Long> pendingEvents(String tenantId) {
        return Panache.withSession(() -> OutboxRecord.count("recordKey = ?1 and publishedAt is null", tenantId));
    }

    /**
     * Why {@code tenantId} may not use keys of {@code directoryId}, if it may not: a tenant keeps the
     * directory of its first enable (its DEKs stay wrapped there), and a directory serves one tenant
     * (so no tenant can have the service use another customer's registration of its application).
     */
    Uni<Optional<String>> directoryRefusal(String tenantId, String directoryId) {
        return Panache.withSession(() -> TenantEncryption.<TenantEncryption>findById(tenantId)
                .flatMap(own -> {
                    Optional<String> bound = bound(own).filter(d -> !d.equals(directoryId));
                    if (bound.isPresent()) {
                        return Uni.createFrom()
                                .item(Optional.of("this tenant's keys live in directory " + bound.get()
                                        + ", bound at its first enable; a key in directory " + directoryId
                                        + " cannot be used"));
                    }
                    return exclusive
                            ? ownerOf(directoryId)
                                    .map(owner -> owner.filter(o -> !o.equals(tenantId))
                                            .map(o -> TAKEN))
                            : NOBODY;
                }));
    }

    private static Uni<Optional<String>> ownerOf(String directoryId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "SELECT tenant_id FROM directory_owner WHERE directory_id = ?1", String.class)
                        .setParameter(1, directoryId)
                        .getResultList())
                .map(owners -> owners.stream().findFirst());
    }

    /** Records the directory's owner, or fails with 409 when another tenant holds it (the primary key decides races). */
    private Uni<Void> claim(String directoryId, String tenantId) {
        if (!exclusive) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "INSERT INTO directory_owner (directory_id, tenant_id) VALUES (?1, ?2)"
                                        + " ON CONFLICT (directory_id) DO NOTHING")
                        .setParameter(1, directoryId)
                        .setParameter(2, tenantId)
                        .executeUpdate())
                .flatMap(inserted -> ownerOf(directoryId))
                .invoke(owner -> {
                    if (!owner.orElseThrow().equals(tenantId)) {
                        throw new Problem(409, "Directory bound", TAKEN);
                    }
                })
                .replaceWithVoid();
    }

    private static Optional<String> bound(TenantEncryption setting) {
        return Optional.ofNullable(setting).map(s -> s.directoryId);
    }

    /** Enables BYOK with an already validated key of {@code directoryId}; {@code keyVersionId} is its latest version. */
    Uni<TenantEncryption> enable(
            String tenantId, String ifMatch, String keyUri, String directoryId, String keyVersionId) {
        return Panache.withTransaction(() -> locked(tenantId)
                .flatMap(current -> {
                    checkIfMatch(current, ifMatch);
                    refuseIfOffboarded(current);
                    if (bound(current)
                            .filter(d -> !d.equals(directoryId))
                            .isPresent()) { // changed since the check: the row lock decides
                        throw new Problem(
                                409, "Directory bound", "this tenant's keys live in directory " + current.directoryId);
                    }
                    return claim(directoryId, tenantId).replaceWith(current);
                })
                .flatMap(current -> {
                    if (current != null && current.byokEnabled && keyUri.equals(current.keyUri)) {
                        return Uni.createFrom()
                                .item(current); // repeated request: nothing changes, nothing is published
                    }
                    Instant now = clock.instant();
                    TenantEncryption next = current != null ? current : newSetting(tenantId);
                    next.byokEnabled = true;
                    next.keyUri = keyUri;
                    next.directoryId = directoryId;
                    next.keyVersionId = keyVersionId;
                    next.revision = next.revision + 1;
                    next.changedAt = now;
                    next.lastValidationAt = now;
                    next.lastValidationOk = true;
                    return next.<TenantEncryption>persist()
                            .call(saved -> outbox.append(
                                    Topics.TENANT_KEY_CONFIG,
                                    tenantId,
                                    new KeyConfigEvent.KeyEnabled(
                                            tenantId, saved.revision, now, keyUri, keyVersionId, directoryId)));
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
            return current.<TenantEncryption>persist()
                    .call(saved -> outbox.append(
                            Topics.TENANT_KEY_CONFIG,
                            tenantId,
                            new KeyConfigEvent.KeyDisabled(
                                    tenantId, saved.revision, now, saved.keyUri, saved.directoryId)));
        }));
    }

    /**
     * Offboards the tenant: final. Its data will be crypto-shredded (its tenant key purged, every DEK
     * destroyed, then every record deleted) by sweeper-service. Repeating it changes nothing.
     */
    Uni<TenantEncryption> offboard(String tenantId, String requestedBy) {
        return Panache.withTransaction(() -> locked(tenantId).flatMap(current -> {
            if (current != null && current.offboardedAt != null) {
                return Uni.createFrom().item(current);
            }
            Instant now = clock.instant();
            TenantEncryption next = current != null ? current : newSetting(tenantId);
            next.byokEnabled = false;
            next.offboardedAt = now; // the directory is free for another tenant again
            next.offboardedBy = requestedBy;
            next.revision = next.revision + 1;
            next.changedAt = now;
            return next.<TenantEncryption>persist()
                    .call(saved -> Panache.getSession()
                            .flatMap(session -> session.createNativeQuery(
                                            "DELETE FROM directory_owner WHERE tenant_id = ?1")
                                    .setParameter(1, tenantId)
                                    .executeUpdate()))
                    .call(saved -> outbox.append(
                            Topics.TENANT_KEY_CONFIG,
                            tenantId,
                            new KeyConfigEvent.TenantOffboarded(tenantId, saved.revision, now, requestedBy)));
        }));
    }

    static void refuseIfOffboarded(TenantEncryption current) {
        if (current != null && current.offboardedAt != null) {
            throw TenantAccess.offboarded(
                    current.tenantId,
                    "its encryption settings can no longer change (offboarded at " + current.offboardedAt + ")");
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
            throw new Problem(
                    412,
                    "Precondition failed",
                    "the setting changed since you read it: If-Match is " + ifMatch.trim() + ", the current ETag is "
                            + expected);
        }
    }

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }
}
