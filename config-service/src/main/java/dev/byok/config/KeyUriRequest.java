package dev.byok.config;

/** The body of validate and enable: the Key Vault key identifier URI, as copied from the portal. */
public record KeyUriRequest(String keyUri) {
}
