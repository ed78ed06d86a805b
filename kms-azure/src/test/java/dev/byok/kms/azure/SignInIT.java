package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.emulator.ApplicationCertificate;
import dev.byok.emulator.Directories;
import dev.byok.emulator.FederatedIssuer;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(KmsFutures.join(fixture.newKms(fixture.settings, fixture.signIn())
                                .resolveLatest(key))
                        .key())
                .isEqualTo(key);
    }

    @Test
    void vaultOfAnotherDirectory_getsNoToken_theChallengeIsRefusedAsWrongDirectory() {
        fixture.shared.directories().addServicePrincipal(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        CredentialSettings otherDirectory = CredentialSettings.clientSecret(
                OTHER_DIRECTORY,
                Directories.DEFAULT_CLIENT_ID,
                Directories.DEFAULT_CLIENT_SECRET,
                fixture.shared.loginUri().toString());

        assertThatThrownBy(() -> KmsFutures.join(
                        fixture.newKms(fixture.settings, otherDirectory).resolveLatest(key)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.WRONG_DIRECTORY));
    }

    @Test
    void directories_eachSignInWhereTheyAreNamed_andNoOtherDirectoryReachesTheVault() {
        fixture.shared.directories().addServicePrincipal(OTHER_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        KeyVaultDirectories directories = directories(CredentialSettings.clientSecret(
                OTHER_DIRECTORY,
                Directories.DEFAULT_CLIENT_ID,
                Directories.DEFAULT_CLIENT_SECRET,
                fixture.shared.loginUri().toString())); // the service's home is another directory

        assertThat(KmsFutures.join(directories
                                .in(Optional.of(Directories.DEFAULT_DIRECTORY))
                                .resolveLatest(key))
                        .key())
                .isEqualTo(key);
        assertThat(failure(directories.in(Optional.empty()).resolveLatest(key)))
                .isEqualTo(KeyAccessFailure.WRONG_DIRECTORY);
        assertThat(failure(
                        directories.in(Optional.of("contoso.onmicrosoft.com")).resolveLatest(key)))
                .isEqualTo(KeyAccessFailure.WRONG_DIRECTORY);
    }

    @Test
    void certificateCredential_signsInWithAnAssertion_andAnUnregisteredCertificateIsRefused(@TempDir Path dir)
            throws Exception {
        Path registered = dir.resolve("app.pem");
        ApplicationCertificate.issue(fixture.shared.directories(), Directories.DEFAULT_CLIENT_ID, registered);
        Path unregistered = dir.resolve("other.pem");
        ApplicationCertificate.issue(
                new Directories(), Directories.DEFAULT_CLIENT_ID, unregistered); // never uploaded to this Entra

        assertThat(KmsFutures.join(fixture.newKms(fixture.settings, certificate(registered))
                                .resolveLatest(key))
                        .key())
                .isEqualTo(key);
        assertThat(failure(fixture.newKms(fixture.settings, certificate(unregistered))
                        .resolveLatest(key)))
                .isEqualTo(KeyAccessFailure.AUTHENTICATION_FAILED);
    }

    @Test
    void workloadIdentity_signsInWithTheFederatedToken_ofATrustedIssuerAndSubjectOnly(@TempDir Path dir)
            throws Exception {
        FederatedIssuer cluster =
                FederatedIssuer.create("https://oidc.cluster.vault.localhost/" + dir.getFileName(), dir);
        cluster.trust(
                fixture.shared.directories(),
                Directories.DEFAULT_CLIENT_ID,
                "system:serviceaccount:byok:crypto-service");
        Path trusted = cluster.writeToken(dir.resolve("trusted-token"), "system:serviceaccount:byok:crypto-service");
        Path other = cluster.writeToken(dir.resolve("other-token"), "system:serviceaccount:byok:someone-else");

        assertThat(KmsFutures.join(fixture.newKms(fixture.settings, workloadIdentity(trusted))
                                .resolveLatest(key))
                        .key())
                .isEqualTo(key);
        assertThat(failure(fixture.newKms(fixture.settings, workloadIdentity(other))
                        .resolveLatest(key)))
                .isEqualTo(KeyAccessFailure.AUTHENTICATION_FAILED);
    }

    private CredentialSettings workloadIdentity(Path tokenFile) {
        return CredentialSettings.workloadIdentity(
                Directories.DEFAULT_DIRECTORY,
                Directories.DEFAULT_CLIENT_ID,
                tokenFile.toString(),
                fixture.shared.loginUri().toString());
    }

    private CredentialSettings certificate(Path pem) {
        return new CredentialSettings(
                CredentialSettings.Kind.CLIENT_CERTIFICATE,
                Optional.of(Directories.DEFAULT_DIRECTORY),
                Optional.of(Directories.DEFAULT_CLIENT_ID),
                Optional.empty(),
                Optional.of(pem.toString()),
                Optional.of(fixture.shared.loginUri().toString()),
                Optional.empty());
    }

    @Test
    void managedIdentity_reachesNoCustomerDirectory() {
        CredentialSettings managed = new CredentialSettings(
                CredentialSettings.Kind.MANAGED_IDENTITY,
                Optional.of(OTHER_DIRECTORY),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        KeyVaultDirectories directories = new KeyVaultDirectories(
                AzureKmsSettings.DEFAULTS,
                managed,
                AzureHttpClients.create(EmulatorKmsFixture.vertx(), AzureKmsSettings.DEFAULTS),
                Clock.systemUTC());

        assertThat(failure(directories
                        .in(Optional.of(Directories.DEFAULT_DIRECTORY))
                        .resolveLatest(key)))
                .isEqualTo(KeyAccessFailure.AUTHENTICATION_FAILED);
    }

    private KeyVaultDirectories directories(CredentialSettings home) {
        return new KeyVaultDirectories(
                fixture.settings,
                home,
                AzureHttpClients.create(EmulatorKmsFixture.vertx(), fixture.settings),
                Clock.systemUTC());
    }

    private static KeyAccessFailure failure(CompletionStage<?> stage) {
        try {
            KmsFutures.join(stage);
        } catch (KmsException e) {
            return e.failure();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void applicationRemovedFromTheVaultsDirectory_failsAsNotRegistered_evenWithATokenInItsCache() {
        AzureKeyVaultKms kms = fixture.newKms(fixture.settings, fixture.signIn());
        KmsFutures.join(kms.resolveLatest(key)); // signed in: a valid token is cached

        fixture.shared
                .directories()
                .removeServicePrincipal(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        try {
            // the vault refuses the cached token with a claims challenge; the new sign-in gets AADSTS700016
            assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(key)))
                    .isInstanceOfSatisfying(
                            KmsException.class,
                            e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.APP_NOT_REGISTERED));
        } finally {
            fixture.shared
                    .directories()
                    .addServicePrincipal(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
        }
    }
}
