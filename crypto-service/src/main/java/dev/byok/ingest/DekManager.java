package dev.byok.ingest;

import dev.byok.crypto.Dek;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Each tenant's current DEK, within its bounds; ingest never waits for Key Vault.
 * <ul>
 * <li>A managed-only tenant's DEK is stored managed-wrapped at once.</li>
 * <li>A BYOK tenant's DEK must be <em>born protected</em>: stored only once wrapped by the customer
 *     key version in use, so no copy of it without the customer layer exists anywhere. Until such a
 *     DEK is ready, a <em>temporary</em> DEK (stored managed-only and pending) seals the tenant's
 *     records; a born-protected DEK is prepared in the background at once and replaces it after one
 *     Key Vault round trip. If the key is slow, unreachable or the tenant locked, the temporary DEK
 *     serves for {@code byok.crypto.temporary-dek-max-age} at most; the sweeper moves its records to
 *     a born-protected DEK later and destroys it. A failed wrap is reported (it drives lockdown).</li>
 * </ul>
 * Every DEK's managed layer is the tenant's own key ({@code TenantKeyStore}): the first DEK of a tenant
 * in a process waits for that key to open (one call to the service's vault); later ones do not.
 * A change of the tenant's key configuration or lock state retires the current DEK (its row records
 * when it stopped sealing), so the next record gets a DEK under the new situation.
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
    private final Map<String, Current> current = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Dek>> creating = new ConcurrentHashMap<>();

    /** A tenant's current DEK and the customer key it was made for (empty: managed, or an unreadable configuration). */
    private record Current(Dek dek, Optional<KeyVersionId> customerKey) {}

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
        keyConfigs.onChange(this::retireCurrent);
        gate.gate().addListener(state -> retireCurrent(state.tenantId()));
    }

    /**
     * The DEK that seals this tenant's next record: the current one while usable and made for the
     * tenant's key configuration as it is now (a change that raced its creation retires it), else a
     * new stored one.
     */
    public Uni<Dek> currentFor(String tenantId) {
        Current c = current.get(tenantId);
        Instant now = clock.instant();
        Optional<KeyVersionId> customerKey = customerKey(tenantId);
        if (c != null && c.dek().usableAt(now) && c.customerKey().equals(customerKey)) {
            return Uni.createFrom().item(c.dek());
        }
        if (c != null && current.remove(tenantId, c)) {
            retire(c.dek());
        }
        return Uni.createFrom().deferred(() -> createOnce(tenantId, customerKey, now));
    }

    /**
     * Creates the tenant's next DEK, or joins the creation already under way: batches of a
     * tenant in flight at once get the same new DEK (and a BYOK tenant one born-protected
     * replacement), not one each.
     */
    private Uni<Dek> createOnce(String tenantId, Optional<KeyVersionId> customerKey, Instant now) {
        CompletableFuture<Dek> mine = new CompletableFuture<>();
        CompletableFuture<Dek> underWay = creating.putIfAbsent(tenantId, mine);
        if (underWay != null) {
            return Uni.createFrom().completionStage(underWay);
        }
        create(tenantId, customerKey, now)
                .onTermination()
                .invoke(() -> creating.remove(tenantId, mine))
                .subscribe()
                .with(mine::complete, mine::completeExceptionally);
        return Uni.createFrom().completionStage(mine);
    }

    /** The customer key new DEKs are made for: none when BYOK is off or the configuration is unreadable. */
    private Optional<KeyVersionId> customerKey(String tenantId) {
        return keyConfigs.unreadable(tenantId).isPresent() ? Optional.empty() : keyConfigs.customerKey(tenantId);
    }

    /** The tenant was offboarded: no DEK may be created for it any more (its data is being crypto-shredded). */
    public boolean offboarded(String tenantId) {
        return eligibility.offboarded(tenantId);
    }

    /** Persists how many records these DEKs sealed (after each batch, in one round trip). */
    public Uni<Void> checkpoint(Collection<Dek> used) {
        return repository.recordSealed(used.stream().collect(Collectors.toMap(Dek::id, Dek::recordsSealed, Math::max)));
    }

    /** Stores a new DEK and makes it current; a temporary one's replacement starts only then (it replaces it). */
    private Uni<Dek> create(String tenantId, Optional<KeyVersionId> customerKey, Instant now) {
        // an unreadable configuration had BYOK enabled: its DEK is temporary until a readable one arrives (never a
        // poison for ingest)
        boolean unreadable = keyConfigs.unreadable(tenantId).isPresent();
        if (!unreadable && customerKey.isEmpty()) {
            Dek dek = keys.newDek(tenantId, now);
            return storeManagedOnly(dek, false)
                    .invoke(() -> makeCurrent(new Current(dek, customerKey)))
                    .replaceWith(dek);
        }
        Current temporary = new Current(keys.newTemporaryDek(tenantId, now), customerKey);
        // a locked tenant gets no DEK under its key until it is unlocked
        Optional<KeyVersionId> wrapNow = customerKey.filter(key -> !eligibility.locked(tenantId));
        return storeManagedOnly(temporary.dek(), true)
                .invoke(() -> {
                    makeCurrent(temporary);
                    wrapNow.ifPresent(key -> background.start(replaceWithBornProtected(temporary, key)));
                })
                .replaceWith(temporary.dek());
    }

    /** Makes a stored DEK its tenant's current one; one it replaces (made meanwhile) seals no more and is retired. */
    private void makeCurrent(Current made) {
        Current replaced = current.put(made.dek().tenantId(), made);
        if (replaced != null) {
            retire(replaced.dek());
        }
    }

    /** Stores the DEK under its tenant's key only: no call once the tenant key is open in this process. */
    private Uni<Void> storeManagedOnly(Dek dek, boolean pending) {
        return KmsUni.of(() -> keys.hierarchy(dek.tenantId(), KeyUsagePurpose.NEW_DEK)
                        .thenCompose(hierarchy -> hierarchy.wrap(dek, Optional.empty())))
                .flatMap(wrapped -> store(dek, wrapped, pending));
    }

    private Uni<Void> store(Dek dek, WrappedDek wrapped, boolean pending) {
        return repository.insert(
                new DekRepository.StoredDek(dek.id(), dek.tenantId(), wrapped, pending, dek.createdAt(), 0),
                dek.sealUntil());
    }

    /**
     * Prepares a DEK born under the customer key and, once it is stored, makes it the tenant's current
     * DEK in place of the temporary one — unless the situation changed meanwhile (the prepared DEK is
     * then left unused, empty, for the sweeper).
     */
    private Uni<Void> replaceWithBornProtected(Current temporary, KeyVersionId customerKey) {
        String tenantId = temporary.dek().tenantId();
        Dek dek = keys.newDek(tenantId, clock.instant());
        return KmsUni.of(() -> keys.hierarchy(tenantId, KeyUsagePurpose.NEW_DEK)
                        .thenCompose(hierarchy -> hierarchy.wrap(dek, Optional.of(customerKey))))
                .onFailure(KmsException.class) // the customer key failed; the service's own vault is not the customer's
                .invoke(error -> {
                    reporter.failed(tenantId, customerKey.toString(), KeyOperation.WRAP, error);
                    Log.warnf(
                            "customer wrap failed for tenant %s; its temporary DEK serves until %s and is moved later",
                            tenantId, temporary.dek().sealUntil());
                })
                .flatMap(wrapped -> store(dek, wrapped, false))
                .invoke(() -> {
                    if (current.replace(tenantId, temporary, new Current(dek, temporary.customerKey()))) {
                        retire(temporary.dek());
                    }
                });
    }

    private void retireCurrent(String tenantId) {
        Current retired = current.remove(tenantId);
        if (retired != null) {
            retire(retired.dek());
        }
    }

    /** Records that the DEK seals no more records from now on (the sweeper may move a temporary one sooner). */
    private void retire(Dek dek) {
        background.start(repository
                .retire(dek.id(), clock.instant())
                .onFailure()
                .invoke(error -> Log.warnf(
                        "could not record that DEK %s of tenant %s is retired (%s); its seal time stands",
                        dek.id(), dek.tenantId(), error.getClass().getSimpleName())));
    }
}
