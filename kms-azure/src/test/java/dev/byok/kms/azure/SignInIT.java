package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.emulator.Directories;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import org.junit.jupiter.api.Test;

/**
 * The service signs in to the emulator as production signs in to Entra: azure-identity's
 * client-secret credential at the emulator's authority host, for the directory its settings name.
 * Every other test of this module signs in the same way (the fixture's credential).
 */
class SignInIT {
    private static final String OTHER_DIRECTORY = "c0de0000-0000-4000-8000-000000000002";
    private final EmulatorKmsFixture fixture = new EmulatorKmsFixture();
    private final KeyRef key = fixture.createKey("signin");

    @Test
    void credentialOfTheVaultsDirectory_signsIn_andReachesTheKey() {
        assertThat(KmsFutures.join(fixture.newKms(fixture.settings, fixture.signIn()).resolveLatest(key)).key()).isEqualTo(key);
    }

    @Test
    void vaultOfAnotherDirectory_getsNoToken_theChallengeIsRefusedAsUntrusted() {
        fixture.shared.directories().addServicePrincipal(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        CredentialSettings otherDirectory = CredentialSettings.clientSecret(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID,
                Directories.DEFAULT_CLIENT_SECRET, fixture.shared.loginUri().toString());

        assertThatThrownBy(() -> KmsFutures.join(fixture.newKms(fixture.settings, otherDirectory).resolveLatest(key)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.UNTRUSTED_CHALLENGE));
    }

    @Test
    void applicationRemovedFromTheVaultsDirectory_failsAsNotRegistered_evenWithATokenInItsCache() {
        AzureKeyVaultKms kms = fixture.newKms(fixture.settings, fixture.signIn());
        KmsFutures.join(kms.resolveLatest(key)); // signed in: a valid token is cached

        fixture.shared.directories().removeServicePrincipal(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        try {
            // the vault refuses the cached token with a claims challenge; the new sign-in gets AADSTS700016
            assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(key)))
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.APP_NOT_REGISTERED));
        } finally {
            fixture.shared.directories().addServicePrincipal(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        }
    }
}
