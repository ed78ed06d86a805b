package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;

import dev.byok.infra.EmbeddedKafkaBroker;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.local.RunningStack;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyUsageAudit;
import dev.byok.model.Topics;
import dev.byok.testsupport.TopicClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stack's audit topic as the suite reads it: every process's key-use records of a tenant. */
final class AuditTrail {
    private final Map<String, Object> admin;
    private final String run;

    private AuditTrail(Map<String, Object> admin, String run) {
        this.admin = admin;
        this.run = run;
    }

    static AuditTrail of(RunningStack stack, String run) {
        return new AuditTrail(stack.kafkaClient(EmbeddedKafkaBroker.ADMIN), run);
    }

    /**
     * Successful customer wraps under {@code version} made to re-wrap this tenant's DEKs: read up to
     * a marker published now, after the last re-wrap.
     */
    long rewrapWraps(String tenant, String version) {
        return upToNow(tenant).stream()
                .filter(a -> a.succeeded()
                        && a.purpose() == KeyUsagePurpose.REWRAP
                        && a.operation() == KeyOperation.WRAP
                        && a.keyId().endsWith("/" + version))
                .count();
    }

    /** Every audit of the tenant written before now (a marker the super user publishes ends the read). */
    List<KeyUsageAudit> upToNow(String tenant) {
        KeyUsageAudit marker = new KeyUsageAudit(
                tenant,
                "end-of-read-" + run,
                KeyOperation.WRAP,
                KeyUsagePurpose.PROBE,
                true,
                Optional.empty(),
                0,
                "fault-suite",
                Instant.now());
        // the super user writes the marker: producers may not write the audit topic (ForgeryIT)
        TopicClient.publish(admin, Topics.AUDIT_KEY_USAGE, tenant, marker);
        List<KeyUsageAudit> audits = new ArrayList<>();
        TopicClient.recordsUntil(
                admin,
                Topics.AUDIT_KEY_USAGE,
                tenant,
                found -> {
                    audits.clear();
                    found.forEach(r -> audits.add(EventCodec.decode(r.value(), KeyUsageAudit.class)));
                    return audits.contains(marker);
                },
                LONG);
        audits.remove(marker);
        return audits;
    }
}
