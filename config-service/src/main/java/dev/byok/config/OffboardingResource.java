package dev.byok.config;

import dev.byok.model.TokenClaims;
import dev.byok.service.Problem;
import dev.byok.service.TenantAccess;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Tenant offboarding: crypto-shredding of all the tenant's data, confirmed by typing the tenant id
 * again. Final and idempotent; allowed while LOCKED (destroying DEKs needs no customer key).
 * Audited: the key-config event carries who asked and when, and the service logs it.
 */
@Path("/api/v1/tenants/{tenantId}/offboarding")
@RolesAllowed(TokenClaims.TENANT_ADMIN)
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class OffboardingResource {
    private final JsonWebToken token;
    private final TenantAccess access;
    private final EncryptionSettings settings;
    private final EncryptionStatuses statuses;

    OffboardingResource(
            JsonWebToken token, TenantAccess access, EncryptionSettings settings, EncryptionStatuses statuses) {
        this.token = token;
        this.access = access;
        this.settings = settings;
        this.statuses = statuses;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Offboard the tenant: purge its tenant key (crypto-shredding, backups included), destroy every"
                    + " DEK, then delete every record. Final.")
    public Uni<Response> offboard(@PathParam("tenantId") String tenantId, OffboardingRequest body) {
        access.requireTenant(token, tenantId);
        if (body == null || !tenantId.equals(body.confirmTenantId())) {
            throw new Problem(
                    400,
                    "Confirmation required",
                    "offboarding destroys all of the tenant's data; to confirm, send {\"confirmTenantId\": \""
                            + tenantId + "\"}");
        }
        String subject = token.getSubject() == null ? "unknown" : token.getSubject();
        return settings.offboard(tenantId, subject)
                .invoke(saved -> Log.infof(
                        "AUDIT tenant %s offboarded (crypto-shredding) by %s, revision %d",
                        tenantId, subject, saved.revision))
                .flatMap(saved -> statuses.respond(tenantId))
                .map(ok ->
                        Response.accepted(ok.getEntity()).tag(ok.getEntityTag()).build());
    }
}
