package dev.byok.local;

import dev.byok.cli.Cli;
import dev.byok.infra.DevTokens;
import dev.byok.model.TenantId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a development bearer token for any tenant's admin, signed with the key the local stack verifies with. */
@Command(
        name = "dev-token",
        mixinStandardHelpOptions = true,
        description = "Prints a tenant admin's bearer token for the local stack (and only the token).")
public final class DevToken implements Callable<Integer> {
    @Option(names = "--tenant", paramLabel = "ID", required = true, description = "the tenant (" + TenantId.RULE + ")")
    String tenant;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "PT8H",
            converter = DurationConverter.class,
            description = "how long the token is valid (ISO-8601; default: ${DEFAULT-VALUE})")
    Duration ttl;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "the stack's data (default: .byok/local; the key is in its dev-jwt)")
    Path dataDir;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Cli.run(new DevToken(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (!TenantId.isValid(tenant)) {
            throw new IllegalArgumentException("--tenant " + tenant + " is not a tenant id: " + TenantId.RULE);
        }
        Path data = dataDir != null ? dataDir : LocalStack.repositoryRoot().resolve(".byok/local");
        spec.commandLine().getOut().println(DevTokens.mint(DevTokens.ensureKeys(data.resolve("dev-jwt")), tenant, ttl));
        return 0;
    }
}
