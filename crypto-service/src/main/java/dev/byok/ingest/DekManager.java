package dev.byok.ingest;

import dev.byok.crypto.Dek;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.service.BackgroundWork;
import dev.byok.service.Gate;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KmsUni;
import dev.byok.store.DekRepository;
import dev.byok.store.KeyConfigs;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeys;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Each tenant's current DEK, within its bounds. A new DEK is stored managed-wrapped at once; when the
 * tenant has BYOK enabled it is stored <em>pending</em> and, unless the tenant is locked, put under
 * the customer key version in use in the background, within a Key Vault round trip. If that wrap
 * fails, the failure is reported (it drives lockdown) and the DEK stays pending for the sweeper: data
 * is never dropped and no tenant waits for Key Vault. A change of the tenant's key configuration or
 * lock state retires the current DEK, so the next record gets a DEK under the new situation.
 */
@ApplicationScoped
public class DekManager {
    private final TenantKeys keys;
    private final KeyConfigs keyConfigs;
    private final TenantEligibility eligibility;
    private final KeyAccessReporter reporter;
    private final DekRepository repository;
    private final BackgroundWork background;
    private final Clock clock;
    private final Map<String, Dek> current = new ConcurrentHashMap<>();

    DekManager(
            TenantKeys keys,
            KeyConfigs keyConfigs,
            TenantEligibility eligibility,
            Gate gate,
            KeyAccessReporter reporter,
            DekRepository repository,
            BackgroundWork background,
            Clock clock) {
        this.keys = keys;
        this.keyConfigs = keyConfigs;
        this.eligibility = eligibility;
        this.reporter = reporter;
        this.repository = repository;
        this.background = background;
        this.clock = clock;
        keyConfigs.onChange(current::remove);
        gate.gate().addListener(state -> current.remove(state.tenantId()));
    }

    /** The DEK that seals this tenant's next record: the current one while usable, else a new stored one. */
    public Uni<Dek> currentFor(String tenantId) {
        Dek dek = current.get(tenantId);
        Instant now = clock.instant();
        if (dek != null && dek.usableAt(now)) {
            return Uni.createFrom().item(dek);
        }
        return create(tenantId, now).invoke(created -> current.put(tenantId, created));
    }

    /** The tenant was offboarded: no DEK may be created for it any more (its data is being crypto-shredded). */
    public boolean offboarded(String tenantId) {
        return eligibility.offboarded(tenantId);
    }

    /** Persists how many records these DEKs sealed (after each batch, in one round trip). */
    public Uni<Void> checkpoint(Collection<Dek> used) {
        return repository.recordSealed(used.stream().collect(Collectors.toMap(Dek::id, Dek::recordsSealed, Math::max)));
    }

    private Uni<Dek> create(String tenantId, Instant now) {
        Dek dek = keys.newDek(tenantId, now);
        // an unreadable configuration had BYOK enabled: the DEK waits, pending, for a readable one (never a poison for
        // ingest)
        boolean unreadable = keyConfigs.unreadable(tenantId).isPresent();
        Optional<KeyVersionId> customerKey = unreadable ? Optional.empty() : keyConfigs.customerKey(tenantId);
        // a locked tenant's DEK waits for the sweeper, after the unlock
        Optional<KeyVersionId> wrapNow = customerKey.filter(key -> !eligibility.locked(tenantId));
        WrappedDek.ManagedOnly managed = keys.keyring().wrap(dek);
        return repository
                .insert(new DekRepository.StoredDek(
                        dek.id(), tenantId, managed, unreadable || customerKey.isPresent(), now, 0))
                .invoke(() ->
                        wrapNow.ifPresent(key -> background.start(addCustomerLayer(tenantId, dek.id(), managed, key))))
                .replaceWith(dek);
    }

    /**
     * Puts a new pending DEK under the customer key while ingest already uses it: ingest never waits
     * for Key Vault (a slow vault would hold up every tenant whose events share the batch). A failure
     * is reported (it drives lockdown) and the DEK stays pending for the sweeper.
     */
    private Uni<Void> addCustomerLayer(
            String tenantId, UUID dekId, WrappedDek.ManagedOnly managed, KeyVersionId customerKey) {
        return KmsUni.of(() -> keys.hierarchy(tenantId, KeyUsagePurpose.NEW_DEK).addCustomerLayer(managed, customerKey))
                .onFailure()
                .invoke(error -> {
                    reporter.failed(tenantId, customerKey.toString(), KeyOperation.WRAP, error);
                    Log.warnf(
                            "customer wrap failed for tenant %s; its new DEK stays pending until the sweeper protects it",
                            tenantId);
                })
                .flatMap(wrapped -> repository
                        .protectPending(dekId, wrapped)
                        .onFailure()
                        .invoke(error -> Log.warnf(
                                "could not store the customer layer of a DEK of tenant %s (%s); the sweeper will protect it",
                                tenantId, error.getClass().getSimpleName())))
                .replaceWithVoid();
    }
}
