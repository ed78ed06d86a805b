package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyValidationReport;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsFixture.Permission;
import dev.byok.kms.KmsFutures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One test per validation check (and combinations), against the emulator through the real SDK. */
class KeyValidatorIT {
    private final EmulatorKmsFixture fixture = new EmulatorKmsFixture(
            AzureKmsSettings.DEFAULTS.withOperationDeadline(Duration.ofSeconds(2)), Duration.ZERO);
    private final KeyValidator validator = new KeyValidator(fixture.kms(), fixture.settings.hosts(), Clock.systemUTC());
    private final KeyRef key = fixture.createKey(uniqueName());
    private final KeyVersionId latest = KmsFutures.join(fixture.kms().resolveLatest(key));

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void goodKey_passesEveryCheck_withListWrapUnwrapOnly() {
        KeyValidationReport report = validate(key.toString());

        assertThat(report.results())
                .allSatisfy(r -> assertThat(r.status())
                        .as(r.check() + ": " + r.detail())
                        .isEqualTo(KeyValidationReport.Status.PASSED));
        assertThat(report.passed()).isTrue();
        assertThat(report.results()).hasSize(ValidationCheck.values().length);
    }

    @Test
    void badUri_failsUriForm_andChecksNothingElse() {
        KeyValidationReport report = validate("https://contoso.vault.azure.net/secrets/byok");

        assertThat(failed(report)).containsExactly(ValidationCheck.URI_FORM);
        assertThat(report.result(ValidationCheck.URI_FORM).remedy()).isPresent();
        assertThat(report.result(ValidationCheck.VAULT_REACHABLE).status())
                .isEqualTo(KeyValidationReport.Status.NOT_CHECKED);
    }

    @Test
    void unreachableVault_failsVaultReachable() {
        fixture.inject(KeyAccessFailure.VAULT_UNREACHABLE);

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.VAULT_REACHABLE);
    }

    @Test
    void firewall_failsFirewall() {
        fixture.inject(KeyAccessFailure.FIREWALL_BLOCKED);

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.FIREWALL);
    }

    @Test
    void rejectedToken_failsAuthentication() {
        fixture.inject(KeyAccessFailure.AUTHENTICATION_FAILED);

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.AUTHENTICATION);
    }

    @Test
    void listRevoked_failsListPermission() {
        fixture.revoke(Permission.LIST);

        KeyValidationReport report = validate(key.toString());

        assertThat(failed(report)).containsExactly(ValidationCheck.LIST_PERMISSION);
        assertThat(report.result(ValidationCheck.WRAP_PERMITTED).detail()).contains("without List permission");
    }

    @Test
    void listRevoked_withAVersionedUri_stillProvesWrapAndUnwrap() {
        fixture.revoke(Permission.LIST);

        KeyValidationReport report = validate(latest.toString());

        assertThat(failed(report)).containsExactly(ValidationCheck.LIST_PERMISSION);
        assertThat(report.result(ValidationCheck.WRAP_PERMITTED).status()).isEqualTo(KeyValidationReport.Status.PASSED);
        assertThat(report.result(ValidationCheck.UNWRAP_PERMITTED).status())
                .isEqualTo(KeyValidationReport.Status.PASSED);
    }

    @Test
    void missingKey_failsKeyExists() {
        assertThat(failed(validate(new KeyRef(key.provider(), key.vault(), "no-such-key").toString())))
                .containsExactly(ValidationCheck.KEY_EXISTS);
    }

    @Test
    void disabledKey_failsKeyEnabled() {
        fixture.setEnabled(latest, false);

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.KEY_ENABLED);
    }

    @Test
    void notYetActiveKey_failsKeyActive() {
        fixture.setNotBefore(latest, Instant.now().plus(Duration.ofDays(2)));

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.KEY_ACTIVE);
    }

    @Test
    void expiredKey_failsNotExpired() {
        fixture.setExpires(latest, Instant.now().minus(Duration.ofMinutes(5)));

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.KEY_NOT_EXPIRED);
    }

    @Test
    void keyOperationsWithoutWrapKey_failKeyOperations() {
        fixture.setKeyOperations(latest, Set.of("encrypt", "decrypt", "unwrapKey"));

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.KEY_OPERATIONS);
    }

    @Test
    void keyOperationsWithoutUnwrapKey_failKeyOperations() {
        fixture.setKeyOperations(latest, Set.of("wrapKey"));

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.KEY_OPERATIONS);
    }

    @Test
    void wrapRevoked_failsWrap_andStillProvesUnwrap() {
        fixture.revoke(Permission.WRAP);

        KeyValidationReport report = validate(key.toString());

        assertThat(failed(report)).containsExactly(ValidationCheck.WRAP_PERMITTED);
        assertThat(report.result(ValidationCheck.UNWRAP_PERMITTED).status())
                .isEqualTo(KeyValidationReport.Status.PASSED);
    }

    @Test
    void unwrapRevoked_failsUnwrap() {
        fixture.revoke(Permission.UNWRAP);

        assertThat(failed(validate(key.toString()))).containsExactly(ValidationCheck.UNWRAP_PERMITTED);
    }

    @Test
    void wrapAndUnwrapRevoked_reportsBoth() {
        fixture.revoke(Permission.WRAP);
        fixture.revoke(Permission.UNWRAP);

        assertThat(failed(validate(key.toString())))
                .containsExactly(ValidationCheck.WRAP_PERMITTED, ValidationCheck.UNWRAP_PERMITTED);
    }

    @Test
    void vaultWithSoftDeleteButNoPurgeProtection_failsPurgeProtection() {
        KeyRef other = fixture.createKey(EmulatorKmsFixture.VAULT_WITHOUT_PURGE_PROTECTION, uniqueName());

        KeyValidationReport report = validate(other.toString());

        assertThat(failed(report)).containsExactly(ValidationCheck.PURGE_PROTECTION);
        assertThat(report.result(ValidationCheck.PURGE_PROTECTION).detail())
                .contains("Recoverable+Purgeable", "purge protection is off");
    }

    @Test
    void vaultWithoutSoftDelete_failsPurgeProtection() {
        KeyRef other = fixture.createKey(EmulatorKmsFixture.VAULT_WITHOUT_SOFT_DELETE, uniqueName());

        assertThat(failed(validate(other.toString()))).containsExactly(ValidationCheck.PURGE_PROTECTION);
    }

    @Test
    void severalProblems_areAllReported_notOnlyTheFirst() {
        fixture.setEnabled(latest, false);
        fixture.setExpires(latest, Instant.now().minus(Duration.ofMinutes(5)));
        fixture.setNotBefore(latest, Instant.now().plus(Duration.ofDays(1)));

        assertThat(failed(validate(key.toString())))
                .containsExactly(
                        ValidationCheck.KEY_ENABLED, ValidationCheck.KEY_ACTIVE, ValidationCheck.KEY_NOT_EXPIRED);
    }

    private KeyValidationReport validate(String uri) {
        return KmsFutures.join(validator.validate(uri));
    }

    private static java.util.List<dev.byok.kms.KeyCheck> failed(KeyValidationReport report) {
        return report.failures().stream().map(KeyValidationReport.Result::check).toList();
    }

    private static String uniqueName() {
        return "validate-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
