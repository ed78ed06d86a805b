package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.emulator.EmulatedVault;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant keys' life in the service's own vault, through the real SDK: created for wrap and unwrap,
 * then destroyed for good — deleted and purged, so not even the vault's soft-delete can bring it back.
 */
class KeyLifecycleIT {
    private static final String OWN_VAULT = EmulatorKmsFixture.VAULT_WITHOUT_PURGE_PROTECTION;

    private final EmulatorKmsFixture fixture = new EmulatorKmsFixture();
    private final AzureKeyVaultKms kms = fixture.kms();
    private final AzureKeyLifecycle keys = new AzureKeyLifecycle(kms);
    private final KeyRef key = KeyVersionId.parse(fixture.shared.vaultUri(OWN_VAULT) + "/keys/tenant-lifecycle/v")
            .key();

    @AfterEach
    void restore() {
        fixture.admin.setPermissions(OWN_VAULT, EmulatedVault.DEFAULT_PERMISSIONS);
        fixture.close();
    }

    @Test
    void createdKey_wrapsAndUnwraps_untilDestroyed_andThenNothingBringsItBack() {
        fixture.admin.setPermissions(OWN_VAULT, EmulatedVault.SERVICE_VAULT_PERMISSIONS);
        KeyVersionId version = KmsFutures.join(keys.create(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(version, new byte[] {1, 2, 3}));
        assertThat(KmsFutures.join(kms.unwrap(version, wrapped))).containsExactly(1, 2, 3);

        KmsFutures.join(keys.destroy(key));

        assertThat(fixture.shared.vault(OWN_VAULT).hasKey(key.name())).isFalse();
        assertThatThrownBy(() -> fixture.admin.recoverKey(OWN_VAULT, key.name()))
                .hasMessageContaining("404");
        assertThatThrownBy(() -> KmsFutures.join(kms.unwrap(version, wrapped)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.KEY_NOT_FOUND));
        KmsFutures.join(keys.destroy(key)); // again: nothing left to destroy is done
    }

    @Test
    void withoutPurgePermission_destroyFails_andSaysWhy() {
        fixture.admin.setPermissions(OWN_VAULT, EmulatedVault.SERVICE_VAULT_PERMISSIONS);
        KmsFutures.join(keys.create(key));
        fixture.admin.setPermissions(OWN_VAULT, java.util.Set.of("get", "wrapKey", "unwrapKey", "create", "delete"));
        try {
            assertThatThrownBy(() -> KmsFutures.join(keys.destroy(key)))
                    .isInstanceOfSatisfying(
                            KmsException.class,
                            e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.PERMISSION_DENIED));
        } finally {
            fixture.admin.setPermissions(OWN_VAULT, EmulatedVault.SERVICE_VAULT_PERMISSIONS);
            KmsFutures.join(keys.destroy(key));
        }
    }

    @Test
    void withoutCreatePermission_createIsRefused() {
        assertThatThrownBy(() -> KmsFutures.join(keys.create(key)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.PERMISSION_DENIED));
    }
}
