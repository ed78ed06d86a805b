package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.TokenCredential;
import dev.byok.emulator.Faults;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyDescription;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Failure classes that need more than the contract's levers: time bounds, TLS, tokens, retries, caching. */
class AzureKmsFaultsIT {
    private static final byte[] DEK = new byte[32];
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** Generous: the deadline plus scheduling slack on a loaded 2-core CI machine. */
    private static final Duration BOUND = Duration.ofSeconds(8);

    private final EmulatorKmsFixture fixture =
            new EmulatorKmsFixture(AzureKmsSettings.DEFAULTS.withOperationDeadline(DEADLINE), Duration.ZERO);
    private final KeyRef key =
            fixture.createKey("faults-" + UUID.randomUUID().toString().substring(0, 8));
    private final KeyVersionId version = KmsFutures.join(fixture.kms().resolveLatest(key));

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void silentVault_failsAsUnreachable_withinTheDeadline() {
        fixture.admin.setFaults(EmulatorKmsFixture.VAULT, Faults.unreachable(Faults.Unreachable.SILENT));

        assertFailsWithin(fixture.kms().wrap(version, DEK), KeyAccessFailure.VAULT_UNREACHABLE, BOUND);
    }

    @Test
    void silentVault_withTheServicesDefaults_failsAsUnreachable() {
        // HTTP timeout 2 s with one retry fires before the 5 s deadline: the client's timeout must classify too
        AzureKeyVaultKms kms = fixture.newKms(
                AzureKmsSettings.DEFAULTS.withEmulator(
                        fixture.shared.vaultUri(EmulatorKmsFixture.VAULT).getAuthority(),
                        fixture.shared.certificatePem()),
                fixture.signIn());
        fixture.admin.setFaults(EmulatorKmsFixture.VAULT, Faults.unreachable(Faults.Unreachable.SILENT));

        assertFailsWithin(kms.wrap(version, DEK), KeyAccessFailure.VAULT_UNREACHABLE, BOUND);
    }

    @Test
    void refusedConnection_failsAsUnreachable_fast() {
        fixture.inject(KeyAccessFailure.VAULT_UNREACHABLE);

        assertFailsWithin(fixture.kms().wrap(version, DEK), KeyAccessFailure.VAULT_UNREACHABLE, BOUND);
    }

    @Test
    void unknownHost_failsAsUnreachable() {
        KeyRef nowhere = AzureKeyIds.key(URI.create("https://" + EmulatorKmsFixture.UNRESOLVABLE_VAULT), "k");

        assertFailsWithin(fixture.kms().resolveLatest(nowhere), KeyAccessFailure.VAULT_UNREACHABLE, BOUND);
    }

    @Test
    void untrustedCertificate_failsAsUnreachable() {
        AzureKmsSettings noTrust = new AzureKmsSettings(
                DEADLINE,
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                0,
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ZERO,
                fixture.settings.allowedEmulatorHosts(),
                Optional.empty());
        // the static token: the vault's certificate is what fails here, not the sign-in's
        AzureKeyVaultKms kms = fixture.newKms(noTrust, CredentialSettings.staticToken(fixture.shared.serviceToken()));

        assertFailsWithin(kms.wrap(version, DEK), KeyAccessFailure.VAULT_UNREACHABLE, BOUND);
    }

    @Test
    void failingTokenAcquisition_failsAsAuthenticationFailed() {
        TokenCredential failing =
                request -> Mono.error(new IllegalStateException("AADSTS7000215: Invalid client secret provided"));

        assertFailsWithin(kmsWith(failing).wrap(version, DEK), KeyAccessFailure.AUTHENTICATION_FAILED, BOUND);
    }

    @Test
    void hangingTokenAcquisition_failsAsAuthenticationFailed_withinTheDeadline() {
        TokenCredential hanging = request -> Mono.never();

        assertFailsWithin(kmsWith(hanging).wrap(version, DEK), KeyAccessFailure.AUTHENTICATION_FAILED, BOUND);
    }

