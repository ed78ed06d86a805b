package dev.byok.config;

import java.time.Instant;
import java.util.List;

/**
 * One Key Vault operation on a tenant's behalf, as the tenant's admin sees it: when, which service,
 * why, with which key version, which operation, and how it went ({@code OK}, a failure class, or
 * {@code INVALID_CIPHERTEXT} when the key worked but refused the bytes).
 */
public record KeyUse(
        long id,
        Instant time,
        String service,
        String purpose,
        String keyVersionId,
        String operation,
        String outcome,
        long latencyMs) {

    /** A page of key uses, newest first; {@code next} is the cursor of the following page (null on the last). */
    public record Page(List<KeyUse> items, String next) {}
}
