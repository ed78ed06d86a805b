package dev.byok.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AuditedKmsTest {
    private final InMemoryKms inner = new InMemoryKms();
    private final KeyRef key = inner.createKey("k");
    private final List<KeyUse> audits = new CopyOnWriteArrayList<>();
    private final Kms kms =
            AuditedKms.wrap(inner, audits::add, Clock.systemUTC()).forTenant("contoso", KeyUsagePurpose.NEW_DEK);

    @Test
    void everyOperation_isAuditedWithTenantKeyPurposeAndOutcome() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        byte[] wrapped = KmsFutures.join(kms.wrap(version, new byte[32]));
        KmsFutures.join(kms.unwrap(version, wrapped));
        KmsFutures.join(kms.describe(key));

        assertThat(audits)
                .extracting(KeyUse::operation)
                .containsExactly(
                        KeyOperation.RESOLVE_LATEST, KeyOperation.WRAP, KeyOperation.UNWRAP, KeyOperation.DESCRIBE);
        assertThat(audits).allSatisfy(a -> {
            assertThat(a.tenantId()).isEqualTo("contoso");
            assertThat(a.purpose()).isEqualTo(KeyUsagePurpose.NEW_DEK);
            assertThat(a.succeeded()).isTrue();
            assertThat(a.latencyMs()).isNotNegative();
        });
        assertThat(audits.get(1).keyId()).isEqualTo(version.toString());
    }

    @Test
    void failure_isAuditedWithItsClass() {
        KeyVersionId version = KmsFutures.join(kms.resolveLatest(key));
        inner.setEnabled(version, false);

        assertThatThrownBy(() -> KmsFutures.join(kms.wrap(version, new byte[32])))
                .isInstanceOf(KmsException.class);

        assertThat(audits.get(1).succeeded()).isFalse();
        assertThat(audits.get(1).failure()).contains(KeyAccessFailure.KEY_DISABLED);
    }

    @Test
    void failingAuditHook_neverFailsTheOperation() {
        Kms withBrokenHook = AuditedKms.wrap(
                        inner,
                        a -> {
                            throw new IllegalStateException("audit topic down");
                        },
                        Clock.systemUTC())
                .forTenant("contoso", KeyUsagePurpose.PROBE);

        assertThat(KmsFutures.join(withBrokenHook.resolveLatest(key))).isNotNull();
    }
}
