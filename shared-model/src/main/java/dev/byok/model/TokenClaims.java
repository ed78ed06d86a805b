package dev.byok.model;

/** What the APIs expect in a bearer token (JWT): issuer, role, and the claim naming the tenant. */
public final class TokenClaims {
    /** The issuer of development tokens; production configures its own ({@code mp.jwt.verify.issuer}). */
    public static final String DEV_ISSUER = "https://byok.local/dev-issuer";
    /** The role (JWT {@code groups}) that may manage a tenant's encryption and read its data. */
    public static final String TENANT_ADMIN = "tenant-admin";
    /** The claim naming the one tenant a token is valid for. */
    public static final String TENANT_CLAIM = "tid";

    private TokenClaims() {}
}
