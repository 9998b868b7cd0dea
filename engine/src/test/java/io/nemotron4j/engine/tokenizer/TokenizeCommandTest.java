package io.nemotron4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.cli.TokenizeCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/** {@code nemotron4j tokenize} on the reference fixtures, run in-process. */
class TokenizeCommandTest {

    private static final String MODEL = Fixtures.gguf("tekken").toString();
    private final Tokenizer tokenizer = Fixtures.tokenizer("tekken");

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void printsThePlainIdsAsAJsonArrayOnOneLine() {
        String text = "<SPECIAL_11>Assistant\nHello world";
        Run run = run("--model", MODEL, "--text", text);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(Arrays.toString(tokenizer.encode(text)).replace(" ", "") + System.lineSeparator());
        assertThat(JsonMapper.shared().readValue(run.out(), int[].class)).containsExactly(tokenizer.encode(text));
    }

    @Test
    void matchesSpecialTokensOnlyWithSpecial() {
        Run run = run("--model", MODEL, "--text", "<SPECIAL_11>Assistant", "--special");

        assertThat(run.exitCode()).as(run.err()).isZero();
        int[] ids = JsonMapper.shared().readValue(run.out(), int[].class);
        assertThat(ids).containsExactly(tokenizer.encodeWithSpecials("<SPECIAL_11>Assistant"));
        assertThat(ids[0]).isEqualTo(11);
    }

    @Test
    void readsTheTextFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prompt.txt");
        Files.writeString(file, "日本語\r\nかな 1234");

        Run run = run("--model", MODEL, "--file", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JsonMapper.shared().readValue(run.out(), int[].class)).containsExactly(tokenizer.encode("日本語\r\nかな 1234"));
    }

    @Test
    void takesExactlyOneSource(@TempDir Path dir) {
        Run both = run("--model", MODEL, "--text", "a", "--file", dir.resolve("x.txt").toString());
        Run neither = run("--model", MODEL);

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required");
    }

    @Test
    void failsClearlyOnBadInput(@TempDir Path dir) throws IOException {
        Path notUtf8 = dir.resolve("latin1.txt");
        Files.write(notUtf8, new byte[] {'c', 'a', 'f', (byte) 0xE9});

        assertThat(run("--model", dir.resolve("missing.gguf").toString(), "--text", "a").err())
                .contains("missing.gguf").contains("model file not found");
        assertThat(run("--model", MODEL, "--file", dir.resolve("missing.txt").toString()).err())
                .contains("text file not found");
        assertThat(run("--model", MODEL, "--file", notUtf8.toString()).err()).contains("is not valid UTF-8");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new TokenizeCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                // As the root command line reports failures.
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    cmd.getErr().flush();
                    return 1;
                })
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
