package io.nemotron4j.engine.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.GenerationResult;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Whole generations through {@link NemotronEngine}: answers produced side by side in one batch, and answers whose
 * system prompt came from a prefix snapshot, are exactly the answers produced one at a time from scratch. Runs the
 * real tokenizer, chat template and (random-weight) model, sampling greedily.
 */
class ConcurrentGenerationTest {

    private static final String SYSTEM = "You are a careful assistant for a shipping company. Answer in one short "
            + "sentence, name the port of call when you know it, and never invent tracking numbers or dates.";
    private static final List<String> QUESTIONS = List.of("Where is my parcel?", "Which ports do you serve?",
            "How heavy may a crate be?");

    private static NemotronEngine load(long prefixCacheBytes) throws IOException {
        return NemotronEngine.load(TestResources.path("reference/tokenizer/nemotron-h-tok-tekken.gguf"),
                new EngineOptions(1, 64), new SchedulerOptions(4, 1L << 30, 16, 16, prefixCacheBytes));
    }

    private static GenerationRequest ask(String question) {
        return new GenerationRequest(List.of(ChatMessage.system(SYSTEM), ChatMessage.user(question)), List.of(),
                GenerationOptions.builder().maxTokens(24).thinking(ThinkingMode.OFF).build());
    }

    private static List<GenerationResult> oneAtATime(NemotronEngine engine) {
        List<GenerationResult> results = new ArrayList<>();
        for (String q : QUESTIONS) {
            results.add(engine.generate(ask(q)));
        }
        return results;
    }

    private static List<GenerationResult> sideBySide(NemotronEngine engine) throws Exception {
        List<CompletableFuture<GenerationResult>> running = new ArrayList<>();
        for (String q : QUESTIONS) {
            running.add(CompletableFuture.supplyAsync(() -> engine.generate(ask(q))));
        }
        List<GenerationResult> results = new ArrayList<>();
        for (CompletableFuture<GenerationResult> r : running) {
            results.add(r.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void assertSameAnswers(List<GenerationResult> actual, List<GenerationResult> expected) {
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).answer()).as("answer %d", i).isEqualTo(expected.get(i).answer());
            assertThat(actual.get(i).finishReason()).isEqualTo(expected.get(i).finishReason());
            assertThat(actual.get(i).usage().generatedTokens()).isEqualTo(expected.get(i).usage().generatedTokens());
        }
    }

    @Test
    void batchedAndPrefixReusingGenerationsEqualSoloOnesFromScratch() throws Exception {
        List<GenerationResult> solo;
        try (NemotronEngine plain = load(0)) {
            solo = oneAtATime(plain);
            assertThat(plain.scheduler().metrics().prefixHits()).isZero();
        }
        assertThat(solo).allSatisfy(r -> assertThat(r.usage().generatedTokens()).isPositive());
        try (NemotronEngine reusing = load(16L << 20)) {
            assertSameAnswers(sideBySide(reusing), solo);
            long afterFirstRound = reusing.scheduler().metrics().prefixHits();
            assertSameAnswers(sideBySide(reusing), solo);
            assertSameAnswers(oneAtATime(reusing), solo);
            SchedulerMetrics m = reusing.scheduler().metrics();
            assertThat(m.prefixHits() - afterFirstRound).as("hits in the later rounds").isEqualTo(6);
            assertThat(m.prefixCacheBytes()).isPositive();
            assertThat(m.reservedBytes()).isZero();
            assertThat(m.finished()).isEqualTo(9);
        }
    }
}
