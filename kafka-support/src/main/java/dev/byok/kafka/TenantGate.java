package dev.byok.kafka;

import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tenant gate every service uses: a {@link CompactedTopicView} of the lock-state topic that
 * answers {@link #readAccess} without any I/O. Until it has caught up with the end offsets it saw at
 * start, it is not ready and refuses reads of tenant data (a LOCKED tenant must never be read
 * because the gate had not loaded it yet). Framework-free: services wire it into their readiness
 * checks and request handling.
 */
public final class TenantGate implements AutoCloseable {
    /** Whether reads of a tenant's data may proceed. */
    public sealed interface Decision permits Allowed, Refused {}

    public record Allowed() implements Decision {}

    /** Refused, with a reason safe to show the caller; {@code locked} tells LOCKED (423) from not ready (503). */
    public record Refused(String reason, boolean locked) implements Decision {}

    private final CompactedTopicView<TenantLockState> view;

    private TenantGate(CompactedTopicView<TenantLockState> view) {
        this.view = view;
    }

    /** Starts materialising {@link Topics#TENANT_LOCK_STATE} in a background thread. */
    public static TenantGate start(KafkaClientConfig kafka) {
        return start(kafka, Topics.TENANT_LOCK_STATE);
    }

    static TenantGate start(KafkaClientConfig kafka, String topic) {
        return new TenantGate(CompactedTopicView.start(
                kafka, topic, TenantLockState.class, CompactedTopicView.Supersedes.latestRecord()));
    }

    /** Whether the gate's reading thread still runs. */
    public boolean alive() {
        return view.alive();
    }

    /** Whether every lock state published before the gate started has been loaded. */
    public boolean caughtUp() {
        return view.caughtUp();
    }

    /** The tenant's latest known lock state; empty means no customer-key incident was ever recorded (HEALTHY). */
    public Optional<TenantLockState> state(String tenantId) {
        return view.get(tenantId);
    }

    public Map<String, TenantLockState> snapshot() {
        return view.snapshot();
    }

    public Decision readAccess(String tenantId) {
        if (!view.caughtUp()) {
            return new Refused("tenant lock states are still loading; retry shortly", false);
        }
        Optional<TenantLockState> state = view.get(tenantId);
        if (state.isPresent() && state.get().locked()) {
            return new Refused("tenant locked: " + state.get().reason(), true);
        }
        return new Allowed();
    }

    /** Called from the gate's thread on every new state; keep it quick and never throw. */
    public void addListener(Consumer<TenantLockState> listener) {
        view.addListener(adapter(listener));
    }

    public void removeListener(Consumer<TenantLockState> listener) {
        view.removeListener(adapter(listener));
    }

    /** Equal for equal listeners, so removal finds what addition registered. */
    private static Consumer<CompactedTopicView.Change<TenantLockState>> adapter(Consumer<TenantLockState> listener) {
        return new StateListener(listener);
    }

    private record StateListener(Consumer<TenantLockState> listener)
            implements Consumer<CompactedTopicView.Change<TenantLockState>> {
        @Override
        public void accept(CompactedTopicView.Change<TenantLockState> change) {
            change.value().ifPresent(listener);
        }
    }

    @Override
    public void close() {
        view.close();
    }
}
