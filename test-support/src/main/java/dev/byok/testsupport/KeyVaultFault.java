package dev.byok.testsupport;

import dev.byok.emulator.EmulatedVault;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.Faults;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one catalog of Key Vault faults the tests inject into the emulator: what each does, the
 * failure class the service must classify it as, how to inject it and how to repair it. A vault
 * fault holds the whole vault; a key fault touches one key (version) only.
 */
public enum KeyVaultFault {
    FIREWALL_BLOCKED("firewall: 403 ForbiddenByFirewall", KeyAccessFailure.FIREWALL_BLOCKED, true),
    PORT_CLOSED("vault port closed (connection refused)", KeyAccessFailure.VAULT_UNREACHABLE, true),
    NEVER_ANSWERS("vault accepts connections, never answers", KeyAccessFailure.VAULT_UNREACHABLE, true),
    SERVER_ERRORS("every request answered 500", KeyAccessFailure.VAULT_UNREACHABLE, true),
    TOKENS_REFUSED("every token refused (401)", KeyAccessFailure.AUTHENTICATION_FAILED, true),
    THROTTLED("every request answered 429 (Retry-After 1 s)", KeyAccessFailure.THROTTLED, true),
    WRAP_UNWRAP_REVOKED("service identity's wrap/unwrap permissions removed", KeyAccessFailure.PERMISSION_DENIED, true),
    LIST_REVOKED("service identity's list permission removed", KeyAccessFailure.PERMISSION_DENIED, true),
    WRAP_REVOKED("service identity's wrap permission removed", KeyAccessFailure.PERMISSION_DENIED, true),
    UNWRAP_REVOKED("service identity's unwrap permission removed", KeyAccessFailure.PERMISSION_DENIED, true),
    KEY_DISABLED("key version disabled", KeyAccessFailure.KEY_DISABLED, false),
    KEY_DELETED("key deleted (soft delete), later recovered", KeyAccessFailure.KEY_NOT_FOUND, false),
    WRAP_NOT_PERMITTED(
            "wrapKey removed from the key's permitted operations", KeyAccessFailure.OPERATION_NOT_PERMITTED, false),
    KEY_EXPIRED("key expired", KeyAccessFailure.KEY_EXPIRED, false),
    KEY_NOT_YET_ACTIVE("key not active yet (not-before in the future)", KeyAccessFailure.KEY_NOT_YET_ACTIVE, false);

    private final String description;
    private final KeyAccessFailure failure;
    private final boolean wholeVault;

    KeyVaultFault(String description, KeyAccessFailure failure, boolean wholeVault) {
        this.description = description;
        this.failure = failure;
        this.wholeVault = wholeVault;
    }

    public String description() {
        return description;
    }

    /** The class the service must report for it. */
    public KeyAccessFailure failure() {
        return failure;
    }

    /** Whether it holds every key of the vault (run such faults one at a time). */
    public boolean wholeVault() {
        return wholeVault;
    }

    /** The first vault-wide fault the service must classify as {@code failure}. */
    public static KeyVaultFault causing(KeyAccessFailure failure) {
        for (KeyVaultFault fault : values()) {
            if (fault.wholeVault && fault.failure == failure) {
                return fault;
            }
        }
        throw new IllegalArgumentException("no vault-wide fault causes " + failure + "; key faults need a key");
    }

    public void inject(EmulatorAdminClient admin, String vault, KeyVersionId key) {
        switch (this) {
            case FIREWALL_BLOCKED -> admin.setFaults(vault, Faults.blockedByFirewall());
            case PORT_CLOSED -> admin.setFaults(vault, Faults.unreachable(Faults.Unreachable.REFUSE));
            case NEVER_ANSWERS -> admin.setFaults(vault, Faults.unreachable(Faults.Unreachable.SILENT));
            case SERVER_ERRORS -> admin.setFaults(vault, Faults.serverErrors(-1));
            case TOKENS_REFUSED -> admin.setFaults(vault, Faults.tokensRejected());
            case THROTTLED -> admin.setFaults(vault, Faults.throttled(1));
            case WRAP_UNWRAP_REVOKED -> admin.setPermissions(vault, List.of("list"));
            case LIST_REVOKED -> admin.setPermissions(vault, Set.of("wrapKey", "unwrapKey"));
            case WRAP_REVOKED -> admin.setPermissions(vault, Set.of("list", "unwrapKey"));
            case UNWRAP_REVOKED -> admin.setPermissions(vault, Set.of("list", "wrapKey"));
            case KEY_DISABLED -> version(admin, vault, key, Map.of("enabled", false));
            case KEY_DELETED -> admin.deleteKey(vault, key.key().name());
            case WRAP_NOT_PERMITTED -> version(admin, vault, key, Map.of("keyOps", List.of("unwrapKey")));
            case KEY_EXPIRED ->
                version(admin, vault, key, Map.of("expires", Instant.now().getEpochSecond() - 60));
            case KEY_NOT_YET_ACTIVE ->
                version(admin, vault, key, Map.of("notBefore", Instant.now().getEpochSecond() + 3600));
        }
    }

    public void repair(EmulatorAdminClient admin, String vault, KeyVersionId key) {
        switch (this) {
            case FIREWALL_BLOCKED, PORT_CLOSED, NEVER_ANSWERS, SERVER_ERRORS, TOKENS_REFUSED, THROTTLED ->
                admin.clearFaults(vault);
            case WRAP_UNWRAP_REVOKED, LIST_REVOKED, WRAP_REVOKED, UNWRAP_REVOKED ->
                admin.setPermissions(vault, EmulatedVault.DEFAULT_PERMISSIONS);
            case KEY_DISABLED -> version(admin, vault, key, Map.of("enabled", true));
            case KEY_DELETED -> admin.recoverKey(vault, key.key().name());
            case WRAP_NOT_PERMITTED -> version(admin, vault, key, Map.of("keyOps", List.of("wrapKey", "unwrapKey")));
            case KEY_EXPIRED -> version(admin, vault, key, Map.of("expires", 0));
            case KEY_NOT_YET_ACTIVE -> version(admin, vault, key, Map.of("notBefore", 0));
        }
    }

    private static void version(EmulatorAdminClient admin, String vault, KeyVersionId key, Map<String, Object> fields) {
        admin.updateVersion(vault, key.key().name(), key.version(), fields);
    }
}