    @Test
    void oneServerError_isRetried_andTheCallSucceeds() {
        fixture.admin.setFaults(EmulatorKmsFixture.VAULT, Faults.serverErrors(1));

        assertThat(KmsFutures.join(fixture.kms().wrap(version, DEK))).hasSizeGreaterThanOrEqualTo(256);
    }

    @Test
    void persistentServerErrors_failAsUnreachable() {
        fixture.admin.setFaults(EmulatorKmsFixture.VAULT, Faults.serverErrors(-1));

        assertFailsWithin(fixture.kms().wrap(version, DEK), KeyAccessFailure.VAULT_UNREACHABLE, BOUND);
    }

    @Test
    void throttling_failsAtOnce_carryingRetryAfter() {
        fixture.admin.setFaults(EmulatorKmsFixture.VAULT, Faults.throttled(7));

        KmsException e =
                assertFailsWithin(fixture.kms().wrap(version, DEK), KeyAccessFailure.THROTTLED, Duration.ofSeconds(4));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void latestVersion_isCachedForItsTtl_untilInvalidated() {
        EmulatorKmsFixture cached = new EmulatorKmsFixture(AzureKmsSettings.DEFAULTS, Duration.ofMinutes(5));
        KeyVersionId first = KmsFutures.join(cached.kms().resolveLatest(key));
        fixture.admin.resetCounters(EmulatorKmsFixture.VAULT);
        KeyVersionId second = cached.rotate(key);

        assertThat(KmsFutures.join(cached.kms().resolveLatest(key))).isEqualTo(first);
        assertThat(fixture.admin.counters(EmulatorKmsFixture.VAULT)).doesNotContainKey("versions");
        cached.kms().invalidateLatest(key);
        assertThat(KmsFutures.join(cached.kms().resolveLatest(key))).isEqualTo(second);
    }

    @Test
    void describe_withListOnly_leavesTypeAndOperationsUnknown_andWithGetReportsThem() {
        KeyDescription listOnly = KmsFutures.join(fixture.kms().describe(key));
        fixture.admin.setPermissions(EmulatorKmsFixture.VAULT, Set.of("list", "get", "wrapKey", "unwrapKey"));
        KeyDescription withGet = KmsFutures.join(fixture.kms().describe(key));

        assertThat(listOnly.keyType()).isEmpty();
        assertThat(listOnly.keyOperations()).isEmpty();
        assertThat(withGet.keyType()).contains("RSA");
        assertThat(withGet.keyOperations())
                .hasValueSatisfying(ops -> assertThat(ops).contains("wrapKey", "unwrapKey"));
    }

    @Test
    void wrapAndUnwrap_areRemote_eachCallReachesTheVault() {
        fixture.admin.resetCounters(EmulatorKmsFixture.VAULT);
        byte[] wrapped = KmsFutures.join(fixture.kms().wrap(version, DEK));
        KmsFutures.join(fixture.kms().unwrap(version, wrapped));
        KmsFutures.join(fixture.kms().wrap(version, DEK));

        assertThat(fixture.admin.counters(EmulatorKmsFixture.VAULT))
                .containsEntry("wrapkey", 2L)
                .containsEntry("unwrapkey", 1L);
    }

    private AzureKeyVaultKms kmsWith(TokenCredential credential) {
        var http = AzureHttpClients.create(EmulatorKmsFixture.vertx(), fixture.settings);
        return new AzureKeyVaultKms(fixture.settings, credential, http, Clock.systemUTC());
    }

    private static KmsException assertFailsWithin(CompletionStage<?> stage, KeyAccessFailure expected, Duration bound) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> KmsFutures.join(stage));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).isInstanceOf(KmsException.class);
        KmsException e = (KmsException) thrown;
        assertThat(e.failure()).as(e.getMessage()).isEqualTo(expected);
        assertThat(took).as("time to fail").isLessThan(bound);
        return e;
    }
}
