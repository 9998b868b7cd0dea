package io.nemotron4j.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code nemotron4j} command line, with what it wrote to each stream.
 *
 * @param exitCode 0 success, 1 failure, 2 usage error
 * @param out standard output
 * @param err standard error
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = Nemotron4jCli.run(o, e, args);
        }
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Fails with both streams in the message unless the run succeeded, so a broken run explains itself. */
    CliRun requireSuccess() {
        if (exitCode != 0) {
            throw new AssertionError("exit code " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
        }
        return this;
    }
}
