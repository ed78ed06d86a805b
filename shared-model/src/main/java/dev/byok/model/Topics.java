package dev.byok.model;

/** Every Kafka topic and header name, in one place. All tenant-scoped topics are keyed by tenant id. */
public final class Topics {
    /** Producers' activity events (JSON {@link ActivityEvent}), key = tenant id. */
    public static final String ACTIVITY_INGEST = "byok.activity.ingest";
    /**
     * Rejected ingest records: original key and bytes intact, reason in headers; a record larger than
     * the event limit keeps only its digest and length (headers) and a pointer to the original.
     */
    public static final String ACTIVITY_INGEST_DLQ = "byok.activity.ingest.dlq";
    /** Compacted, key = tenant id: the latest {@link KeyConfigEvent} is the tenant's whole key configuration. */
    public static final String TENANT_KEY_CONFIG = "byok.tenant.key-config";
    /** {@link KeyAccessEvent}s from every service: failures and verified successes. */
    public static final String KEY_ACCESS = "byok.key-access";
    /** Compacted, key = tenant id: the latest {@link TenantLockState}. */
    public static final String TENANT_LOCK_STATE = "byok.tenant.lock-state";
    /** Compacted, key = tenant id: the latest {@link ProtectionStatus} from sweeper-service (config-service shows it). */
    public static final String TENANT_PROTECTION = "byok.tenant.protection";
    /** {@link KeyUsageAudit}: one record per Key Vault operation. */
    public static final String AUDIT_KEY_USAGE = "byok.audit.key-usage";

    /** DLQ header: the rule codes that failed, comma-separated (e.g. {@code required,format}). */
    public static final String DLQ_HEADER_RULES = "byok-dlq-rules";
    /** DLQ header: human-readable reasons, one per violated rule, separated by "; " (the first ten, then a count). */
    public static final String DLQ_HEADER_REASON = "byok-dlq-reason";
    /** DLQ headers: where the record came from. */
    public static final String DLQ_HEADER_SOURCE_TOPIC = "byok-dlq-source-topic";

    public static final String DLQ_HEADER_SOURCE_PARTITION = "byok-dlq-source-partition";
    public static final String DLQ_HEADER_SOURCE_OFFSET = "byok-dlq-source-offset";
    /** DLQ headers of a record whose key or value was left out (too large): the original's lengths and value's SHA-256 (hex). */
    public static final String DLQ_HEADER_ORIGINAL_KEY_BYTES = "byok-dlq-original-key-bytes";

    public static final String DLQ_HEADER_ORIGINAL_VALUE_BYTES = "byok-dlq-original-value-bytes";
    public static final String DLQ_HEADER_ORIGINAL_VALUE_SHA256 = "byok-dlq-original-value-sha256";

    private Topics() {}
}
