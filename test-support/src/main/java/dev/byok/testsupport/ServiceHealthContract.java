package dev.byok.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

/**
 * What every service answers once it runs on the real Kafka and PostgreSQL: liveness, readiness
 * with a working database connection, and Prometheus metrics. Each service module has a
 * {@code @QuarkusTest} subclass with {@link KafkaTestResource} and {@link PostgresTestResource}.
 */
public abstract class ServiceHealthContract {

    @Test
    void liveness_isUp() {
        given().when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readiness_isUp_withTheDatabaseReachable() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(startsWith("Reactive PostgreSQL connections health check")))
                .body("checks.find { it.name.startsWith('Reactive PostgreSQL') }.status", equalTo("UP"));
    }

    @Test
    void prometheusMetrics_areExposed() {
        given().when().get("/q/metrics")
                .then().statusCode(200).body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
