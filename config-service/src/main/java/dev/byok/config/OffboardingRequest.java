package dev.byok.config;

/** The body of an offboarding request: the tenant id typed again, as confirmation. */
public record OffboardingRequest(String confirmTenantId) {}
