package dev.byok.config;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant's customer-key setting. {@code revision} is the ETag admins send back in If-Match. */
@Entity
@Table(name = "tenant_encryption")
public class TenantEncryption extends PanacheEntityBase {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "byok_enabled", nullable = false)
    public boolean byokEnabled;

    /** The key URI as the admin gave it. */
    @Column(name = "key_uri")
    public String keyUri;

    /** The customer's Entra directory holding the key: bound at the first enable, never changed. */
    @Column(name = "directory_id")
    public String directoryId;

    /** The versioned key id in use (the latest version when last resolved). */
    @Column(name = "key_version_id")
    public String keyVersionId;

    @Column(nullable = false)
    public long revision;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "last_roll_at")
    public Instant lastRollAt;

    @Column(name = "last_validation_at")
    public Instant lastValidationAt;

    @Column(name = "last_validation_ok")
    public Boolean lastValidationOk;

    /** Set once, when the tenant was offboarded (its data crypto-shredded); no change is accepted after it. */
    @Column(name = "offboarded_at")
    public Instant offboardedAt;

    /** The admin (token subject) who confirmed the offboarding. */
    @Column(name = "offboarded_by")
    public String offboardedBy;
}
