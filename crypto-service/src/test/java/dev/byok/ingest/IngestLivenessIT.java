package dev.byok.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A dead ingest loop makes the service's liveness fail, so Kubernetes restarts the pod. Its own application: it kills the loop. */
@QuarkusTest
@TestProfile(IngestLivenessIT.OwnApplication.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class IngestLivenessIT {

    /** A separate application instance, so that the loop killed here is no other test's. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

    @Test
    @SuppressWarnings("removal") // Thread.stop: the only way to make a healthy thread die from outside
    void ingestThreadDies_livenessGoesDown_namingTheLoop() {
        given().when().get("/q/health/live").then().statusCode(200);
        Thread ingest = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ingest")).findFirst().orElseThrow();

        ingest.stop();

        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).until(() -> !ingest.isAlive()); // its ThreadDeath is expected
        given().when().get("/q/health/live")
                .then().statusCode(503)
                .body("checks.find { it.name == 'loops' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'loops' }.data.ingest", equalTo("dead"));
    }
}
