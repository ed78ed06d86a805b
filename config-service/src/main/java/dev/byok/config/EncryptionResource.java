package dev.byok.config;

import dev.byok.kms.KeyVersionId;
import dev.byok.kms.azure.KeyVaultUri;
import dev.byok.kms.azure.ValidationReport;
import dev.byok.model.KeyUsagePurpose;
import dev.byok.model.TenantLockState;
import dev.byok.model.TokenClaims;
import dev.byok.service.Gate;
import dev.byok.service.KmsStack;
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
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The tenant admin's BYOK API. Every call needs a bearer token with role tenant-admin for this
 * tenant; changes are refused while the tenant is LOCKED (status stays readable, with the reason).
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
    private final Gate gate;

    EncryptionResource(JsonWebToken token, TenantAccess access, EncryptionSettings settings, KmsStack kms, Gate gate) {
        this.token = token;
        this.access = access;
        this.settings = settings;
        this.kms = kms;
        this.gate = gate;
    }

    @GET
    @Operation(summary = "The tenant's encryption status: mode, key, version in use, lock state")
    public Uni<Response> status(@PathParam("tenantId") String tenantId) {
        access.requireTenant(token, tenantId);
        return respond(tenantId);
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate a key URI: every check with pass/fail and a remedy; changes nothing")
    public Uni<ReportView> validate(@PathParam("tenantId") String tenantId, KeyUriRequest body) {
        access.requireTenant(token, tenantId);
        return validated(tenantId, keyUri(body)).map(ReportView::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable BYOK with this key (validated first; 422 with the report if any check fails)")
    public Uni<Response> enable(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch, KeyUriRequest body) {
        access.requireTenant(token, tenantId);
        access.requireUnlocked(tenantId);
        String keyUri = keyUri(body);
        return validated(tenantId, keyUri).flatMap(report -> {
            if (!report.passed()) {
                throw new Problem(422, "Key validation failed", "failed checks: " + String.join(", ",
                        report.failures().stream().map(r -> r.check().name()).toList()), Map.of("report", ReportView.of(report)));
            }
            KeyVaultUri uri = kms.parseKeyUri(keyUri);
            return Uni.createFrom().completionStage(kms.kms().forTenant(tenantId, KeyUsagePurpose.VALIDATION).resolveLatest(uri.key()));
        }).flatMap((KeyVersionId latest) -> settings.enable(tenantId, ifMatch, keyUri, latest.toString()))
                .flatMap(saved -> respond(tenantId));
    }

    @DELETE
    @Operation(summary = "Disable BYOK: the customer layer is removed; data stays encrypted with managed keys")
    public Uni<Response> disable(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch) {
        access.requireTenant(token, tenantId);
        access.requireUnlocked(tenantId);
        return settings.disable(tenantId, ifMatch).flatMap(saved -> respond(tenantId));
    }

    private Uni<ValidationReport> validated(String tenantId, String keyUri) {
        return Uni.createFrom().completionStage(kms.validator(tenantId).validate(keyUri));
    }

    private static String keyUri(KeyUriRequest body) {
        if (body == null || body.keyUri() == null || body.keyUri().isBlank()) {
            throw new Problem(400, "Missing key URI", "the body must be {\"keyUri\": \"https://{vault}.vault.azure.net/keys/{name}\"}");
        }
        if (body.keyUri().length() > KeyVaultUri.MAX_LENGTH) {
            throw new Problem(400, "Invalid key URI", "the key URI is longer than " + KeyVaultUri.MAX_LENGTH + " characters");
        }
        return body.keyUri().trim();
    }

    private Uni<Response> respond(String tenantId) {
        return settings.find(tenantId).flatMap(setting -> settings.pendingEvents(tenantId).map(pending -> {
            EncryptionStatus status = status(tenantId, setting, pending > 0);
            return Response.ok(status).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(status.revision()))).build();
        }));
    }

    private EncryptionStatus status(String tenantId, TenantEncryption s, boolean eventPending) {
        String mode;
        if (s == null) {
            mode = "MANAGED_ONLY";
        } else if (s.byokEnabled) {
            mode = eventPending ? "ENABLING" : "ENABLED";
        } else {
            mode = eventPending ? "DISABLING" : "MANAGED_ONLY";
        }
        EncryptionStatus.LockView lock = gate.gate().state(tenantId).map(EncryptionResource::lockView)
                .orElse(new EncryptionStatus.LockView("HEALTHY", null, "no customer-key incident recorded", null, null));
        return s == null
                ? new EncryptionStatus(tenantId, mode, null, null, 0, null, null, null, null, lock, null)
                : new EncryptionStatus(tenantId, mode, s.keyUri, s.byokEnabled ? s.keyVersionId : null, s.revision, s.changedAt,
                        s.lastRollAt, s.lastValidationAt, s.lastValidationOk, lock, null);
    }

    private static EncryptionStatus.LockView lockView(TenantLockState state) {
        return new EncryptionStatus.LockView(state.status().name(), state.failure().map(Enum::name).orElse(null), state.reason(),
                state.since(), state.lockDeadline().orElse(null));
    }
}
