package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.model.Logits;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.SequenceState;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code nemotron4j logits}: run token ids through a model and show what it predicts at each position. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = {"Runs token ids through the model as one prefill (or one at a time with --decode) and prints,"
                + " per position, the top-K next-token ids and logits.",
                "Timings and resident memory go to standard error (or into the JSON with --json)."})
final class LogitsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "the GGUF model")
    Path model;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "IDS",
            description = "comma-separated token ids, e.g. 1,2,3")
    int[] tokens;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "ids shown per position (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--out", paramLabel = "FILE.f32",
            description = "also write all logits as raw little-endian float32 [n_tokens][n_vocab]")
    Path out;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Option(names = "--decode", description = "feed the tokens one at a time (decode path) instead of one prefill")
    boolean decode;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: available cores)")
    Integer threads;

    @Option(names = "--chunk", defaultValue = "64", paramLabel = "N",
            description = "most tokens per prefill chunk (default: ${DEFAULT-VALUE})")
    int chunk;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1");
        }
        EngineOptions options = EngineOptions.defaults().withPrefillChunk(chunk);
        if (threads != null) {
            options = options.withThreads(threads);
        }
        long t0 = System.nanoTime();
        try (NemotronHModel m = NemotronHModel.load(model, options)) {
            long loaded = System.nanoTime();
            int vocab = m.config().vocabSize();
            int n = tokens.length;
            float[] logits = new float[Math.multiplyExact(n, vocab)];
            SequenceState state = m.newState();
            long[] perToken = new long[decode ? n : 0];
            if (decode) {
                float[] row = new float[vocab];
                for (int i = 0; i < n; i++) {
                    long s = System.nanoTime();
                    m.forward(state, tokens, i, 1, Logits.LAST, row, null);
                    perToken[i] = System.nanoTime() - s;
                    System.arraycopy(row, 0, logits, i * vocab, vocab);
                }
            } else {
                m.forward(state, tokens, 0, n, Logits.ALL, logits, null);
            }
            long done = System.nanoTime();
            if (out != null) {
                writeFloats(out, logits);
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("threads", options.threads());
            stats.put("mode", decode ? "decode" : "prefill");
            stats.put("load_seconds", (loaded - t0) / 1e9);
            stats.put("run_seconds", (done - loaded) / 1e9);
            stats.put("seconds_per_token", (done - loaded) / 1e9 / n);
            if (decode && n > 1) {
                // The first decode step also pays for faulting the mapped weights in; report the steady state too.
                long rest = 0;
                for (int i = 1; i < n; i++) {
                    rest += perToken[i];
                }
                stats.put("seconds_per_token_after_first", rest / 1e9 / (n - 1));
            }
            stats.put("resident_bytes", Units.residentBytes());
            stats.put("file_bytes", m.file().fileSize());
            report(logits, vocab, stats);
        }
        return 0;
    }

    private void report(float[] logits, int vocab, Map<String, Object> stats) {
        PrintWriter w = spec.commandLine().getOut();
        int k = Math.min(top, vocab);
        if (json) {
            List<Map<String, Object>> positions = new ArrayList<>();
            for (int pos = 0; pos < tokens.length; pos++) {
                List<Map<String, Object>> best = new ArrayList<>();
                for (int id : TopK.of(logits, pos * vocab, vocab, k)) {
                    best.add(Map.of("id", id, "logit", logits[pos * vocab + id]));
                }
                positions.add(Map.of("pos", pos, "token", tokens[pos], "top", best));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model.toString());
            doc.put("vocab", vocab);
            doc.put("positions", positions);
            doc.put("stats", stats);
            w.println(JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            for (int pos = 0; pos < tokens.length; pos++) {
                StringBuilder sb = new StringBuilder(String.format("pos %d (token %d):", pos, tokens[pos]));
                for (int id : TopK.of(logits, pos * vocab, vocab, k)) {
                    sb.append(String.format(" %d:%.6f", id, logits[pos * vocab + id]));
                }
                w.println(sb);
            }
            PrintWriter err = spec.commandLine().getErr();
            err.printf("%s of %d tokens: load %.3f s, run %.3f s (%.4f s/token%s), resident %s of a %s file, %d threads%n",
                    stats.get("mode"), tokens.length, stats.get("load_seconds"), stats.get("run_seconds"),
                    stats.get("seconds_per_token"),
                    stats.containsKey("seconds_per_token_after_first")
                            ? String.format(", %.4f after the first", stats.get("seconds_per_token_after_first")) : "",
                    Units.bytes((Long) stats.get("resident_bytes")), Units.bytes((Long) stats.get("file_bytes")),
                    stats.get("threads"));
            err.flush();
        }
        w.flush();
    }

    private static void writeFloats(Path path, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream os = Files.newOutputStream(path)) {
            for (float v : values) {
                if (buffer.remaining() < 4) {
                    os.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putFloat(v);
            }
            os.write(buffer.array(), 0, buffer.position());
        }
    }
}
