package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.testing.TestResources;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code run} and {@code chat} on the tokenizer fixture, a small random-weight model with a real chat template. */
class RunAndChatCommandTest {

    private static final String MODEL =
            TestResources.path("reference/tokenizer/nemotron-h-tok-tekken.gguf").toString();

    @Test
    void runStreamsReasoningApartFromTheAnswerAndEndsWithCounts() {
        CliRun run = CliRun.of("run", "--model", MODEL, "--prompt", "Hello", "--max-tokens", "12",
                "--thinking-budget", "4", "--thinking-grace", "2", "--seed", "5").requireSuccess();
        assertThat(run.out()).startsWith("[thinking]\n").contains("\n[answer]\n");
        assertThat(run.err()).containsPattern("-- (stop|length|thinking_budget): \\d+ prompt, [0-6] reasoning, \\d+ answer tokens");
    }

    @Test
    void runIsReproducibleWithASeed() {
        String[] args = {"run", "--model", MODEL, "--prompt", "Hi", "--max-tokens", "16", "--seed", "9",
            "--temperature", "1"};
        assertThat(CliRun.of(args).requireSuccess().out()).isEqualTo(CliRun.of(args).requireSuccess().out());
    }

    @Test
    void runWithoutThinkingPrintsOnlyTheAnswer() {
        CliRun run = CliRun.of("run", "--model", MODEL, "--prompt", "Hello", "--no-think", "--max-tokens", "8")
                .requireSuccess();
        assertThat(run.out()).doesNotContain("[thinking]");
        assertThat(run.err()).contains(" 0 reasoning");
    }

    @Test
    void thinkAndNoThinkExcludeEachOther() {
        CliRun run = CliRun.of("run", "--model", MODEL, "--prompt", "x", "--think", "--no-think");
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void chatKeepsTheConversationAcrossTurns() {
        ChatCommand chat = new ChatCommand();
        chat.input = new ByteArrayInputStream("Hello\n\nHow are you?\n/reset\nAgain\n/exit\n".getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(chat).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--model", MODEL, "--no-think", "--max-tokens", "6");
        assertThat(code).isZero();
        // Three prompts answered, and each turn's summary shows the prompt growing with the history.
        assertThat(err.toString().lines().filter(l -> l.startsWith("-- "))).hasSize(3);
        int[] prompts = err.toString().lines().filter(l -> l.startsWith("-- "))
                .mapToInt(l -> Integer.parseInt(l.replaceAll(".*: (\\d+) prompt.*", "$1"))).toArray();
        assertThat(prompts[1]).isGreaterThan(prompts[0]);
        assertThat(prompts[2]).as("after /reset the history is gone").isLessThan(prompts[1]);
        assertThat(out.toString()).startsWith("> ");
    }
}
