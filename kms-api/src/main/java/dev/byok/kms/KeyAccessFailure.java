package dev.byok.kms;

/**
 * The one classification of key-access failures used by every service, every event and every
 * metric. Each class says whether it starts the lockdown grace
 * timer (throttling alone backs off but never locks a tenant).
 */
public enum KeyAccessFailure {
    KEY_DISABLED(
            "the key (or its latest version) is disabled",
            true,
            "Enable the key and its latest version in your key vault."),
    KEY_NOT_FOUND(
            "the key was not found or has been deleted",
            true,
            "Recover the deleted key, or configure an existing key."),
    PERMISSION_DENIED(
            "the service identity lacks a required key permission",
            true,
            "Grant the service identity permission to list the key's versions, wrap keys and unwrap keys."),
    FIREWALL_BLOCKED(
            "the vault firewall refused the service's network",
            true,
            "Allow the service's network (or the provider's trusted services) in the vault firewall."),
    KEY_EXPIRED("the key has expired", true, "Create a new key version, or move the key's expiry date."),
    KEY_NOT_YET_ACTIVE(
            "the key is not active yet (not-before date in the future)",
            true,
            "Wait for the activation date, or move it to the past."),
    OPERATION_NOT_PERMITTED(
            "the key's permitted operations exclude wrapKey or unwrapKey",
            true,
            "Allow the Wrap Key and Unwrap Key operations on the key."),
    VAULT_UNREACHABLE(
            "the vault could not be reached (DNS, TLS, connection or timeout)",
            true,
            "Check the vault's DNS name, network path and availability."),
    THROTTLED(
            "the vault throttled the request",
            false,
            "Nothing to do: the service backs off. Persistent throttling means the vault is shared with heavy users."),
    AUTHENTICATION_FAILED(
            "the service could not authenticate to the vault",
            true,
            "Check the service identity's credentials and its tenant."),
    APP_NOT_REGISTERED(
            "the service's BYOK application is not registered in the key's directory",
            true,
            "Register the service's BYOK application in your directory, then grant it access to the key."),
    UNTRUSTED_KEY_HOST(
            "the key id names a host that is not a vault of the key's provider",
            true,
            "Configure a key in a vault of a supported provider, by the key id the provider shows for it."),
    UNTRUSTED_CHALLENGE(
            "the vault's sign-in challenge names another resource than the key's provider",
            true,
            "Check that the key id names the vault itself, not a proxy or another service."),
    WRONG_DIRECTORY(
            "the key's vault belongs to another directory than the one configured for the tenant",
            true,
            "Set the directory id to the directory of the key's vault, or configure a key of a vault in your directory."),
    UNKNOWN(
            "an unexpected key vault error",
            true,
            "Check the key provider's service health; the service keeps retrying.");

    private final String description;
    private final boolean startsGrace;
    private final String remedy;

    KeyAccessFailure(String description, boolean startsGrace, String remedy) {
        this.description = description;
        this.startsGrace = startsGrace;
        this.remedy = remedy;
    }

    /** A human-readable explanation, safe for admins and dashboards. */
    public String description() {
        return description;
    }

    /** Whether this failure makes a BYOK tenant DEGRADED (and LOCKED after the grace period). */
    public boolean startsGrace() {
        return startsGrace;
    }

    /** What the tenant admin can do about it. */
    public String remedy() {
        return remedy;
    }
}
