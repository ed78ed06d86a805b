package dev.byok.sweeper;

import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.ServiceHealthContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SweeperServiceHealthIT extends ServiceHealthContract {}
