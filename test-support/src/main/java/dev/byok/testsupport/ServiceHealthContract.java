package dev.byok.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

/**
 * What every service answers once it runs on its real infrastructure: liveness, readiness with at
 * least one check and every check up (database connections, Kafka, the service's own), and
 * Prometheus metrics. Each service module has a {@code @QuarkusTest} subclass with the test
 * resources it needs ({@link KafkaTestResource}, {@link PostgresTestResource}, ...).
 */
public abstract class ServiceHealthContract {

    @Test
    void liveness_isUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void liveness_namesEveryLoopOfTheService_alive() {
        given().when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'loops' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'loops' }.data.values()", everyItem(equalTo("alive")))
                .body("checks.find { it.name == 'loops' }.data", org.hamcrest.Matchers.hasKey("tenant-gate view"));
    }

    @Test
    void readiness_includesKafkaAsTheServicesOwnPrincipal() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'kafka' }.data.principal",
                        equalTo(System.getProperty("byok.test.kafka.principal")));
    }

    @Test
    void readiness_isUp_withEveryCheckUp() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks", not(empty()))
                .body("checks.status", everyItem(equalTo("UP")));
    }

    @Test
    void prometheusMetrics_areExposed() {
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
