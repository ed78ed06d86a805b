package dev.byok.lockdown;

import dev.byok.emulator.EmulatedVault;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.Faults;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Ways a tenant's key becomes inaccessible in the emulator, each with the way back and the class it produces. */
enum KeyFault {
    DISABLED(KeyAccessFailure.KEY_DISABLED),
    DELETED(KeyAccessFailure.KEY_NOT_FOUND),
    LIST_REVOKED(KeyAccessFailure.PERMISSION_DENIED),
    WRAP_REVOKED(KeyAccessFailure.PERMISSION_DENIED),
    UNWRAP_REVOKED(KeyAccessFailure.PERMISSION_DENIED),
    FIREWALL_BLOCKED(KeyAccessFailure.FIREWALL_BLOCKED),
    VAULT_UNREACHABLE(KeyAccessFailure.VAULT_UNREACHABLE),
    EXPIRED(KeyAccessFailure.KEY_EXPIRED);

    final KeyAccessFailure failure;

    KeyFault(KeyAccessFailure failure) {
        this.failure = failure;
    }

    void apply(EmulatorAdminClient admin, KeyVersionId key) {
        String vault = LockdownHarness.VAULT;
        switch (this) {
            case DISABLED -> admin.updateVersion(vault, key.key().name(), key.version(), Map.of("enabled", false));
            case DELETED -> admin.deleteKey(vault, key.key().name());
            case LIST_REVOKED -> admin.setPermissions(vault, Set.of("wrapKey", "unwrapKey"));
            case WRAP_REVOKED -> admin.setPermissions(vault, Set.of("list", "unwrapKey"));
            case UNWRAP_REVOKED -> admin.setPermissions(vault, Set.of("list", "wrapKey"));
            case FIREWALL_BLOCKED -> admin.setFaults(vault, new Faults(true, Faults.Unreachable.NONE, 0, null, null, 0, false));
            case VAULT_UNREACHABLE -> admin.setFaults(vault, new Faults(false, Faults.Unreachable.REFUSE, 0, null, null, 0, false));
            case EXPIRED -> admin.updateVersion(vault, key.key().name(), key.version(),
                    Map.of("expires", Instant.now().minusSeconds(60).getEpochSecond()));
        }
    }

    void lift(EmulatorAdminClient admin, KeyVersionId key) {
        String vault = LockdownHarness.VAULT;
        switch (this) {
            case DISABLED -> admin.updateVersion(vault, key.key().name(), key.version(), Map.of("enabled", true));
            case DELETED -> admin.recoverKey(vault, key.key().name());
            case LIST_REVOKED, WRAP_REVOKED, UNWRAP_REVOKED -> admin.setPermissions(vault, EmulatedVault.DEFAULT_PERMISSIONS);
            case FIREWALL_BLOCKED, VAULT_UNREACHABLE -> admin.clearFaults(vault);
            case EXPIRED -> admin.updateVersion(vault, key.key().name(), key.version(), Map.of("expires", 0));
        }
    }
}
