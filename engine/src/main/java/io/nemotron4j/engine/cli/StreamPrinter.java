package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationListener;
import io.nemotron4j.engine.generate.Usage;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a generation as it streams: the reasoning between {@code [thinking]} and {@code [answer]} markers (dimmed
 * on a terminal), then the answer, tool calls, and a closing line of counts and speeds on the error stream.
 */
final class StreamPrinter implements GenerationListener {

    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean color;
    private boolean inReasoning;
    private boolean answered;

    StreamPrinter(PrintWriter out, PrintWriter err, boolean color) {
        this.out = out;
        this.err = err;
        this.color = color;
    }

    @Override
    public void onEvent(GenerationEvent event) {
        switch (event) {
            case GenerationEvent.ReasoningDelta r -> {
                if (!inReasoning) {
                    out.print("[thinking]\n" + (color ? DIM : ""));
                    inReasoning = true;
                }
                out.print(r.text());
            }
            case GenerationEvent.AnswerDelta a -> {
                startAnswer();
                out.print(a.text());
            }
            case GenerationEvent.ToolCallRequested t -> {
                startAnswer();
                out.printf("%n[tool call] %s %s", t.call().name(), t.call().argumentsJson());
            }
            case GenerationEvent.Finished f -> {
                endReasoning();
                out.println();
                out.flush();
                err.println(summary(f));
                err.flush();
                return;
            }
        }
        out.flush();
    }

    private void startAnswer() {
        endReasoning();
        if (!answered) {
            answered = true;
        }
    }

    private void endReasoning() {
        if (inReasoning) {
            out.print((color ? RESET : "") + "\n[answer]\n");
            inReasoning = false;
        }
    }

    static String summary(GenerationEvent.Finished f) {
        Usage u = f.usage();
        String line = String.format(Locale.ROOT,
                "-- %s: %d prompt, %d reasoning, %d answer tokens | first token %.0f ms | prefill %.1f tok/s | decode %.2f tok/s",
                f.reason().name().toLowerCase(Locale.ROOT), u.promptTokens(), u.reasoningTokens(), u.answerTokens(),
                u.timeToFirstTokenMillis(), u.prefillTokensPerSecond(), u.decodeTokensPerSecond());
        return f.error() == null ? line : line + "\nerror: " + f.error();
    }
}
