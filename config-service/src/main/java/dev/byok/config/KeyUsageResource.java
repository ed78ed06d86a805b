package dev.byok.config;

import dev.byok.model.TokenClaims;
import dev.byok.service.Problem;
import dev.byok.service.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Key-use transparency: the tenant's own audit of every Key Vault operation the services made on
 * its behalf, newest first, paged by cursor. Tenant-isolated like every tenant API; refused (423)
 * while the tenant is LOCKED, like every change.
 */
@Path("/api/v1/tenants/{tenantId}/encryption/key-usage")
@RolesAllowed(TokenClaims.TENANT_ADMIN)
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class KeyUsageResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final JsonWebToken token;
    private final TenantAccess access;
    private final KeyUsageLog log;

    KeyUsageResource(JsonWebToken token, TenantAccess access, KeyUsageLog log) {
        this.token = token;
        this.access = access;
        this.log = log;
    }

    @GET
    @Operation(
            summary =
                    "The tenant's key-use audit: time, service, purpose, key version, operation and outcome, newest first")
    public Uni<KeyUse.Page> keyUsage(
            @PathParam("tenantId") String tenantId,
            @Parameter(description = "page size, 1-200 (default 50)") @QueryParam("limit") String limit,
            @Parameter(description = "the previous page's next cursor") @QueryParam("cursor") String cursor) {
        access.requireTenant(token, tenantId);
        access.requireUnlocked(tenantId);
        return log.page(tenantId, cursor(cursor), limit(limit));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Problem(400, "Invalid limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static long cursor(String value) {
        if (value == null) {
            return 0;
        }
        try {
            long cursor = Long.parseLong(value);
            if (cursor > 0) {
                return cursor;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Problem(400, "Invalid cursor", "cursor must be the 'next' value of a previous page");
    }
}
