package dev.byok.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Records a forger might write to the control-plane topics, in shapes no service produces. */
public final class ForgedEvents {
    private ForgedEvents() {}

    /**
     * A key-access "verified success" for a tenant: the shape a success event would have if services
     * reported them. Only lockdown's own probe may unlock a tenant, so this must never do it.
     */
    public static byte[] verifiedSuccess(String tenant, String keyId) {
        return ("{\"type\":\"SUCCEEDED\",\"tenantId\":\"" + tenant + "\",\"keyId\":\"" + keyId
                        + "\",\"operation\":\"UNWRAP\"," + "\"source\":\"crypto-service\",\"occurredAt\":\""
                        + Instant.now() + "\",\"roundTripVerified\":true}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
