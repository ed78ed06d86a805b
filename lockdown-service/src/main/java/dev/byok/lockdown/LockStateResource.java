package dev.byok.lockdown;

import dev.byok.model.EventCodec;
import dev.byok.model.TenantLockState;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Every tenant's lock state, for dashboards: a snapshot, and a server-sent-event stream that starts
 * with the snapshot and then carries each change as it reaches the lock-state topic. The JSON is
 * exactly the topic's record format.
 */
@Path("/api/v1/lock-states")
public class LockStateResource {
    private final LockdownService service;

    LockStateResource(LockdownService service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String snapshot() {
        return "["
                + String.join(
                        ",",
                        service.gate().snapshot().values().stream()
                                .sorted(Comparator.comparing(TenantLockState::tenantId))
                                .map(LockStateResource::json)
                                .toList())
                + "]";
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<String> stream() {
        return Multi.createFrom().emitter(emitter -> {
            Consumer<TenantLockState> listener = state -> emitter.emit(json(state));
            service.gate()
                    .addListener(listener); // first: a change during the snapshot is sent (again) rather than lost
            service.gate().snapshot().values().forEach(listener);
            emitter.onTermination(() -> service.gate().removeListener(listener));
        });
    }

    private static String json(TenantLockState state) {
        return new String(EventCodec.encode(state), StandardCharsets.UTF_8);
    }
}
