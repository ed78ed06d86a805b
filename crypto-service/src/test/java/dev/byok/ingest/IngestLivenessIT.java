package dev.byok.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.byok.model.Topics;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The thread running the ingest handler dies mid-batch: the channel fails and the service's
 * liveness goes DOWN naming it, so Kubernetes restarts the pod. Its own application: the channel
 * failed here is no other test's.
 */
@QuarkusTest
@TestProfile(IngestLivenessIT.OwnApplication.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class IngestLivenessIT {
    private static final String MESSAGING_LIVENESS = "SmallRye Reactive Messaging - liveness check";

    /** A separate application instance, so that the channel failed here is no other test's. */
    public static class OwnApplication implements QuarkusTestProfile {}

    @Inject
    Pool pool;

    @Test
    @SuppressWarnings("removal") // Thread.stop: the only way to make a healthy thread die from outside
    void handlerThreadDies_livenessGoesDown_namingTheChannel() throws Exception {
        given().when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == '" + MESSAGING_LIVENESS + "' }.data.ingest", equalTo("[OK]"));
        // the store is held so that the handler stays inside a batch (it waits for the insert, then retries)
        SqlConnection holder = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            holder.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
            holder.query("LOCK TABLE activity_record IN ACCESS EXCLUSIVE MODE")
                    .execute()
                    .await()
                    .atMost(Duration.ofSeconds(10));
            publishOneEvent();
            Thread handler = await().atMost(Duration.ofSeconds(30))
                    .until(IngestLivenessIT::threadInsideHandler, Optional::isPresent)
                    .orElseThrow();

            handler.stop();

            await().dontCatchUncaughtExceptions()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().when()
                            .get("/q/health/live")
                            .then()
                            .statusCode(503)
                            .body("checks.find { it.name == '" + MESSAGING_LIVENESS + "' }.status", equalTo("DOWN"))
                            .body(
                                    "checks.find { it.name == '" + MESSAGING_LIVENESS + "' }.data.ingest",
                                    startsWith("[KO]")));
        } finally {
            holder.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(10));
            holder.close().await().atMost(Duration.ofSeconds(10));
        }
    }

    private static Optional<Thread> threadInsideHandler() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(IngestChannel.class.getName())
                                && f.getMethodName().equals("store")))
                .map(java.util.Map.Entry::getKey)
                .findFirst();
    }

    private static void publishOneEvent() throws Exception {
        String tenant = "liveness-" + UUID.randomUUID().toString().substring(0, 8);
        String json = "{\"schemaVersion\":1,\"tenantId\":\"" + tenant
                + "\",\"eventId\":\"e-1\",\"occurredAt\":\"2026-11-28T09:00:00Z\","
                + "\"activityType\":\"file.share\",\"actor\":\"user@contoso.com\"}";
        TopicClient.publishBytes(Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8));
    }
}
