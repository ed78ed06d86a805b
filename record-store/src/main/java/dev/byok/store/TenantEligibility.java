package dev.byok.store;

import dev.byok.service.Gate;
import dev.byok.service.TenantAccess;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the data plane may do with a tenant's data, decided in one place from the tenant's key
 * configuration and its lock state: read it (else 410, 423 or 503), add a customer layer now, or
 * let the sweeper change its DEKs.
 */
@ApplicationScoped
public class TenantEligibility {
    private final KeyConfigs configs;
    private final Gate gate;
    private final TenantAccess access;

    TenantEligibility(KeyConfigs configs, Gate gate, TenantAccess access) {
        this.configs = configs;
        this.gate = gate;
        this.access = access;
    }

    /** Refuses to read an offboarded tenant's records (410), a LOCKED tenant's (423), or any while lock states load (503). */
    public void requireReadable(String tenantId) {
        if (offboarded(tenantId)) {
            throw TenantAccess.offboarded(tenantId, "its records can no longer be read");
        }
        access.requireUnlocked(tenantId);
    }

    /** The tenant was offboarded: no DEK may be created for it any more, and its data is being crypto-shredded. */
    public boolean offboarded(String tenantId) {
        return configs.offboarded(tenantId);
    }

    /** LOCKED: no customer-key work for it until lockdown's probe unlocks it. */
    public boolean locked(String tenantId) {
        return gate.gate().state(tenantId).map(state -> state.locked()).orElse(false);
    }

    /**
     * Whether the sweeper may change the tenant's DEKs now: not locked (no customer-key work against a
     * failing vault), not offboarded (shredding owns it), and with a readable key configuration.
     */
    public boolean sweepable(String tenantId) {
        return !locked(tenantId)
                && !offboarded(tenantId)
                && configs.unreadable(tenantId).isEmpty();
    }

    /** Every tenant the sweeper must leave alone now (see {@link #sweepable}), configured or only known as LOCKED. */
    public Set<String> unsweepable() {
        Set<String> out = new HashSet<>();
        gate.gate().snapshot().forEach((tenant, state) -> {
            if (state.locked()) {
                out.add(tenant);
            }
        });
        configs.snapshot().keySet().stream()
                .filter(tenant -> !sweepable(tenant))
                .forEach(out::add);
        return out;
    }

    /** Every configured tenant that was offboarded. */
    public List<String> offboardedTenants() {
        return configs.snapshot().keySet().stream().filter(this::offboarded).toList();
    }
}
