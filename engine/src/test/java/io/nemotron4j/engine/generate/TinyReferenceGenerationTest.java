package io.nemotron4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded generation with the tiny reference models is reproducible across engine instances (a fresh load, as a
 * separate run would do), across thread counts, and changes with the seed. These files carry a 512-token GPT-2
 * style vocabulary and no chat template, so the built-in Nano v2 template renders the prompt.
 */
class TinyReferenceGenerationTest {

    private static GenerationResult generate(String model, long seed, int threads) throws IOException {
        try (NemotronEngine engine = NemotronEngine.load(TestResources.path("reference/tiny/" + model + ".gguf"),
                EngineOptions.defaults().withThreads(threads))) {
            GenerationOptions options = GenerationOptions.builder().maxTokens(24)
                    .sampling(SamplingOptions.reasoningDefaults(seed).withTemperature(1f)).thinkingBudget(8).build();
            return engine.generate(GenerationRequest.of("The quick brown fox jumps over the lazy dog.").withOptions(options));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32", "tiny-f16", "tiny-bf16", "tiny-q8_0"})
    void sameSeedSameTextOnEveryRun(String model) throws IOException {
        GenerationResult first = generate(model, 2024, 2);
        GenerationResult again = generate(model, 2024, 1);
        assertThat(again.reasoning()).isEqualTo(first.reasoning());
        assertThat(again.answer()).isEqualTo(first.answer());
        assertThat(again.usage().generatedTokens()).isEqualTo(first.usage().generatedTokens()).isPositive();
        assertThat(first.usage().reasoningTokens()).isLessThanOrEqualTo(8 + GenerationOptions.DEFAULT_THINKING_GRACE);
        GenerationResult other = generate(model, 2025, 2);
        assertThat(other.reasoning() + other.answer()).isNotEqualTo(first.reasoning() + first.answer());
    }
}
