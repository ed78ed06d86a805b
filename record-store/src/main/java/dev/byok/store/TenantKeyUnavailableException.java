package dev.byok.store;

/**
 * A tenant's key could not be loaded or created in the service's own vault. It is the service's
 * outage, not the customer's key failing: it is never reported as a key-access failure (it must not
 * lock the tenant), and reads answer 503.
 */
public final class TenantKeyUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TenantKeyUnavailableException(String tenantId, Throwable cause) {
        super("the tenant key of " + tenantId + " cannot be loaded from the service's vault: " + reason(cause), cause);
    }

    public TenantKeyUnavailableException(String tenantId, String reason) {
        super("the tenant key of " + tenantId + " cannot be loaded: " + reason);
    }

    private static String reason(Throwable cause) {
        return cause instanceof dev.byok.kms.KmsException k
                ? k.failure().toString()
                : cause.getClass().getSimpleName();
    }
}
