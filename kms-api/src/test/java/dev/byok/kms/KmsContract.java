package dev.byok.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The KMS contract: every implementation (in-memory, Azure against the emulator...) runs these
 * tests through a {@link KmsFixture}. Subclasses only say how to build the fixture.
 */
public abstract class KmsContract {
    private static final byte[] DEK = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    protected KmsFixture fixture;
    protected Kms kms;
    protected KeyRef key;

    protected abstract KmsFixture newFixture();

    @BeforeEach
    void setUp() {
        fixture = newFixture();
        kms = fixture.kms();
        key = fixture.createKey("contract-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void resolveLatest_followsRotation() {
        KeyVersionId first = KmsFutures.join(kms.resolveLatest(key));
        KeyVersionId second = fixture.rotate(key);

        assertThat(KmsFutures.join(kms.resolveLatest(key))).isEqualTo(second).isNotEqualTo(first);
        assertThat(second.key()).isEqualTo(key);
    }

    @Test
    void wrapThenUnwrap_returnsTheSameBytes() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));

        byte[] wrapped = KmsFutures.join(kms.wrap(version, DEK));

        assertThat(wrapped).isNotEqualTo(DEK).hasSizeGreaterThanOrEqualTo(256);
        assertThat(KmsFutures.join(kms.unwrap(version, wrapped))).isEqualTo(DEK);
    }

    @Test
    void unwrapByStoredOldVersion_worksAfterRoll() {
        KeyVersionId old = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(old, DEK));
        fixture.rotate(key);

        assertThat(KmsFutures.join(kms.unwrap(old, wrapped))).isEqualTo(DEK);
    }

    @Test
    void unwrapUnderAnotherVersion_isInvalidCiphertext() {
        KeyVersionId old = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(old, DEK));
        KeyVersionId newer = fixture.rotate(key);

        assertFails(kms.unwrap(newer, wrapped)).isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void corruptedWrappedKey_isInvalidCiphertext() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(version, DEK));
        wrapped[wrapped.length / 2] ^= 0x01;

        assertFails(kms.unwrap(version, wrapped)).isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void disabledVersion_wrapAndUnwrapFailAsKeyDisabled() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(version, DEK));
        fixture.setEnabled(version, false);

        assertFailure(kms.wrap(version, DEK), KeyAccessFailure.KEY_DISABLED);
        assertFailure(kms.unwrap(version, wrapped), KeyAccessFailure.KEY_DISABLED);
    }

    @Test
    void reEnabledVersion_worksAgain() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        fixture.setEnabled(version, false);
        fixture.setEnabled(version, true);

        assertThat(KmsFutures.join(kms.unwrap(version, KmsFutures.join(kms.wrap(version, DEK)))))
                .isEqualTo(DEK);
    }

    @Test
    void deletedKey_failsAsKeyNotFound() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        fixture.delete(key);

        assertFailure(kms.resolveLatest(key), KeyAccessFailure.KEY_NOT_FOUND);
        assertFailure(kms.wrap(version, DEK), KeyAccessFailure.KEY_NOT_FOUND);
    }

    @Test
    void revokedList_resolveFailsAsPermissionDenied() {
        fixture.revoke(KmsFixture.Permission.LIST);

        assertFailure(kms.resolveLatest(key), KeyAccessFailure.PERMISSION_DENIED);
    }

    @Test
    void revokedWrap_wrapFailsAsPermissionDenied() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        fixture.revoke(KmsFixture.Permission.WRAP);

        assertFailure(kms.wrap(version, DEK), KeyAccessFailure.PERMISSION_DENIED);
    }

    @Test
    void revokedUnwrap_unwrapFailsAsPermissionDenied_andGrantRestoresIt() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(version, DEK));
        fixture.revoke(KmsFixture.Permission.UNWRAP);

        assertFailure(kms.unwrap(version, wrapped), KeyAccessFailure.PERMISSION_DENIED);
        fixture.grant(KmsFixture.Permission.UNWRAP);
        assertThat(KmsFutures.join(kms.unwrap(version, wrapped))).isEqualTo(DEK);
    }

    @Test
    void notYetActive_failsAsKeyNotYetActive() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        fixture.setNotBefore(version, Instant.now().plus(1, ChronoUnit.DAYS));

        assertFailure(kms.wrap(version, DEK), KeyAccessFailure.KEY_NOT_YET_ACTIVE);
    }

    @Test
    void expired_wrapFailsAsKeyExpired_butUnwrapStillWorks() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(version, DEK));
        fixture.setExpires(version, Instant.now().minus(1, ChronoUnit.MINUTES));

        assertFailure(kms.wrap(version, DEK), KeyAccessFailure.KEY_EXPIRED);
        assertThat(KmsFutures.join(kms.unwrap(version, wrapped))).isEqualTo(DEK);
    }

    @Test
    void keyOperationsWithoutWrapKey_failAsOperationNotPermitted() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        fixture.setKeyOperations(version, Set.of("encrypt", "decrypt"));

        assertFailure(kms.wrap(version, DEK), KeyAccessFailure.OPERATION_NOT_PERMITTED);
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAccessFailure.class,
            names = {"FIREWALL_BLOCKED", "THROTTLED", "VAULT_UNREACHABLE", "AUTHENTICATION_FAILED"})
    void injectedFault_isClassifiedAsItsClass(KeyAccessFailure failure) {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        fixture.inject(failure);

        assertFailure(kms.wrap(version, DEK), failure);
        assertFailure(kms.resolveLatest(key), failure);
        fixture.clearFaults();
        assertThat(KmsFutures.join(kms.resolveLatest(key))).isEqualTo(version);
    }

    @Test
    void describe_reportsLatestVersionAndItsAttributes() {
        KeyVersionId latest = fixture.rotate(key);
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        fixture.setExpires(latest, expires);

        KeyDescription description = KmsFutures.join(kms.describe(key));

        assertThat(description.latest()).isEqualTo(latest);
        assertThat(description.enabled()).isTrue();
        assertThat(description.expires()).contains(expires);
        assertThat(description.notBefore()).isEmpty();
        assertThat(description.purgeProtected()).isTrue();
        assertThat(description.versionCount()).isEqualTo(2);
    }

    @Test
    void describeOfMissingKey_failsAsKeyNotFound() {
        assertFailure(
                kms.describe(new KeyRef(key.provider(), key.vault(), "no-such-key")), KeyAccessFailure.KEY_NOT_FOUND);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(CompletionStage<?> stage) {
        return assertThatThrownBy(() -> KmsFutures.join(stage));
    }

    private static void assertFailure(CompletionStage<?> stage, KeyAccessFailure expected) {
        assertFails(stage)
                .isInstanceOfSatisfying(
                        KmsException.class,
                        e -> assertThat(e.failure()).as(e.getMessage()).isEqualTo(expected));
    }
}
