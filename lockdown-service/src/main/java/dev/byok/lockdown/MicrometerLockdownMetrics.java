package dev.byok.lockdown;

import dev.byok.model.LockStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code byok_lockdown_tenants{status}} (BYOK tenants this replica owns, by status),
 * {@code byok_lockdown_transitions_total{from,to}}, {@code byok_lockdown_probe_seconds{outcome}} and
 * {@code byok_lockdown_anomalies_total{kind}} (records skipped, event times clamped, foreign lock states overwritten).
 */
@ApplicationScoped
public class MicrometerLockdownMetrics implements LockdownMetrics {
    private final MeterRegistry registry;
    private final Map<LockStatus, AtomicLong> tenants = new EnumMap<>(LockStatus.class);

    MicrometerLockdownMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (LockStatus status : LockStatus.values()) {
            AtomicLong gauge = registry.gauge(
                    "byok.lockdown.tenants",
                    io.micrometer.core.instrument.Tags.of("status", status.name()),
                    new AtomicLong());
            tenants.put(status, gauge);
        }
    }

    @Override
    public void transition(LockStatus from, LockStatus to) {
        Counter.builder("byok.lockdown.transitions")
                .tag("from", from.name())
                .tag("to", to.name())
                .description("tenant lock-state transitions")
                .register(registry)
                .increment();
    }

    @Override
    public void probed(ProbeOutcome outcome) {
        String result = outcome instanceof ProbeOutcome.Failed f ? f.failure().name() : "VERIFIED";
        Timer.builder("byok.lockdown.probe")
                .tag("outcome", result)
                .description("key health probes (wrap + unwrap round trip)")
                .register(registry)
                .record(outcome.latency());
    }

    @Override
    public void owned(Map<LockStatus, Long> tenantsByStatus) {
        tenantsByStatus.forEach((status, count) -> tenants.get(status).set(count));
    }

    @Override
    public void anomaly(Anomaly anomaly) {
        Counter.builder("byok.lockdown.anomalies")
                .tag("kind", anomaly.name())
                .description("input the lockdown engine did not take as given")
                .register(registry)
                .increment();
    }
}
