package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.model.ForwardBatch;
import io.nemotron4j.engine.model.Logits;
import io.nemotron4j.engine.model.ModelSpec;
import io.nemotron4j.engine.model.NemotronHConfig;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.RandomModelGenerator;
import io.nemotron4j.engine.model.SequenceState;
import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.TensorFormats;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nemotron4j bench}: prefill and decode speed in the manner of llama-bench, measured against this machine's
 * memory bandwidth, the limit of decoding (every weight is read once per token).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures prefill (pp) and decode (tg) tokens/s, mean and spread over repeats, the bytes read"
                + " per decoded token, this machine's memory bandwidth, and decode speed as a fraction of the"
                + " bandwidth limit.",
                "Give a model, or a shape and type to generate one (kept for reuse, see --cache-dir).",
                "Example: nemotron4j bench --shape nano-9b-v2 --dtype Q8_0 --prompt-tokens 128 --gen-tokens 32",
                "Batched decode: nemotron4j bench --shape nano-9b-v2 --prompt-tokens 0 --gen-tokens 16 --concurrency 1,2,4,8"})
final class BenchCommand implements Callable<Integer> {

    /** Tokens of the untimed warm-up pass, for prefill and for decode. */
    private static final int WARM_UP_TOKENS = 4;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", paramLabel = "FILE", description = "the GGUF model")
        Path model;

