package dev.byok.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * How the services with a tenant API verify bearer tokens: the issuer and the issuer's public key (a PEM file, in
 * production the deployment's secret); neither has a default outside dev mode and tests (BYOK_JWT_ISSUER,
 * BYOK_JWT_PUBLIC_KEY_LOCATION). Required where JWT authentication is on (the services with a tenant API), so that a
 * start without either, or with a key file that cannot be read, stops at once with one line naming it, instead of
 * every request failing later.
 */
@ConfigMapping(prefix = "mp.jwt.verify")
public interface TokenVerification {
    String issuer();

    @WithName("publickey.location")
    @WithConverter(ReadableKeyLocation.class)
    String publicKeyLocation();

    /** The key inline instead of in a file (MicroProfile JWT allows it; the deployments use the file). */
    @WithName("publickey")
    Optional<String> inlinePublicKey();
}
