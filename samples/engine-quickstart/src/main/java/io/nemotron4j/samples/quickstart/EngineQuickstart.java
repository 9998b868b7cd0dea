package io.nemotron4j.samples.quickstart;

import io.nemotron4j.engine.model.NemotronHConfig;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.SequenceState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Nemotron4j engine from plain Java: load a Nemotron-H GGUF, run a prompt's token ids through it as one
 * prefill, then generate greedily, one decode step per token, each step fed the previous step's most likely id.
 *
 * <p>Usage: {@code MODEL.gguf [token ids...]} (the prompt defaults to the single id {@code 1}). For each of the
 * {@value #GENERATED_TOKENS} generated tokens it prints the id, its logit and how long the forward pass that
 * produced it took: the first comes from the prefill, the others from single-token decode steps, which reuse
 * the sequence's Mamba states and KV cache instead of re-reading the prompt.
 */
public final class EngineQuickstart {

    /** How many tokens are generated after the prompt. */
    public static final int GENERATED_TOKENS = 8;

    private EngineQuickstart() {
    }

    /** Runs the quickstart and exits with its status: 0 success, 1 failure. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the quickstart, printing results to {@code out} and any error as one line to {@code err}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: engine-quickstart MODEL.gguf [token ids...]");
            return 1;
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            err.println("error: model file not found: " + file);
            return 1;
        }
        try {
            int[] prompt = promptIds(args);
            long start = System.nanoTime();
            try (NemotronHModel model = NemotronHModel.load(file)) {
                NemotronHConfig c = model.config();
                out.printf("loaded %s in %.0f ms: %d layers (%s), vocabulary %d%n", file, millisSince(start),
                        c.layerCount(), c.pattern(), c.vocabSize());
                generate(model, prompt, out);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            // Both carry messages meant for people: a file that is not a usable model, an id that is no token.
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int[] promptIds(String[] args) {
        if (args.length == 1) {
            return new int[] {1};
        }
        int[] ids = new int[args.length - 1];
        for (int i = 0; i < ids.length; i++) {
            try {
                ids[i] = Integer.parseInt(args[i + 1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("token id '" + args[i + 1] + "' is not an integer", e);
            }
        }
        return ids;
    }

    private static void generate(NemotronHModel model, int[] prompt, PrintStream out) {
        SequenceState sequence = model.newState();
        long start = System.nanoTime();
        float[] logits = model.forward(sequence, prompt);
        double millis = millisSince(start);
        String pass = "prefill of " + prompt.length + " prompt token(s)";
        for (int i = 1; i <= GENERATED_TOKENS; i++) {
            int next = argmax(logits);
            out.printf("token %d: id %d, logit %.4f, %.1f ms (%s)%n", i, next, logits[next], millis, pass);
            if (i < GENERATED_TOKENS) {
                start = System.nanoTime();
                logits = model.forward(sequence, next);
                millis = millisSince(start);
                pass = "decode step";
            }
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e6;
    }
}
