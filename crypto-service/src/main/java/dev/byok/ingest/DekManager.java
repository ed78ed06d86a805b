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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's current DEK, within its bounds. A new DEK is always managed-wrapped and, when the
 * tenant has BYOK enabled and is not locked, customer-wrapped with the version in use. If the
 * customer wrap fails, the failure is reported (it drives lockdown) and the DEK is stored
 * managed-only and <em>pending</em>: data is never dropped and other tenants never wait. A change of
 * the tenant's key configuration or lock state retires the current DEK, so the next record gets a
 * DEK under the new situation.
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
    private final java.time.Duration wrapBudget;
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
        this.wrapBudget = config.customerWrapBudget();
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
        Optional<KeyVersionId> customerKey = keyConfigs.customerKey(tenantId);
        boolean locked = gate.gate().state(tenantId).map(s -> s.locked()).orElse(false);
        Uni<WrappedDek> wrapped;
        if (customerKey.isEmpty() || locked) {
            wrapped = Uni.createFrom().item(keyring.wrap(dek)); // managed only; pending if BYOK is on but locked
        } else {
            KeyHierarchy hierarchy = new KeyHierarchy(keyring, kms.kms().forTenant(tenantId, KeyUsagePurpose.NEW_DEK));
            var attempt = hierarchy.wrap(dek, customerKey);
            attempt.whenComplete((ok, error) -> {
                if (error != null) { // reported even when it comes after the budget
                    reporter.failed(tenantId, customerKey.get().toString(), KeyOperation.WRAP, KmsFutures.cause(error));
                }
            });
            // a copy: when the budget runs out, Mutiny cancels the stage it waits on, and cancelling the
            // attempt itself would report a CancellationException (UNKNOWN) instead of the real outcome
            wrapped = Uni.createFrom().completionStage(attempt.toCompletableFuture().copy())
                    .ifNoItem().after(wrapBudget).recoverWithItem(() -> {
                        Log.warnf("customer wrap for tenant %s exceeded %d ms; its new DEK is pending", tenantId, wrapBudget.toMillis());
                        return keyring.wrap(dek);
                    })
                    .onFailure().recoverWithItem(error -> {
                        Log.warnf("customer wrap failed for tenant %s; its new DEK is pending", tenantId);
                        return keyring.wrap(dek);
                    });
        }
        return wrapped.flatMap(w -> {
            boolean pending = customerKey.isPresent() && w instanceof WrappedDek.ManagedOnly;
            return repository.insert(new DekRepository.StoredDek(dek.id(), tenantId, w, pending, now, 0)).replaceWith(dek);
        });
    }
}
