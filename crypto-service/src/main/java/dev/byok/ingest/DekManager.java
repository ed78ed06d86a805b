package dev.byok.ingest;

import dev.byok.store.CryptoConfig;

import dev.byok.store.DekRepository;
import dev.byok.service.KeyConfigs;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsFutures;
import dev.byok.model.KeyOperation;
import dev.byok.model.KeyUsagePurpose;
import dev.byok.service.Gate;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KmsStack;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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
    private final KmsStack kms;
    private final KeyConfigs keyConfigs;
    private final Gate gate;
    private final KeyAccessReporter reporter;
    private final DekRepository repository;
    private final ManagedKeyring keyring;
    private final DekPolicy policy;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Dek> current = new ConcurrentHashMap<>();

    DekManager(KmsStack kms, KeyConfigs keyConfigs, Gate gate, KeyAccessReporter reporter, DekRepository repository, CryptoConfig config) {
        this.kms = kms;
        this.keyConfigs = keyConfigs;
        this.gate = gate;
        this.reporter = reporter;
        this.repository = repository;
        this.keyring = ManagedKeyring.parse(config.managedKeyring());
        this.policy = new DekPolicy(config.dekMaxRecords(), config.dekMaxAge());
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
        return keyConfigs.offboarded(tenantId);
    }

    /** The managed keyring (readers unwrap with it). */
    ManagedKeyring keyring() {
        return keyring;
    }

    /** Persists how many records these DEKs sealed (after each batch, in one round trip). */
    public Uni<Void> checkpoint(java.util.Collection<Dek> used) {
        return repository.recordSealed(used.stream().collect(java.util.stream.Collectors.toMap(Dek::id, Dek::recordsSealed, Math::max)));
    }

    private Uni<Dek> create(String tenantId, Instant now) {
        Dek dek = Dek.generate(tenantId, now, policy);
        // an unreadable configuration had BYOK enabled: the DEK waits, pending, for a readable one (never a poison for ingest)
        boolean unreadable = keyConfigs.unreadable(tenantId).isPresent();
        Optional<KeyVersionId> customerKey = unreadable ? Optional.empty() : keyConfigs.customerKey(tenantId);
        boolean locked = gate.gate().state(tenantId).map(s -> s.locked()).orElse(false);
        WrappedDek.ManagedOnly managed = keyring.wrap(dek);
        return repository.insert(new DekRepository.StoredDek(dek.id(), tenantId, managed, unreadable || customerKey.isPresent(), now, 0))
                .invoke(() -> {
                    if (customerKey.isPresent() && !locked) { // a locked tenant's DEK waits for the sweeper, after the unlock
                        addCustomerLayer(tenantId, dek.id(), managed, customerKey.get());
                    }
                })
                .replaceWith(dek);
    }

    /**
     * Puts a new pending DEK under the customer key while ingest already uses it: ingest never waits
     * for Key Vault (a slow vault would hold up every tenant whose events share the batch). A failure
     * is reported (it drives lockdown) and the DEK stays pending for the sweeper.
     */
    private void addCustomerLayer(String tenantId, UUID dekId, WrappedDek.ManagedOnly managed, KeyVersionId customerKey) {
        KeyHierarchy hierarchy = new KeyHierarchy(keyring, kms.forTenant(tenantId, KeyUsagePurpose.NEW_DEK));
        hierarchy.addCustomerLayer(managed, customerKey).whenComplete((wrapped, error) -> {
            if (error != null) {
                reporter.failed(tenantId, customerKey.toString(), KeyOperation.WRAP, KmsFutures.cause(error));
                Log.warnf("customer wrap failed for tenant %s; its new DEK stays pending until the sweeper protects it", tenantId);
                return;
            }
            repository.protectPending(dekId, wrapped).subscribe().with(done -> { },
                    e -> Log.warnf("could not store the customer layer of a DEK of tenant %s (%s); the sweeper will protect it",
                            tenantId, e.getClass().getSimpleName()));
        });
    }
}
