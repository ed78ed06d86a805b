package dev.byok.config;

import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KmsStack;
import dev.byok.service.KmsUni;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Rolls a tenant to its key's latest version: lists the versions afresh (List permission), and when
 * a newer one exists, records it and publishes *key version rolled* (from, to) atomically. Safe to
 * run from several replicas or twice (poll and webhook): the row lock and the re-check make the
 * second run a no-op. A key-access failure met on the way is published for the lockdown service.
 */
@ApplicationScoped
public class KeyRoll {
    private final KmsStack kms;
    private final Outbox outbox;
    private final KeyAccessReporter reporter;
    private final Clock clock;

    KeyRoll(KmsStack kms, Outbox outbox, KeyAccessReporter reporter, Clock clock) {
        this.kms = kms;
        this.clock = clock;
        this.outbox = outbox;
        this.reporter = reporter;
    }

    /** Checks one enabled tenant's key; completes with true when it rolled. */
    Uni<Boolean> check(TenantEncryption setting) {
        String tenantId = setting.tenantId;
        String keyUri = setting.keyUri;
        KeyRef key = kms.keyOf(keyUri);
        kms.invalidateLatest(key);
        Kms tenantKms = kms.forTenant(tenantId, Optional.ofNullable(setting.directoryId), KeyUsagePurpose.ROLL_CHECK);
        return KmsUni.of(() -> tenantKms.resolveLatest(key))
                .onFailure()
                .invoke(error -> reporter.failed(tenantId, key.toString(), KeyOperation.RESOLVE_LATEST, error))
                .onFailure()
                .recoverWithNull()
                .flatMap(latest -> latest == null ? Uni.createFrom().item(false) : roll(tenantId, keyUri, latest));
    }

    private Uni<Boolean> roll(String tenantId, String keyUri, KeyVersionId latest) {
        return Panache.withTransaction(() -> TenantEncryption.<TenantEncryption>findById(
                        tenantId, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(s -> {
                    if (s == null
                            || !s.byokEnabled
                            || !keyUri.equals(s.keyUri)
                            || latest.toString().equals(s.keyVersionId)) {
                        return Uni.createFrom().item(false); // disabled, re-keyed, or already rolled meanwhile
                    }
                    String from = s.keyVersionId;
                    Instant now = clock.instant();
                    s.keyVersionId = latest.toString();
                    s.revision = s.revision + 1;
                    s.changedAt = now;
                    s.lastRollAt = now;
                    Log.infof("tenant %s rolls to key version %s", tenantId, latest.version());
                    return outbox.append(
                                    Topics.TENANT_KEY_CONFIG,
                                    tenantId,
                                    new KeyConfigEvent.KeyVersionRolled(
                                            tenantId, s.revision, now, keyUri, from, latest.toString(), s.directoryId))
                            .replaceWith(true);
                }));
    }
}
