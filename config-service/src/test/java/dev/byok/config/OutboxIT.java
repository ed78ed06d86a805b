package dev.byok.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.byok.kafka.CompactedTopicView;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.KafkaClients;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TopicClient;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transactional outbox on the real PostgreSQL and broker: a change and its event commit or roll back together. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class OutboxIT {
    private static final int REVISIONS = 40;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @Inject
    @Channel("outbox")
    Emitter<byte[]> outboxChannel;

    @Inject
    KafkaClients kafka;

    @AfterEach
    void resume() {
        relay.resume();
    }

    @Test
    void eventCommittedWhileTheRelayWasDown_isPublishedWhenItRunsAgain() throws Throwable {
        String tenant = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
        relay.pause(); // the service "crashed" after committing, before publishing
        commit(tenant, event(tenant));

        assertThat(unpublished(tenant)).isEqualTo(1);
        relay.resume(); // the restarted service relays what is left

        List<KeyConfigEvent> seen = readKeyConfig(tenant, 1);
        assertThat(seen).containsExactly(event(tenant));
        await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(tenant) == 0);
    }

    @Test
    void twoRelaysDrainingOneBacklog_publishEachTenantsRevisionsInOrder_andEveryViewEndsAtTheDatabaseRevision()
            throws Throwable {
        List<String> tenants = List.of(1, 2, 3, 4).stream()
                .map(i -> "relays-" + i + "-" + UUID.randomUUID().toString().substring(0, 6))
                .toList();
        relay.pause(); // a backlog, as after an outage of every replica
        for (int revision = 1; revision <= REVISIONS; revision++) {
            for (String tenant : tenants) {
                change(tenant, revision);
            }
        }
        OutboxRelay second = new OutboxRelay(
                pool, outboxChannel, Clock.systemUTC()); // another config-service replica (its own relay lock session)
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> draining =
                    List.of(replicas.submit(() -> drain(relay, start)), replicas.submit(() -> drain(second, start)));
            for (Future<?> f : draining) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            replicas.shutdownNow();
        }

        // what the data plane's services see: the compacted view that keeps each tenant's superseding event
        try (CompactedTopicView<KeyConfigEvent> view = CompactedTopicView.start(
                kafka.config(), Topics.TENANT_KEY_CONFIG, KeyConfigEvent.class, KeyConfigEvent::supersedes)) {
            for (String tenant : tenants) {
                assertThat(unpublished(tenant)).isZero();
                List<Long> published = readKeyConfig(tenant, REVISIONS).stream()
                        .map(KeyConfigEvent::revision)
                        .toList();
                assertThat(published)
                        .as("revision order on the topic")
                        .isSorted()
                        .contains((long) REVISIONS);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> view.get(tenant)
                                .map(KeyConfigEvent::revision)
                                .equals(Optional.of(databaseRevision(tenant))));
            }
        }
    }

    @Test
    void whileOneReplicaHoldsTheRelayLock_anotherPublishesNothing() throws Throwable {
        String tenant = "outbox-lock-" + UUID.randomUUID().toString().substring(0, 8);
        relay.pause();
        commit(tenant, event(tenant));
        SqlConnection holder =
                pool.getConnection().await().atMost(Duration.ofSeconds(30)); // a replica in the middle of its run
        Transaction run = holder.begin().await().atMost(Duration.ofSeconds(30));
        try {
            holder.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                    .execute(Tuple.of(OutboxRelay.RELAY_LOCK))
                    .await()
                    .atMost(Duration.ofSeconds(30));

            assertThat(relay.relayOnce()).isZero();
            assertThat(unpublished(tenant)).isEqualTo(1);
        } finally {
            run.rollback().await().atMost(Duration.ofSeconds(30));
            holder.close().await().atMost(Duration.ofSeconds(30));
        }
        assertThat(relay.relayOnce()).isPositive();
        assertThat(unpublished(tenant)).isZero();
    }

    /** Starts with the other replica, then runs the relay back to back until the outbox is drained. */
    private Void drain(OutboxRelay relay, CyclicBarrier start) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.relayOnce() == 0 && unpublishedRows() == 0);
        return null;
    }

    private long unpublishedRows() throws Exception {
        return pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next()
                .getLong(0);
    }

    /** One committed change of the tenant's setting, with its event, as EncryptionSettings makes them. */
    private void change(String tenant, int revision) throws Throwable {
        KeyConfigEvent event = new KeyConfigEvent.KeyDisabled(
                tenant, revision, Instant.parse("2026-11-28T10:00:00Z"), "https://v.vault.azure.net/keys/k");
        VertxContextSupport.subscribeAndAwait(() ->
                Panache.withTransaction(() -> TenantEncryption.<TenantEncryption>findById(tenant)
                        .chain(found -> {
                            TenantEncryption setting = found == null ? settingOf(tenant) : found;
                            setting.revision = revision;
                            return setting.persist();
                        })
                        .chain(() -> outbox.append(Topics.TENANT_KEY_CONFIG, tenant, event))));
    }

    private static long databaseRevision(String tenant) throws Exception {
        try {
            return VertxContextSupport.<TenantEncryption>subscribeAndAwait(
                            () -> Panache.withSession(() -> TenantEncryption.findById(tenant)))
                    .revision;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Test
    void rolledBackChange_leavesNoEvent() throws Throwable {
        String tenant = "rollback-" + UUID.randomUUID().toString().substring(0, 8);

        assertThatThrownBy(() ->
                        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settingOf(tenant)
                                .persist()
                                .chain(() -> outbox.append(Topics.TENANT_KEY_CONFIG, tenant, event(tenant)))
                                .chain(() -> Uni.createFrom()
                                        .failure(new IllegalStateException("validation failed after writing"))))))
                .hasMessageContaining("validation failed");

        long rows = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> OutboxRecord.count("recordKey = ?1", tenant)));
        assertThat(rows).isZero();
        assertThat(VertxContextSupport.<TenantEncryption>subscribeAndAwait(
                        () -> Panache.withSession(() -> TenantEncryption.findById(tenant))))
                .isNull();
    }

    private void commit(String tenant, KeyConfigEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> settingOf(tenant).persist().chain(() -> outbox.append(Topics.TENANT_KEY_CONFIG, tenant, event))));
    }

    private static TenantEncryption settingOf(String tenant) {
        TenantEncryption setting = new TenantEncryption();
        setting.tenantId = tenant;
        setting.byokEnabled = false;
        setting.revision = 1;
        setting.changedAt = Instant.parse("2026-11-28T10:00:00Z");
        return setting;
    }

    private static KeyConfigEvent event(String tenant) {
        return new KeyConfigEvent.KeyDisabled(
                tenant, 1, Instant.parse("2026-11-28T10:00:00Z"), "https://v.vault.azure.net/keys/k");
    }

    private static long unpublished(String tenant) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() ->
                    Panache.withSession(() -> OutboxRecord.count("recordKey = ?1 and publishedAt is null", tenant)));
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static List<KeyConfigEvent> readKeyConfig(String tenant, int expected) {
        return TopicClient.readUntil(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                KeyConfigEvent.class,
                seen -> seen.size() >= expected,
                Duration.ofSeconds(30));
    }
}
