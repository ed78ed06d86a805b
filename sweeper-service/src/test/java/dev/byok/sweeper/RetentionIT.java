package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Retention (default 180 days) as day partitions dropped by the sweeper, and partitions created ahead. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class RetentionIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    private final String tenant = "ret-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void dayPastRetention_isDroppedWholeWithAMetric_andTheNextDaysStay() {
        double droppedBefore = metric("byok_retention_records_dropped_total");
        Instant expired = Instant.now().minus(Duration.ofDays(200));
        Instant kept = Instant.now().minus(Duration.ofDays(179));
        TenantData data = tenants.of(tenant);
        data.write(expired, 4, Optional.empty(), null, false); // its day's partition is created for it
        data.write(kept, 3, Optional.empty(), null, false);

        await().atMost(WAIT).until(() -> metric("byok_retention_records_dropped_total") >= droppedBefore + 4);

        assertThat(partitionExists(day(expired)))
                .as("the expired day's partition")
                .isFalse();
        assertThat(partitionExists(day(kept))).as("a day within retention").isTrue();
        assertThat(TenantRows.records(tenant)).as("only the kept day's records").isEqualTo(3);
    }

    @Test
    void partitionsExistAWeekAhead() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        await().atMost(WAIT).until(() -> metric("byok_records_partition_days_ahead") == 7);

        assertThat(partitionExists(today.plusDays(7))).isTrue();
        assertThat(partitionExists(today.plusDays(8))).isFalse();
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private boolean partitionExists(LocalDate day) {
        return pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL")
                .execute(Tuple.of("activity_record_" + DateTimeFormatter.BASIC_ISO_DATE.format(day)))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getBoolean(0);
    }

    /** The metric's value in the Prometheus exposition, 0 while it has no sample. */
    private static double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E+-]+)$")
                .matcher(RestAssured.get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
