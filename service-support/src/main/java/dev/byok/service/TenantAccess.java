package dev.byok.service;

import dev.byok.kafka.TenantGate;
import dev.byok.model.TenantId;
import dev.byok.model.TokenClaims;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Tenant isolation and the lock gate, in one place for every tenant-scoped API: the path's tenant
 * id must be well-formed and equal the token's {@value TokenClaims#TENANT_CLAIM} claim (else 403),
 * and reads or changes are refused while the tenant is LOCKED (423) or the gate is loading (503).
 * An offboarded tenant gets {@link #offboarded} (410), whichever store told the caller so.
 */
@ApplicationScoped
public class TenantAccess {
    private final Gate gate;

    TenantAccess(Gate gate) {
        this.gate = gate;
    }

    /** The caller may act for this tenant (checked after authentication and the tenant-admin role). */
    public void requireTenant(JsonWebToken token, String tenantId) {
        if (!TenantId.isValid(tenantId)) {
            throw new Problem(400, "Invalid tenant id", "tenant id must be " + TenantId.RULE);
        }
        Object claim = token.getClaim(TokenClaims.TENANT_CLAIM);
        if (claim == null || !tenantId.equals(claim.toString().replace("\"", ""))) {
            throw new Problem(403, "Other tenant", "this token is not valid for tenant " + tenantId);
        }
    }

    /** Refuses while the tenant is LOCKED (423, with the reason) or while lock states are loading (503). */
    public void requireUnlocked(String tenantId) {
        if (gate.gate().readAccess(tenantId) instanceof TenantGate.Refused refused) {
            throw refused.locked()
                    ? new Problem(423, "Tenant locked", refused.reason())
                    : new Problem(503, "Not ready", refused.reason());
        }
    }

    /** The one answer to a request about an offboarded tenant: 410, and what no longer works ({@code consequence}). */
    public static Problem offboarded(String tenantId, String consequence) {
        return new Problem(
                410,
                "Tenant offboarded",
                "tenant " + tenantId + " was offboarded and its data crypto-shredded; " + consequence);
    }
}
