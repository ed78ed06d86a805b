package dev.byok.config;

import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyValidationReport;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.model.TokenClaims;
import dev.byok.service.KmsStack;
import dev.byok.service.KmsUni;
import dev.byok.service.Problem;
import dev.byok.service.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The tenant admin's BYOK API. Every call needs a bearer token with role tenant-admin for this
 * tenant; changes are refused while the tenant is LOCKED (status stays readable, with the reason).
 * Validate and enable reach the vault, so they count against the tenant's {@link KeyCheckQuota}.
 */
@Path("/api/v1/tenants/{tenantId}/encryption")
@RolesAllowed(TokenClaims.TENANT_ADMIN)
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class EncryptionResource {
    private final JsonWebToken token;
    private final TenantAccess access;
    private final EncryptionSettings settings;
    private final KmsStack kms;
    private final EncryptionStatuses statuses;
    private final KeyCheckQuota quota;

    EncryptionResource(
            JsonWebToken token,
            TenantAccess access,
            EncryptionSettings settings,
            KmsStack kms,
            EncryptionStatuses statuses,
            KeyCheckQuota quota) {
        this.token = token;
        this.access = access;
        this.settings = settings;
        this.kms = kms;
        this.statuses = statuses;
        this.quota = quota;
    }

    @GET
    @Operation(summary = "The tenant's encryption status: mode, key, version in use, lock state")
    public Uni<Response> status(@PathParam("tenantId") String tenantId) {
        access.requireTenant(token, tenantId);
        return statuses.respond(tenantId);
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate a key URI in a directory: every check with pass/fail and a remedy; changes nothing")
    public Uni<ReportView> validate(@PathParam("tenantId") String tenantId, KeyRequest body) {
        access.requireTenant(token, tenantId);
        String keyUri = required(body).requiredKeyUri();
        String directoryId = body.requiredDirectoryId(kms::wellFormedDirectory);
        quota.take(tenantId);
        return validated(tenantId, keyUri, directoryId).map(ReportView::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Enable BYOK with this key of this directory (validated first; 422 with the report if any check fails)")
    public Uni<Response> enable(
            @PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch, KeyRequest body) {
        access.requireTenant(token, tenantId);
        access.requireUnlocked(tenantId);
        String keyUri = required(body).requiredKeyUri();
        String directoryId = body.requiredDirectoryId(kms::wellFormedDirectory);
        quota.take(tenantId);
        return settings.find(tenantId)
                .invoke(EncryptionSettings::refuseIfOffboarded) // 410 before spending Key Vault calls
                .flatMap(current -> validated(tenantId, keyUri, directoryId))
                .flatMap(report -> {
                    if (!report.passed()) {
                        throw new Problem(
                                422,
                                "Key validation failed",
                                "failed checks: "
                                        + String.join(
                                                ", ",
                                                report.failures().stream()
                                                        .map(r -> r.check().name())
                                                        .toList()),
                                Map.of("report", ReportView.of(report)));
                    }
                    KeyRef key = kms.keyOf(keyUri);
                    Kms tenantKms = kms.forTenant(tenantId, Optional.of(directoryId), KeyUsagePurpose.VALIDATION);
                    return KmsUni.of(() -> tenantKms.resolveLatest(key));
                })
                .flatMap((KeyVersionId latest) ->
                        settings.enable(tenantId, ifMatch, keyUri, directoryId, latest.toString()))
                .flatMap(saved -> statuses.respond(tenantId));
    }

    @DELETE
    @Operation(summary = "Disable BYOK: the customer layer is removed; data stays encrypted with managed keys")
    public Uni<Response> disable(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch) {
        access.requireTenant(token, tenantId);
        access.requireUnlocked(tenantId);
        return settings.disable(tenantId, ifMatch).flatMap(saved -> statuses.respond(tenantId));
    }

    /** The directory binding is checked first: a key refused by it is never looked at in its vault. */
    private Uni<KeyValidationReport> validated(String tenantId, String keyUri, String directoryId) {
        return settings.directoryRefusal(tenantId, directoryId)
                .flatMap(refusal -> refusal.isPresent()
                        ? Uni.createFrom()
                                .item(kms.validator(tenantId, directoryId).refusedDirectory(keyUri, refusal.get()))
                        : KmsUni.of(() -> kms.validator(tenantId, directoryId).validate(keyUri)));
    }

    private static KeyRequest required(KeyRequest body) {
        if (body == null) {
            throw new Problem(400, "Missing body", KeyRequest.FORM);
        }
        return body;
    }
}