        @Option(names = "--shape", paramLabel = "PRESET|SPEC.json",
                description = "generate a random model of this shape (e.g. nano-9b-v2) instead")
        String shape;
    }

    @Option(names = "--dtype", defaultValue = "Q8_0", paramLabel = "TYPE",
            description = "weight type of a generated model (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--prompt-tokens", defaultValue = "128", paramLabel = "N", description = "prefill length (default: ${DEFAULT-VALUE}; 0 skips)")
    int promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "32", paramLabel = "N", description = "decoded tokens (default: ${DEFAULT-VALUE}; 0 skips)")
    int genTokens;

    @Option(names = "--depth", defaultValue = "0", paramLabel = "D",
            description = "tokens already in the sequence before each test (default: ${DEFAULT-VALUE})")
    int depth;

    /** The sequence after the first {@code depth} tokens, made by the first {@link #primed} call. */
    private SequenceState deep;

    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: available cores)")
    Integer threads;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "R", description = "repetitions (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--bandwidth-mib", defaultValue = "1024", paramLabel = "MIB",
            description = "size of the memory bandwidth test buffer (default: ${DEFAULT-VALUE}; 0 skips the test)")
    int bandwidthMib;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "where generated models are kept (default: nemotron4j-bench in the system temp folder)")
    Path cacheDir;

    @Option(names = "--concurrency", split = ",", paramLabel = "N[,N...]",
            description = "also decode this many sequences together, one batched step per token for all of them,"
                    + " and report total and per-stream tokens/s for each (e.g. 1,2,4,8)")
    int[] concurrency = {};

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || promptTokens < 0 || genTokens < 0 || depth < 0 || (promptTokens == 0 && genTokens == 0)) {
            throw new ParameterException(spec.commandLine(),
                    "--repeat must be at least 1, token counts 0 or more, and at least one of --prompt-tokens and --gen-tokens positive");
        }
        if (concurrency.length > 0 && (genTokens == 0 || java.util.Arrays.stream(concurrency).anyMatch(c -> c < 1))) {
            throw new ParameterException(spec.commandLine(),
                    "--concurrency needs levels of at least 1 and --gen-tokens above 0");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path file = source.model != null ? source.model : generated(err);
        EngineOptions options = EngineOptions.defaults();
        if (threads != null) {
            options = options.withThreads(threads);
        }
        int widest = java.util.Arrays.stream(concurrency).max().orElse(1);
        if (widest > options.prefillChunk()) {
            options = options.withPrefillChunk(widest);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        try (NemotronHModel model = NemotronHModel.load(file, options)) {
            NemotronHConfig c = model.config();
            if ((long) depth + Math.max(promptTokens, genTokens) > c.contextLength()) {
                throw new ParameterException(spec.commandLine(), "--depth plus the test length exceeds the context of "
                        + c.contextLength());
            }
            int[] tokens = randomTokens(c.vocabSize(), depth + Math.max(promptTokens, genTokens));
            double[] pp = new double[promptTokens > 0 ? repeat : 0];
            double[] tg = new double[genTokens > 0 ? repeat : 0];
            float[] logits = new float[c.vocabSize()];
            int[] one = new int[1];
            warmUp(model, tokens, logits, one);
            for (int r = 0; r < repeat; r++) {
                if (promptTokens > 0) {
                    SequenceState s = primed(model, tokens, logits);
                    long t0 = System.nanoTime();
                    model.forward(s, tokens, depth, promptTokens, Logits.LAST, logits, null);
                    pp[r] = promptTokens / ((System.nanoTime() - t0) / 1e9);
                }
                if (genTokens > 0) {
                    SequenceState s = primed(model, tokens, logits);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < genTokens; i++) {
                        one[0] = tokens[depth + i];
                        model.forward(s, one, 0, 1, Logits.LAST, logits, null);
                    }
                    tg[r] = genTokens / ((System.nanoTime() - t0) / 1e9);
                }
            }
            List<Map<String, Object>> levels = new ArrayList<>();
            for (int streams : concurrency) {
                levels.add(concurrent(model, tokens, streams));
            }
            long bytesPerToken = bytesPerDecodedToken(model, depth + genTokens / 2);
            // Before the bandwidth test, whose buffer (and the heap its first, interpreted pass churns) is not the
            // engine's.
            long resident = Units.residentBytes();
            double bandwidth = bandwidthMib > 0
                    ? MemoryBandwidth.measure(options.threads(), (long) bandwidthMib << 20, 5) : 0;
            result.put("model", file.toString());
            result.put("file_bytes", model.file().fileSize());
            result.put("pattern", c.pattern());
            result.put("threads", options.threads());
            result.put("depth", depth);
            result.put("prompt_tokens", promptTokens);
            result.put("gen_tokens", genTokens);
            result.put("repeat", repeat);
            result.put("prefill_tps", mean(pp));
            result.put("prefill_tps_stdev", stdev(pp));
            result.put("decode_tps", mean(tg));
            result.put("decode_tps_stdev", stdev(tg));
            result.put("bytes_per_token", bytesPerToken);
            result.put("bandwidth_gbs", bandwidth / 1e9);
            result.put("decode_limit_tps", bandwidth > 0 ? bandwidth / bytesPerToken : 0);
            result.put("decode_fraction_of_limit", bandwidth > 0 ? mean(tg) * bytesPerToken / bandwidth : 0);
            if (concurrency.length > 0) {
                result.put("concurrency", levels);
            }
            result.put("resident_bytes", resident);
            result.put("java", Runtime.version().toString());
            result.put("kernels", TensorFormats.kernels());
        }
        print(result);
        return 0;
    }

    /**
     * The line saying how close decode came to the bandwidth limit. Decode cannot outrun memory, so a fraction above
     * one means the bandwidth test was disturbed (a busy neighbour on a shared host) and says so.
     */
    static String fractionOfLimit(double fraction) {
        String line = String.format(Locale.ROOT, "decode at %.0f%% of the bandwidth limit", 100 * fraction);
        return fraction <= 1 ? line
                : line + " (decode read faster than the bandwidth test: the machine was busy during the test, so "
                        + "the fraction means nothing; run again)";
    }

    /**
     * Decodes {@code streams} sequences together, {@code genTokens} batched steps, {@code repeat} times: the
     * decode throughput of continuous batching, without sampling or scheduling around it.
     */
    private Map<String, Object> concurrent(NemotronHModel model, int[] tokens, int streams) {
        int vocab = model.config().vocabSize();
        float[] logits = new float[streams * vocab];
        ForwardBatch batch = model.newBatch();
        double[] total = new double[repeat];
        for (int r = 0; r < repeat; r++) {
            SequenceState[] states = new SequenceState[streams];
            for (int i = 0; i < streams; i++) {
                states[i] = primed(model, tokens, logits);
            }
            long t0 = System.nanoTime();
            for (int step = 0; step < genTokens; step++) {
                batch.clear();
                for (int i = 0; i < streams; i++) {
                    // Each stream feeds a different token, as independent requests would.
                    batch.add(states[i], tokens, depth + (step + i) % genTokens, 1, true);
                }
                model.forward(batch, logits);
            }
            total[r] = (double) streams * genTokens / ((System.nanoTime() - t0) / 1e9);
        }
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("streams", streams);
        level.put("total_tps", mean(total));
        level.put("total_tps_stdev", stdev(total));
        level.put("per_stream_tps", mean(total) / streams);
        return level;
    }

    /**
     * One short untimed pass before the repeats, as llama-bench does: the JIT compiles the kernels and the
     * weights' pages come into memory, so that the first repeat is not a cold outlier.
     */
    private void warmUp(NemotronHModel model, int[] tokens, float[] logits, int[] one) {
        if (promptTokens > 0) {
            model.forward(primed(model, tokens, logits), tokens, depth, Math.min(promptTokens, WARM_UP_TOKENS),
                    Logits.LAST, logits, null);
        }
        SequenceState s = primed(model, tokens, logits);
        for (int i = 0; i < Math.min(genTokens, WARM_UP_TOKENS); i++) {
            one[0] = tokens[depth + i];
            model.forward(s, one, 0, 1, Logits.LAST, logits, null);
        }
    }

    /**
     * A fresh sequence that already holds {@code depth} tokens: the first call prefills them, later calls copy that
     * sequence, so a deep test pays for its prefill once rather than once per repeat and stream.
     */
    private SequenceState primed(NemotronHModel model, int[] tokens, float[] logits) {
        SequenceState s = model.newState();
        if (depth > 0) {
            if (deep == null) {
                deep = model.newState();
                model.forward(deep, tokens, 0, depth, Logits.LAST, logits, null);
            }
            s.copyFrom(deep);
        }
        return s;
    }

    private Path generated(PrintWriter err) throws Exception {
        GGMLType type = GGMLType.valueOf(dtype.toUpperCase(Locale.ROOT));
        ModelSpec shape = ModelSpec.load(source.shape);
        String name = Path.of(source.shape).getFileName().toString().replace(".json", "");
        Path dir = cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "nemotron4j-bench");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + type.name().toLowerCase(Locale.ROOT) + "-seed" + shape.seed() + ".gguf");
        if (!Files.exists(file)) {
            err.printf("generating %s (once; reused by later runs)...%n", file);
            err.flush();
            Path partial = dir.resolve(file.getFileName() + ".partial");
            RandomModelGenerator.write(shape, type, partial);
            Files.move(partial, file);
        }
        return file;
    }

    /**
     * What one decode step reads: every weight once (the embedding table only for one row), the Mamba states read
     * and written, and the KV cache up to the current position.
     */
    static long bytesPerDecodedToken(NemotronHModel model, int position) {
        NemotronHConfig c = model.config();
        long bytes = 0;
        for (GGUFTensorInfo t : model.file().tensors()) {
            bytes += t.name().equals("token_embd.weight") && model.file().findTensor("output.weight").isPresent()
                    ? t.byteSize() / c.vocabSize() : t.byteSize();
        }
        return bytes + 2 * c.mambaStateBytes() + c.kvBytesPerPosition() * position;
    }

    private static int[] randomTokens(int vocab, int n) {
        SplittableRandom r = new SplittableRandom(1234);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(vocab);
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double stdev(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private void print(Map<String, Object> r) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.shared().writeValueAsString(r));
        } else {
            out.printf(Locale.ROOT, "| model | size | threads | test | t/s |%n|---|---|---|---|---|%n");
            String model = Path.of((String) r.get("model")).getFileName().toString();
            String size = Units.bytes((Long) r.get("file_bytes"));
            String at = depth > 0 ? " @ d" + depth : "";
            if (promptTokens > 0) {
                out.printf(Locale.ROOT, "| %s | %s | %d | pp%d%s | %.2f ± %.2f |%n", model, size, r.get("threads"),
                        promptTokens, at, r.get("prefill_tps"), r.get("prefill_tps_stdev"));
            }
            if (genTokens > 0) {
                out.printf(Locale.ROOT, "| %s | %s | %d | tg%d%s | %.2f ± %.2f |%n", model, size, r.get("threads"),
                        genTokens, at, r.get("decode_tps"), r.get("decode_tps_stdev"));
                out.printf(Locale.ROOT, "%nbytes read per decoded token: %s%n", Units.bytes((Long) r.get("bytes_per_token")));
                if (bandwidthMib > 0) {
                    out.printf(Locale.ROOT, "memory bandwidth (%d threads, read): %.1f GB/s -> decode limit %.2f t/s%n",
                            r.get("threads"), r.get("bandwidth_gbs"), r.get("decode_limit_tps"));
                    out.println(fractionOfLimit((Double) r.get("decode_fraction_of_limit")));
                }
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> levels = (List<Map<String, Object>>) r.getOrDefault("concurrency", List.of());
            if (!levels.isEmpty()) {
                out.printf(Locale.ROOT, "%n| streams | total t/s | per-stream t/s | vs 1 stream |%n|---|---|---|---|%n");
                double base = (Double) levels.getFirst().get("total_tps") / (Integer) levels.getFirst().get("streams");
                for (Map<String, Object> level : levels) {
                    out.printf(Locale.ROOT, "| %d | %.2f ± %.2f | %.2f | %.2fx |%n", level.get("streams"),
                            level.get("total_tps"), level.get("total_tps_stdev"), level.get("per_stream_tps"),
                            (Double) level.get("total_tps") / base);
                }
            }
            out.printf(Locale.ROOT, "resident memory %s, Java %s, kernels: %s%n",
                    Units.bytes((Long) r.get("resident_bytes")), r.get("java"), r.get("kernels"));
        }
        out.flush();
    }
}
