package dev.byok.local;

import dev.byok.cli.Cli;
import dev.byok.emulator.KeyVaultEmulator;
import dev.byok.infra.DevTokens;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The guided demo, against a local stack started with {@code --demo-timers} (seconds instead of
 * minutes) and the same options, or against the compose stack with its demo timers ({@code --data-dir
 * .byok/compose --kafka-config .byok/compose/kafka/host/producer.properties}): prints the timeline of the
 * BYOK story as it happens.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Runs the BYOK story against a local stack started with ./run-local.sh --demo-timers (give it the same options).")
public final class Demo implements Callable<Integer> {
    @Mixin
    StackArguments arguments = new StackArguments();

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties with the producer's login (default: <data-dir>/kafka/producer.properties;"
                            + " the compose stack's: .byok/compose/kafka/host/producer.properties)")
    Path kafkaConfig;

    public static void main(String[] args) {
        Cli.run(new Demo(), args);
    }

    @Override
    public Integer call() throws Exception {
        StackOptions o = arguments.options(LocalStack.repositoryRoot());
        PrivateKey tokenKey = DevTokens.ensureKeys(o.dataDir().resolve("dev-jwt"));
        DemoScenario.Endpoints endpoints = DemoScenario.Endpoints.of(
                o,
                kafkaConfig != null ? kafkaConfig : KafkaClientFile.producerFile(o.dataDir()),
                tenant -> DevTokens.mint(tokenKey, tenant, Duration.ofHours(1)));
        String run = UUID.randomUUID().toString().substring(0, 4);
        try {
            new DemoScenario(endpoints, System.out::println).run("contoso-" + run, "fabrikam-" + run);
            System.out.println("demo complete");
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("demo stopped: " + e.getMessage() + "\n(is the stack running with --demo-timers? "
                    + KeyVaultEmulator.class.getSimpleName() + " admin at " + endpoints.emulatorAdmin() + ")");
            return Cli.FAILED;
        }
    }
}
