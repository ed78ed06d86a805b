package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.kms.InMemoryKms;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyHierarchyTest {
    private final InMemoryKms kms = new InMemoryKms();
    private final KeyRef customerKey = kms.createKey("tenant-a-key");
    private final KeyVersionId v1 = KmsFutures.join(kms.resolveLatest(customerKey));
    private final KeyHierarchy hierarchy =
            new KeyHierarchy(TestKeyrings.oneVersion(), TestKeyrings.tenantKey("tenant-a"), kms);
    private final Dek dek = Dek.generate("tenant-a", Instant.now(), DekPolicy.DEFAULT);

    @Test
    void managedOnly_roundTripsWithoutTouchingTheKms() {
        WrappedDek wrapped = KmsFutures.join(hierarchy.wrap(dek, Optional.empty()));

        assertThat(wrapped).isInstanceOf(WrappedDek.ManagedOnly.class);
        assertThat(unwrap(wrapped).id()).isEqualTo(dek.id());
        assertThat(kms.calls("wrap") + kms.calls("unwrap")).isZero();
    }

    @Test
    void customerLayer_wrapsTheManagedLayer_andRoundTrips() {
        WrappedDek wrapped = KmsFutures.join(hierarchy.wrap(dek, Optional.of(v1)));

        assertThat(wrapped)
                .isInstanceOfSatisfying(
                        WrappedDek.CustomerWrapped.class,
                        c -> assertThat(c.customerKeyId()).isEqualTo(v1.toString()));
        Dek back = unwrap(wrapped);
        byte[] record = RecordEnvelope.seal(dek, "r1", new byte[] {1, 2, 3});
        assertThat(RecordEnvelope.open(back, back.tenantId(), "r1", record)).containsExactly(1, 2, 3);
    }

    @Test
    void customerWrappedDek_isUnreadableOnceTheKeyIsDisabled() {
        WrappedDek wrapped = KmsFutures.join(hierarchy.wrap(dek, Optional.of(v1)));
        kms.setEnabled(v1, false);

        assertThatThrownBy(() -> unwrap(wrapped))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.KEY_DISABLED));
    }

    @Test
    void removeCustomerLayer_leavesAManagedOnlyDekThatStillOpens() {
        WrappedDek.CustomerWrapped wrapped =
                (WrappedDek.CustomerWrapped) KmsFutures.join(hierarchy.wrap(dek, Optional.of(v1)));

        WrappedDek.ManagedOnly managed = KmsFutures.join(hierarchy.removeCustomerLayer(wrapped));
        kms.setEnabled(v1, false);

        assertThat(unwrap(managed).id()).isEqualTo(dek.id());
    }

    @Test
    void rewrap_movesTheDekToTheNewVersion_soTheOldOneCanBeDisabled() {
        WrappedDek.CustomerWrapped underV1 =
                (WrappedDek.CustomerWrapped) KmsFutures.join(hierarchy.wrap(dek, Optional.of(v1)));
        KeyVersionId v2 = kms.rotate(customerKey);

        WrappedDek.CustomerWrapped underV2 = KmsFutures.join(hierarchy.rewrap(underV1, v2));
        kms.setEnabled(v1, false);

        assertThat(underV2.customerKeyId()).isEqualTo(v2.toString());
        assertThat(unwrap(underV2).id()).isEqualTo(dek.id());
    }

    @Test
    void addCustomerLayer_protectsAPendingDek() {
        WrappedDek.ManagedOnly pending =
                (WrappedDek.ManagedOnly) KmsFutures.join(hierarchy.wrap(dek, Optional.empty()));

        WrappedDek.CustomerWrapped protectedDek = KmsFutures.join(hierarchy.addCustomerLayer(pending, v1));
        kms.revoke(dev.byok.kms.KmsFixture.Permission.UNWRAP);

        assertThatThrownBy(() -> unwrap(protectedDek)).isInstanceOf(KmsException.class);
    }

    @Test
    void corruptedWrappedDek_fails() {
        WrappedDek.CustomerWrapped wrapped =
                (WrappedDek.CustomerWrapped) KmsFutures.join(hierarchy.wrap(dek, Optional.of(v1)));
        byte[] blob = wrapped.customerWrap();
        blob[7] ^= 0x10;
        WrappedDek corrupted = new WrappedDek.CustomerWrapped(wrapped.format(), 1, v1.toString(), blob);

        assertThatThrownBy(() -> unwrap(corrupted)).isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void outerManagedVersionDisagreeingWithTheInnerLayer_fails() {
        KeyHierarchy twoVersions =
                new KeyHierarchy(TestKeyrings.twoVersions(), TestKeyrings.tenantKey("tenant-a"), kms);
        WrappedDek.CustomerWrapped wrapped =
                (WrappedDek.CustomerWrapped) KmsFutures.join(twoVersions.wrap(dek, Optional.of(v1)));
        WrappedDek altered = new WrappedDek.CustomerWrapped(wrapped.format(), 2, v1.toString(), wrapped.customerWrap());

        assertThatThrownBy(() -> KmsFutures.join(
                        twoVersions.unwrap(dek.id(), "tenant-a", dek.createdAt(), DekPolicy.DEFAULT, 0, altered)))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void customerWrappedDekOfAnotherTenant_fails() {
        WrappedDek wrapped = KmsFutures.join(hierarchy.wrap(dek, Optional.of(v1)));

        assertThatThrownBy(() -> KmsFutures.join(
                        hierarchy.unwrap(dek.id(), "tenant-b", dek.createdAt(), DekPolicy.DEFAULT, 0, wrapped)))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void newDeks_areUnderTheTenantKey_andTheKeyringAloneDoesNotOpenThem() {
        WrappedDek wrapped = KmsFutures.join(hierarchy.wrap(dek, Optional.empty()));
        KeyHierarchy otherTenantKey =
                new KeyHierarchy(TestKeyrings.oneVersion(), TenantKey.generate("tenant-a", 1), kms);

        assertThat(wrapped.format()).isEqualTo(WrappedDek.Format.TENANT_KEY);
        assertThatThrownBy(() -> KmsFutures.join(
                        otherTenantKey.unwrap(dek.id(), "tenant-a", dek.createdAt(), DekPolicy.DEFAULT, 0, wrapped)))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void keyringDek_stillOpens_andMovesUnderTheTenantKey() {
        WrappedDek.ManagedOnly legacy = TestKeyrings.oneVersion().wrap(dek);

        WrappedDek moved = KmsFutures.join(hierarchy.toTenantKey(dek.id(), "tenant-a", legacy));

        assertThat(unwrap(legacy).id()).isEqualTo(dek.id());
        assertThat(moved.format()).isEqualTo(WrappedDek.Format.TENANT_KEY);
        assertThat(unwrap(moved).keyBytes()).isEqualTo(dek.keyBytes());
        assertThat(kms.calls("wrap") + kms.calls("unwrap")).isZero();
    }

    @Test
    void customerWrappedKeyringDek_movesUnderTheSameCustomerKeyVersion() {
        WrappedDek.CustomerWrapped legacy = KmsFutures.join(
                hierarchy.addCustomerLayer(TestKeyrings.oneVersion().wrap(dek), v1));
        kms.rotate(customerKey);

        WrappedDek moved = KmsFutures.join(hierarchy.toTenantKey(dek.id(), "tenant-a", legacy));

        assertThat(moved).isInstanceOfSatisfying(WrappedDek.CustomerWrapped.class, c -> {
            assertThat(c.format()).isEqualTo(WrappedDek.Format.TENANT_KEY);
            assertThat(c.customerKeyId()).isEqualTo(v1.toString());
        });
        assertThat(unwrap(moved).keyBytes()).isEqualTo(dek.keyBytes());
    }

    @Test
    void keyringDekOfAnotherTenant_doesNotMove() {
        WrappedDek.ManagedOnly legacy = TestKeyrings.oneVersion().wrap(dek);

        assertThatThrownBy(() -> KmsFutures.join(hierarchy.toTenantKey(dek.id(), "tenant-b", legacy)))
                .isExactlyInstanceOf(InvalidCiphertextException.class);
    }

    private Dek unwrap(WrappedDek wrapped) {
        return KmsFutures.join(hierarchy.unwrap(dek.id(), "tenant-a", dek.createdAt(), DekPolicy.DEFAULT, 0, wrapped));
    }
}
