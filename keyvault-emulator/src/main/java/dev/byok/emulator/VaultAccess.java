package dev.byok.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/** Who calls a vault, checked as Key Vault checks Entra tokens, and what each caller may do there. */
final class VaultAccess {
    /** SERVICE: the BYOK application (its access policy is the vault's permissions); OTHER: any other application (none). */
    enum Caller {
        SERVICE,
        ADMIN,
        OTHER
    }

    private final EmulatedVault vault;
    private final byte[] serviceToken;
    private final byte[] adminToken;
    private final EmulatorTokens tokens;
    private final Directories directories;

    VaultAccess(
            EmulatedVault vault,
            String serviceToken,
            String adminToken,
            EmulatorTokens tokens,
            Directories directories) {
        this.vault = vault;
        this.serviceToken = serviceToken.getBytes(StandardCharsets.UTF_8);
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.tokens = tokens;
        this.directories = directories;
    }

    /**
     * Who presents the token: the admin's or the service's static token (emulator-only), or a token
     * of the emulator's sign-in, checked as Key Vault checks Entra tokens — audience, then the issuing
     * directory against the vault's own.
     */
    Caller caller(String token, Faults faults) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        if (faults.rejectTokens()) {
            throw unauthorized("AKV10032: Invalid issuer or token.");
        }
        if (MessageDigest.isEqual(presented, serviceToken)) {
            return Caller.SERVICE;
        }
        if (MessageDigest.isEqual(presented, adminToken)) {
            return Caller.ADMIN;
        }
        EmulatorTokens.Claims claims = tokens.verify(token, Instant.now())
                .orElseThrow(() -> unauthorized("AKV10032: Invalid issuer or token."));
        if (!KeyVaultEmulator.RESOURCE.equals(claims.audience())) {
            throw unauthorized("AKV10022: Invalid audience. Expected " + KeyVaultEmulator.RESOURCE + ", found: "
                    + claims.audience() + ".");
        }
        if (!vault.directory.equals(claims.directory())) {
            throw unauthorized("AKV10032: Invalid issuer. Expected one of " + EmulatorTokens.issuer(vault.directory)
                    + ", found " + EmulatorTokens.issuer(claims.directory()) + ".");
        }
        if (!directories.hasServicePrincipal(vault.directory, claims.appId())) {
            throw KeyVaultError.revokedToken(vault.directory, Instant.now().getEpochSecond());
        }
        return Directories.DEFAULT_CLIENT_ID.equals(claims.appId()) ? Caller.SERVICE : Caller.OTHER;
    }

    private static KeyVaultError unauthorized(String message) {
        return new KeyVaultError(401, "Unauthorized", message, null, null);
    }

    void require(Caller principal, String permission) {
        boolean granted = principal == Caller.ADMIN
                || principal == Caller.SERVICE && vault.permissions().contains(permission);
        if (!granted) {
            throw KeyVaultError.forbidden(
                    "ForbiddenByPolicy",
                    "The user, group or application does not have keys " + permission + " permission on key vault '"
                            + vault.name + "'.");
        }
    }

    void requireAdmin(Caller principal, String operation) {
        if (principal != Caller.ADMIN) {
            throw KeyVaultError.forbidden(
                    "ForbiddenByPolicy",
                    "The user, group or application does not have keys " + operation + " permission on key vault '"
                            + vault.name + "'.");
        }
    }
}
