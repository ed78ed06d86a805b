package dev.byok.kms.azure;

import dev.byok.kms.KeyCheck;

/**
 * Every check of a key before BYOK may be enabled: Microsoft's BYOK troubleshooting cases (URI,
 * reachability and firewall, authentication, permissions, key state, key type and operations) plus
 * soft-delete with purge protection.
 */
public enum ValidationCheck implements KeyCheck {
    URI_FORM(
            "Key URI form",
            "Copy the key's Key Identifier from the Azure portal: https://{vault}.vault.azure.net/keys/{name}."),
    VAULT_REACHABLE(
            "Vault reachable (DNS, TLS, timeouts)",
            "Check the vault name and that the vault exists and answers; retry if Azure reports an outage."),
    FIREWALL(
            "Vault firewall admits the service",
            "In Networking, allow the service's addresses or 'Allow trusted Microsoft services to bypass this firewall'."),
    DIRECTORY_MATCHES(
            "Vault belongs to the tenant's directory",
            "Give the Directory ID of the key's vault (Key Vault, Overview): it must be your organisation's Entra directory,"
                    + " the one this tenant's keys were first enabled in, and not another customer's."),
    APP_REGISTERED(
            "BYOK application registered in the key's directory",
            "Register the service's BYOK application in your Entra directory (New-MgServicePrincipal -AppId <its application id>),"
                    + " then grant it List, Wrap Key and Unwrap Key on the key."),
    AUTHENTICATION(
            "Service identity authenticates",
            "Check that the service principal exists and is enabled in the vault's Entra tenant."),
    LIST_PERMISSION(
            "List permission",
            "Grant the service identity the List key permission (or the 'Key Vault Crypto Service Encryption User' role)."),
    KEY_EXISTS("Key exists", "Check the key name, or recover the key if it was deleted."),
    KEY_TYPE_RSA(
            "Key type is RSA or RSA-HSM", "Create an RSA key (2048, 3072 or 4096 bits): only RSA keys are supported."),
    KEY_ENABLED("Latest version enabled", "Enable the key's latest version."),
    KEY_ACTIVE("Activation date passed", "Move the key's activation date (not before) to the past, or wait for it."),
    KEY_NOT_EXPIRED("Not expired", "Create a new key version, or move the expiration date."),
    KEY_OPERATIONS(
            "Permitted operations include Wrap Key and Unwrap Key",
            "Under the key version's Permitted operations, enable Wrap Key and Unwrap Key."),
    WRAP_PERMITTED("Wrap Key permitted (real round trip)", "Grant the service identity the Wrap Key permission."),
    UNWRAP_PERMITTED("Unwrap Key permitted (real round trip)", "Grant the service identity the Unwrap Key permission."),
    PURGE_PROTECTION(
            "Soft-delete and purge protection",
            "Enable soft-delete and purge protection on the vault (purge protection cannot be turned off again).");

    private final String title;
    private final String remedy;

    ValidationCheck(String title, String remedy) {
        this.title = title;
        this.remedy = remedy;
    }

    public String title() {
        return title;
    }

    public String remedy() {
        return remedy;
    }
}
