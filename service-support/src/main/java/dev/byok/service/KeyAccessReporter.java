package dev.byok.service;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KmsException;
import dev.byok.kms.RateLimitedKms;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyAccessEvent;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes key-access failures to {@code byok.key-access} (they drive lockdown); never blocks the caller. */
@ApplicationScoped
public class KeyAccessReporter {
    private final Emitter<byte[]> channel;
    private final String source;
    private final Clock clock;

    KeyAccessReporter(
            @Channel("key-access") Emitter<byte[]> channel,
            @ConfigProperty(name = "quarkus.application.name") String source,
            Clock clock) {
        this.clock = clock;
        this.source = source;
        this.channel = channel;
    }

    /**
     * Reports a failed operation on a tenant's key; {@code cause} is classified (unknown errors as
     * UNKNOWN). A call refused by this process's own budget never reached the vault and says nothing
     * about the key: it is not reported.
     */
    public void failed(String tenantId, String keyId, KeyOperation operation, Throwable cause) {
        if (cause instanceof RateLimitedKms.OwnBudgetExhausted) {
            return;
        }
        KeyAccessFailure failure = cause instanceof KmsException k ? k.failure() : KeyAccessFailure.UNKNOWN;
        KeyAccessEvent event = new KeyAccessEvent.Failed(
                tenantId, keyId, operation, source, clock.instant(), failure, failure.description());
        ChannelRecords.send(channel, tenantId, EventCodec.encode(event)).whenComplete((ok, error) -> {
            if (error != null) {
                Log.warnf(
                        "could not publish a key-access failure for tenant %s: %s",
                        tenantId, error.getClass().getSimpleName());
            }
        });
    }
}
