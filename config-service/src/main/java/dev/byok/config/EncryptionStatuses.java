package dev.byok.config;

import dev.byok.kafka.CompactedTopicView;
import dev.byok.model.ProtectionStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.service.Gate;
import dev.byok.service.KafkaClients;
import dev.byok.service.LiveLoop;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/**
 * The status an admin sees, composed from the stored setting (and whether its event is still in the
 * outbox), the tenant gate's lock state and the sweeper's latest protection report.
 */
@Startup
@ApplicationScoped
public class EncryptionStatuses implements LiveLoop {
    private final EncryptionSettings settings;
    private final Gate gate;
    private final CompactedTopicView<ProtectionStatus> protection;

    EncryptionStatuses(EncryptionSettings settings, Gate gate, KafkaClients kafka) {
        this.settings = settings;
        this.gate = gate;
        this.protection = CompactedTopicView.start(
                kafka.config(),
                Topics.TENANT_PROTECTION,
                ProtectionStatus.class,
                (incoming, held) -> !incoming.at().isBefore(held.at())); // sweeper replicas may report the same tenant
    }

    /** 200 with the status and its revision as the ETag. */
    Uni<Response> respond(String tenantId) {
        return settings.find(tenantId)
                .flatMap(setting -> settings.pendingEvents(tenantId).map(pending -> {
                    EncryptionStatus status = status(tenantId, setting, pending > 0);
                    return Response.ok(status)
                            .tag(new EntityTag(String.valueOf(status.revision())))
                            .build();
                }));
    }

    private EncryptionStatus status(String tenantId, TenantEncryption s, boolean eventPending) {
        String mode;
        if (s == null) {
            mode = "MANAGED_ONLY";
        } else if (s.offboardedAt != null) {
            mode = "OFFBOARDED";
        } else if (s.byokEnabled) {
            mode = eventPending ? "ENABLING" : "ENABLED";
        } else {
            mode = eventPending ? "DISABLING" : "MANAGED_ONLY";
        }
        EncryptionStatus.LockView lock = gate.gate()
                .state(tenantId)
                .map(EncryptionStatuses::lockView)
                .orElse(new EncryptionStatus.LockView(
                        "HEALTHY", null, "no customer-key incident recorded", null, null));
        ProtectionStatus progress = protection.get(tenantId).orElse(null);
        return s == null
                ? new EncryptionStatus(
                        tenantId, mode, null, null, null, 0, null, null, null, null, lock, progress, null)
                : new EncryptionStatus(
                        tenantId,
                        mode,
                        s.keyUri,
                        s.directoryId,
                        s.byokEnabled ? s.keyVersionId : null,
                        s.revision,
                        s.changedAt,
                        s.lastRollAt,
                        s.lastValidationAt,
                        s.lastValidationOk,
                        lock,
                        progress,
                        s.offboardedAt);
    }

    private static EncryptionStatus.LockView lockView(TenantLockState state) {
        return new EncryptionStatus.LockView(
                state.status().name(),
                state.failure().map(Enum::name).orElse(null),
                state.reason(),
                state.since(),
                state.lockDeadline().orElse(null));
    }

    @Override
    public String loopName() {
        return "protection view";
    }

    @Override
    public boolean alive() {
        return protection.alive();
    }

    @PreDestroy
    void stop() {
        protection.close();
    }
}
