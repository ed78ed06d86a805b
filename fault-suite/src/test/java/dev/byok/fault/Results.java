package dev.byok.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The suite's results table, written to target/reliability.md when the suite ends (docs/reliability.md is a copy of a full run). */
final class Results {
    private record Row(String scenario, String expectation, String outcome) {}

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(String scenario, String expectation, String outcome) {
        rows.add(new Row(scenario, expectation, outcome));
    }

    synchronized void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder("""
                # Reliability: fault and security suite

                Written by the fault suite (module `fault-suite`: CrashesIT, BadInputIT, PoisonIT, KeyVaultFaultsIT, AccessIT,
                MultiReplicaIT, ForgeryIT, SecretsScanIT; profile `faults`, which CI runs after the README test command and which
                writes this table to `fault-suite/target/reliability.md`) against the packaged services
                running as separate processes (`RunningStack`: real Kafka with SASL_SSL and ACLs, events published as the
                `producer` principal; PostgreSQL; Key Vault emulator). Each row is a
                scenario that passed; a failing scenario fails the build instead of appearing here. The stack runs with
                `--demo-timers` (probes every 2–3 s, sweeps every 2 s), a lock grace of %d s, a new DEK every %d records
                (so rotation happens under every fault) and a sweeper limited to %d Key Vault operations per 10 s with
                10 s leases (so a re-wrap can be interrupted). Lock states are read from the lock-state topic.
                Last run: %s, 2 cores. Refresh this page with
                `mvn -B install -DskipTests && mvn -B verify -Pfaults -pl fault-suite && cp fault-suite/target/reliability.md docs/reliability.md`.

                | Scenario | Expected | Observed |
                |---|---|---|
                """.formatted(
                Suite.LOCK_GRACE.toSeconds(), Suite.DEK_MAX_RECORDS, Suite.SWEEPER_OPS_PER_10S, LocalDate.now()));
        for (Row r : rows) {
            md.append("| ")
                    .append(r.scenario())
                    .append(" | ")
                    .append(r.expectation())
                    .append(" | ")
                    .append(r.outcome())
                    .append(" |\n");
        }
        md.append("""

                Not covered here: container images, docker-compose and the Kubernetes manifests are validated
                offline (deploy-check) but never run on these machines (no Docker engine, no cluster). A DEK
                whose stored key id is altered to name a key that does not exist
                reads as KEY_NOT_FOUND (503, reported to lockdown): someone with write access to the database
                can make a tenant look locked — detected, never disclosed.
                """);
        Files.writeString(file, md);
    }
}
