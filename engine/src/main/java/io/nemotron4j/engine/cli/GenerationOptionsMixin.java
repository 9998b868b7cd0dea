package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.SamplingOptions;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.model.EngineOptions;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The model and generation options shared by {@code run} and {@code chat}. */
final class GenerationOptionsMixin {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "the GGUF model")
    Path model;

    @ArgGroup(exclusive = true)
    Thinking thinking;

    static final class Thinking {
        @Option(names = "--think", description = "reason before answering (the model's default)")
        boolean on;

        @Option(names = "--no-think", description = "answer without reasoning")
        boolean off;
    }

    @Option(names = "--thinking-budget", paramLabel = "N",
            description = "at most N reasoning tokens, then the engine closes the reasoning (0 = no reasoning)")
    Integer thinkingBudget;

    @Option(names = "--thinking-grace", defaultValue = "32", paramLabel = "N",
            description = "tokens the model may use to finish its line once the budget is spent (default: ${DEFAULT-VALUE})")
    int thinkingGrace;

    @Option(names = "--max-tokens", defaultValue = "2048", paramLabel = "N",
            description = "most tokens to generate, reasoning included (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T",
            description = "0 for greedy (default: 0.6 with reasoning, 0 without, as NVIDIA recommends)")
    Float temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "nucleus sampling (default: 0.95 with reasoning, else 1)")
    Float topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "keep the K most likely tokens (0 = off)")
    int topK;

    @Option(names = "--min-p", defaultValue = "0", paramLabel = "P", description = "drop tokens below P x the best (0 = off)")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1", paramLabel = "X", description = "repetition penalty (1 = off)")
    float repeatPenalty;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "end the answer at this text (repeatable)")
    List<String> stop = List.of();

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: available cores)")
    Integer threads;

    ThinkingMode thinkingMode() {
        if (thinking == null) {
            return ThinkingMode.DEFAULT;
        }
        return thinking.off ? ThinkingMode.OFF : ThinkingMode.ON;
    }

    EngineOptions engineOptions() {
        EngineOptions o = EngineOptions.defaults();
        return threads == null ? o : o.withThreads(threads);
    }

    GenerationOptions generationOptions() {
        boolean reasoning = thinkingMode() != ThinkingMode.OFF && (thinkingBudget == null || thinkingBudget > 0);
        float t = temperature != null ? temperature : reasoning ? 0.6f : 0f;
        float p = topP != null ? topP : reasoning ? 0.95f : 1f;
        SamplingOptions sampling = new SamplingOptions(t, topK, p, minP, repeatPenalty, 0f, 0f, 64, seed);
        return GenerationOptions.builder()
                .maxTokens(maxTokens)
                .sampling(sampling)
                .stop(stop)
                .thinking(thinkingMode())
                .thinkingBudget(thinkingBudget == null ? GenerationOptions.UNLIMITED : thinkingBudget)
                .thinkingGrace(thinkingGrace)
                .build();
    }
}
