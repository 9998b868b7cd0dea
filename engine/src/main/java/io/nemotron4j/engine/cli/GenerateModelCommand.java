package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.model.ModelSpec;
import io.nemotron4j.engine.model.RandomModelGenerator;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nemotron4j generate-model}: write a random-weight Nemotron-H GGUF of any shape. */
@Command(name = "generate-model", mixinStandardHelpOptions = true,
        description = {"Writes a Nemotron-H GGUF with random weights, for tests and benchmarks.",
                "Big matrices are stored as --dtype (K-quants fall back to Q5_0/Q8_0 where rows are not a multiple"
                        + " of 256, as llama-quantize does); norms, conv, A, D and biases as F32."})
final class GenerateModelCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "CONFIG",
            description = "a JSON spec (keys as in the reference config.json: pattern, n_embd, n_vocab, n_head, ...)"
                    + " or a preset: nano-9b-v2 (the exact NVIDIA-Nemotron-Nano-9B-v2 shape), nano-9b-v2-shallow"
                    + " (its widths, 4 layers, vocabulary 1024)")
    String config;

    @Option(names = "--dtype", defaultValue = "Q8_0", paramLabel = "TYPE",
            description = "storage of the big matrices: F32, F16, BF16, Q8_0, Q4_0, Q5_0, Q4_K, Q5_K, Q6_K (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "where to write the model")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "override the spec's random seed")
    Long seed;

    @Option(names = "--tokenizer-from", paramLabel = "FILE.gguf",
            description = "copy the tokenizer and chat template (all tokenizer.* keys) of this GGUF, and take its"
                    + " vocabulary size, so the random model can be chatted with")
    Path tokenizerFrom;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GGMLType type;
        try {
            type = GGMLType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "unknown --dtype " + dtype);
        }
        if (!type.isSupported()) {
            throw new ParameterException(spec.commandLine(), "--dtype " + type + " is not supported");
        }
        ModelSpec model = ModelSpec.load(config);
        if (seed != null) {
            model = model.withSeed(seed);
        }
        Map<String, GGUFValue> tokenizer = new LinkedHashMap<>();
        if (tokenizerFrom != null) {
            try (GGUFFile source = GGUFFile.open(tokenizerFrom)) {
                source.metadata().asMap().forEach((k, v) -> {
                    if (k.startsWith("tokenizer.")) {
                        tokenizer.put(k, v);
                    }
                });
                if (!tokenizer.containsKey("tokenizer.ggml.tokens")) {
                    throw new GGUFException(tokenizerFrom + " has no tokenizer (tokenizer.ggml.tokens is missing)");
                }
                model = model.withVocab(source.metadata().getArray("tokenizer.ggml.tokens").length());
            }
        }
        long t0 = System.nanoTime();
        RandomModelGenerator.write(model, type, out, tokenizer);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %s (%s, %s) in %.1f s%n", out, model.name(), Units.bytes(Files.size(out)),
                (System.nanoTime() - t0) / 1e9);
        w.flush();
        return 0;
    }
}
