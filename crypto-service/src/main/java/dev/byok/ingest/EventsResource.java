package dev.byok.ingest;

import dev.byok.model.TokenClaims;
import dev.byok.service.Problem;
import dev.byok.service.TenantAccess;
import dev.byok.store.TenantEligibility;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Reads a tenant's activity events back, decrypted, each as its producer published it (docs/architecture.md,
 * Ingest), ordered by occurredAt then eventId: same token rules as the admin API (role
 * tenant-admin, claim tid = path tenant); LOCKED → 423 with the reason; offboarded (crypto-shredded) → 410.
 * {@code from} / {@code to}: ISO-8601 instants (default: everything); {@code limit} 1-1000
 * (default 100); {@code after}: the {@code next} cursor of the previous page.
 */
@Path("/api/v1/tenants/{tenantId}/events")
@RolesAllowed(TokenClaims.TENANT_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    private final JsonWebToken token;
    private final TenantAccess access;
    private final RecordReader reader;
    private final TenantEligibility eligibility;

    EventsResource(JsonWebToken token, TenantAccess access, RecordReader reader, TenantEligibility eligibility) {
        this.token = token;
        this.access = access;
        this.reader = reader;
        this.eligibility = eligibility;
    }

    @GET
    public Uni<RecordReader.Page> events(
            @PathParam("tenantId") String tenantId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") Integer limit,
            @QueryParam("after") String after) {
        access.requireTenant(token, tenantId);
        eligibility.requireReadable(tenantId);
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw new Problem(400, "Invalid limit", "limit must be within 1..1000");
        }
        return reader.read(
                tenantId,
                instant(from, "from", Instant.EPOCH),
                instant(to, "to", Instant.parse("9999-12-31T00:00:00Z")),
                PageCursor.decode(after),
                size);
    }

    private static Instant instant(String value, String name, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Problem(
                    400, "Invalid " + name, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
