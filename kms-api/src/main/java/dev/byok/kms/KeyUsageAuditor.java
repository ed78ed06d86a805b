package dev.byok.kms;

/** The one hook every Key Vault operation is reported to; services publish it to the audit topic. */
@FunctionalInterface
public interface KeyUsageAuditor {
    /** Must not block; must not throw (a failure to audit never fails the key operation). */
    void record(KeyUse use);
}
