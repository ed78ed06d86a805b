package dev.byok.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every command of the project runs (the run command, the producer, the demo, the Key Vault
 * emulator, the token command): picocli parses the options and answers {@code --help}; a bad option
 * or value prints one line on stderr and exits with {@value #USAGE}; a failure while running prints
 * one line and exits with {@value #FAILED}. Never a stack trace.
 */
public final class Cli {
    /** A bad option or value. */
    public static final int USAGE = 2;
    /** The command ran and failed (e.g. a file it needs cannot be read). */
    public static final int FAILED = 1;

    private Cli() {}

    /** Runs {@code command} with {@code args}; returns the exit code. */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
        if (cli.getCommandSpec().version().length == 0) { // what --version prints
            String version = Cli.class.getPackage().getImplementationVersion();
            cli.getCommandSpec().version("BYOK " + (version != null ? version : "development build"));
        }
        cli.setParameterExceptionHandler((e, ignored) -> {
            e.getCommandLine().getErr().println(name(e.getCommandLine()) + ": " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, ignored) -> {
            boolean usage = e instanceof IllegalArgumentException;
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            commandLine.getErr().println(name(commandLine) + ": " + message);
            return usage ? USAGE : FAILED;
        });
        return cli.execute(args);
    }

    /** For {@code main}: runs {@code command} on the console and exits with its code when it is not 0. */
    public static void run(Object command, String... args) {
        int code = execute(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (code != 0) {
            System.exit(code);
        }
    }

    private static String name(CommandLine commandLine) {
        return commandLine.getCommandName();
    }
}
