package dev.byok.testsupport;

import dev.byok.model.TokenClaims;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/** Quarkus test resource: the service verifies tokens signed by this JVM's test key ({@link TestTokens}). */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Path publicKey = TestTokens.keyDirectory().resolve("public.pem");
        return Map.of(
                "mp.jwt.verify.publickey.location",
                publicKey.toUri().toString(),
                "mp.jwt.verify.issuer",
                TokenClaims.DEV_ISSUER);
    }

    @Override
    public void stop() {
        // keys are files in the build's temporary directory
    }
}
