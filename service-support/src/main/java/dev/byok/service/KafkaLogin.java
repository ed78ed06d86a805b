package dev.byok.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.util.Map;

/**
 * The Kafka settings a service cannot run without: its own login (in production the deployment's secret,
 * {@code KAFKA_SASL_JAAS_CONFIG}) and every {@code kafka.*} setting resolved (KAFKA_BOOTSTRAP_SERVERS has no
 * default). Declared, and made required by {@link RequiredSettings}, so that a start without one stops at once with one line
 * naming it (SRCFG00014 / SRCFG00011), before any client fails later to connect or authenticate.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaLogin {
    @WithName("sasl.jaas.config")
    String saslJaasConfig();

    /** Every {@code kafka.*} client setting (bootstrap servers, protocol, trust store...): each must resolve. */
    @WithParentName
    Map<String, String> clientSettings();
}
