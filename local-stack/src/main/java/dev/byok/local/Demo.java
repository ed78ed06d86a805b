package dev.byok.local;

import dev.byok.emulator.KeyVaultEmulator;
import dev.byok.testsupport.DevTokens;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.UUID;

/**
 * The guided demo, against a local stack started with {@code --demo-timers} (seconds instead of
 * minutes) and the default ports: prints the timeline of the BYOK story as it happens.
 * <pre>--data-dir DIR (.byok/local: where the stack keeps its development token key)</pre>
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        StackOptions o = StackOptions.parse(LocalStack.repositoryRoot(), args);
        PrivateKey tokenKey = DevTokens.ensureKeys(o.dataDir().resolve("dev-jwt"));
        DemoScenario.Endpoints endpoints = DemoScenario.Endpoints.of(o, tenant -> DevTokens.mint(tokenKey, tenant, Duration.ofHours(1)));
        String run = UUID.randomUUID().toString().substring(0, 4);
        try {
            new DemoScenario(endpoints, System.out::println).run("contoso-" + run, "fabrikam-" + run);
            System.out.println("demo complete");
        } catch (IllegalStateException e) {
            System.err.println("demo stopped: " + e.getMessage()
                    + "\n(is the stack running with --demo-timers? " + KeyVaultEmulator.class.getSimpleName() + " admin at " + endpoints.emulatorAdmin() + ")");
            System.exit(1);
        }
    }
}
