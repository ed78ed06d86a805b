package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * A service started with a wrong Kafka password starts, reports not-ready with a line naming its
 * principal and the listener, keeps retrying, and never logs the password.
 */
@QuarkusTest
@TestProfile(WrongKafkaCredentialsIT.WrongPassword.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class WrongKafkaCredentialsIT {
    static final String WRONG = "wrong-password-4711";

    public static class WrongPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"config-service\" password=\""
                            + WRONG + "\";");
        }
    }

    @Test
    void readinessFails_namingPrincipalAndListener_retrying_withoutThePassword() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(
                        record instanceof ExtLogRecord ext
                                ? ext.getFormattedMessage()
                                : String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("").addHandler(capture);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> String.valueOf(given().when()
                                    .get("/q/health/ready")
                                    .then()
                                    .extract()
                                    .<String>path("checks.find { it.name == 'kafka' }.data.problem"))
                            .startsWith("authentication refused"));
            for (int probe = 0; probe < 3; probe++) { // every probe tries again
                given().when()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'kafka' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'kafka' }.data.principal", equalTo("config-service"))
                        .body("checks.find { it.name == 'kafka' }.data.problem", startsWith("authentication refused"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> lines.stream()
                            .anyMatch(l -> l.startsWith("Kafka not usable as principal config-service at localhost:")
                                    && l.contains("over SASL_SSL/SCRAM-SHA-512: authentication refused")));
            assertThat(lines).noneMatch(l -> l.contains(WRONG));
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }
}
