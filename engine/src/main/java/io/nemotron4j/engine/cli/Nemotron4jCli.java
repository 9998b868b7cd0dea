package io.nemotron4j.engine.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nemotron4j} command line. */
@Command(name = "nemotron4j",
        mixinStandardHelpOptions = true,
        versionProvider = Nemotron4jCli.Version.class,
        description = "Runs NVIDIA Nemotron-H models (GGUF) in pure Java.",
        subcommands = {RunCommand.class, ChatCommand.class, InspectCommand.class, LogitsCommand.class, TokenizeCommand.class, RenderCommand.class,
                GenerateModelCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'nemotron4j help COMMAND' for a command's options."})
public final class Nemotron4jCli {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** As {@link #run(String...)}, writing to the given streams instead of standard output and error. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine().setOut(out).setErr(err).execute(args);
    }

    // Built afresh per run: picocli keeps parsed option values on the command objects.
    // Standard streams stay picocli's own defaults, which pick the console's encoding.
    private static CommandLine commandLine() {
        return new CommandLine(new Nemotron4jCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Nemotron4jCli.class.getPackage().getImplementationVersion();
            return new String[] {"nemotron4j " + (v == null ? "development build" : v)
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
