package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.PromptTooLongException;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.engine.serve.SchedulerOptions;
import io.nemotron4j.spring.testsupport.ScriptedChooser;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link GenerationScheduler} in front of the engine's own admission: waiting, refusal with a retry-after hint,
 * cancellation in every state, and the counters. A chooser that waits on a latch holds the engine's step thread at
 * a generation's first token, so each state is reached on purpose rather than by timing.
 */
class GenerationSchedulerTests {

    private final CountDownLatch release = new CountDownLatch(1);

    private final List<CompletedGeneration> completed = new CopyOnWriteArrayList<>();

    private NemotronEngine engine;

    private GenerationScheduler scheduler;

    @AfterEach
    void releaseAll() {
        this.release.countDown();
        if (this.scheduler != null) {
            this.scheduler.close();
        }
        if (this.engine != null) {
            this.engine.close();
        }
    }

    private static GenerationRequest request(String text) {
        return new GenerationRequest(List.of(ChatMessage.user(text)), List.of(),
                GenerationOptions.builder().maxTokens(40).thinking(ThinkingMode.OFF).build());
    }

    /** Says "ok" once the test releases it; until then the engine's step thread waits in it. */
    private TokenChooser held() {
        return held(ScriptedChooser.says(this.engine.tokenizer(), "ok"));
    }

    /** Picks what the script picks, each time only once the test has released it. */
    private TokenChooser held(ScriptedChooser says) {
        return new TokenChooser() {
            @Override
            public int choose(float[] logits) {
                try {
                    GenerationSchedulerTests.this.release.await(60, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return says.choose(logits);
            }

            @Override
            public void accept(int token) {
                says.accept(token);
            }
        };
    }

    private GenerationScheduler scheduler(int sequences, int queue) {
        this.engine = TinyModel.load(new SchedulerOptions(sequences, 1L << 30, queue, 32, 0));
        this.scheduler = new GenerationScheduler(this.engine);
        this.scheduler.addListener(this.completed::add);
        return this.scheduler;
    }

    @Test
    void requestsBeyondTheSequencesWaitAndStartInOrder() {
        GenerationScheduler s = scheduler(1, 4);
        List<String> order = new CopyOnWriteArrayList<>();
        GenerationScheduler.Ticket first = s.submit(request("one"), e -> record(order, "one", e), this::held);
        GenerationScheduler.Ticket second = s.submit(request("two"), e -> record(order, "two", e), this::held);
        GenerationScheduler.Ticket third = s.submit(request("three"), e -> record(order, "three", e), this::held);

        assertThat(s.activeGenerations()).isEqualTo(1);
        assertThat(s.queuedRequests()).isEqualTo(2);
        assertThat(s.statistics().queuedRequests()).isEqualTo(2);

        this.release.countDown();
        assertThat(third.completion().orTimeout(60, TimeUnit.SECONDS).join().reason()).isEqualTo(FinishReason.STOP);
        assertThat(first.completion().join().reason()).isEqualTo(FinishReason.STOP);
        assertThat(second.completion().join().reason()).isEqualTo(FinishReason.STOP);
        assertThat(order).containsExactly("one", "two", "three");
        assertThat(second.queueTime()).isPositive();
        assertThat(this.completed).hasSize(3);
        assertThat(s.activeGenerations()).isZero();
        assertThat(s.queuedRequests()).isZero();
        GenerationStatistics stats = s.statistics();
        assertThat(stats.completedGenerations()).isEqualTo(3);
        assertThat(stats.answerTokens()).isEqualTo(3L * this.engine.tokenizer().encodeWithSpecials("ok").length);
        assertThat(stats.promptTokens()).isPositive();
        assertThat(stats.maxConcurrentGenerations()).isEqualTo(1);
        assertThat(stats.maxQueuedRequests()).isEqualTo(4);
    }

    private static void record(List<String> order, String name, GenerationEvent event) {
        if (event instanceof GenerationEvent.Finished) {
            order.add(name);
        }
    }

    @Test
    void aFullWaitingLineRejectsWithARetryHint() {
        GenerationScheduler s = scheduler(1, 1);
        s.submit(request("one"), e -> {
        }, this::held);
        s.submit(request("two"), e -> {
        }, this::held);
        assertThatThrownBy(() -> s.submit(request("three"), e -> {
        }, this::held)).isInstanceOfSatisfying(GenerationRejectedException.class,
                ex -> assertThat(ex.getRetryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive()))
            .hasMessageContaining("1 sequences are running")
            .hasMessageContaining("nemotron.engine.queue-size");
        assertThat(s.statistics().rejectedRequests()).isEqualTo(1);
        assertThat(s.queuedRequests()).isEqualTo(1);
    }

    @Test
    void aCancelledWaitingRequestEndsWithoutRunningAndTellsItsListener() {
        GenerationScheduler s = scheduler(1, 2);
        s.submit(request("one"), e -> {
        }, this::held);
        List<GenerationEvent> events = new CopyOnWriteArrayList<>();
        GenerationScheduler.Ticket waiting = s.submit(request("two"), events::add, this::held);
        assertThat(s.queuedRequests()).isEqualTo(1);

        waiting.cancel();
        this.release.countDown();

        GenerationEvent.Finished end = waiting.completion().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(end.reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(end.usage().generatedTokens()).isZero();
        assertThat(events).containsExactly(end);
        assertThat(s.queuedRequests()).isZero();
    }

    @Test
    void cancellingARunningGenerationStopsIt() {
        GenerationScheduler s = scheduler(1, 0);
        // Held in its first pick until cancelled, so it cannot reach its token limit first.
        GenerationScheduler.Ticket running = s.submit(request("one"), e -> {
        }, () -> held(ScriptedChooser.repeatsForever(this.engine.tokenizer(), "la ")));
        running.cancel();
        this.release.countDown();
        assertThat(running.completion().orTimeout(60, TimeUnit.SECONDS).join().reason())
            .isEqualTo(FinishReason.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.activeGenerations() == 0);
        assertThat(s.schedulerMetrics().reservedBytes()).isZero();
    }

    @Test
    void aRequestThatCannotRunThrowsAndTakesNoPlace() {
        GenerationScheduler s = scheduler(1, 0);
        assertThatThrownBy(() -> s.submit(request("word ".repeat(5000)), e -> {
        }, null)).isInstanceOf(PromptTooLongException.class);
        assertThat(s.activeGenerations()).isZero();
        GenerationScheduler.Ticket next = s.submit(request("hi"), e -> {
        }, () -> ScriptedChooser.says(this.engine.tokenizer(), "ok"));
        assertThat(next.completion().orTimeout(60, TimeUnit.SECONDS).join().reason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void closingCancelsItsGenerationsAndRefusesNewRequests() {
        GenerationScheduler s = scheduler(1, 2);
        GenerationScheduler.Ticket running = s.submit(request("one"), e -> {
        }, () -> held(ScriptedChooser.repeatsForever(this.engine.tokenizer(), "la ")));
        GenerationScheduler.Ticket waiting = s.submit(request("two"), e -> {
        }, this::held);

        s.close();
        this.release.countDown();

        assertThat(s.isClosed()).isTrue();
        assertThat(waiting.completion().orTimeout(60, TimeUnit.SECONDS).join().reason())
            .isEqualTo(FinishReason.CANCELLED);
        assertThat(running.completion().orTimeout(60, TimeUnit.SECONDS).join().reason())
            .isEqualTo(FinishReason.CANCELLED);
        assertThatThrownBy(() -> s.submit(request("three"), e -> {
        }, null)).isInstanceOf(GenerationRejectedException.class)
            .hasMessageContaining("shutting down")
            .satisfies(ex -> assertThat(((GenerationRejectedException) ex).getRetryAfter()).isEmpty());
    }

    @Test
    void listenersHearOfEveryGenerationWithItsWaitingTime() {
        GenerationScheduler s = scheduler(1, 1);
        GenerationScheduler.Ticket first = s.submit(request("one"), e -> {
        }, this::held);
        GenerationScheduler.Ticket second = s.submit(request("two"), e -> {
        }, () -> ScriptedChooser.says(this.engine.tokenizer(), "fine, thank you very much"));
        this.release.countDown();
        first.completion().orTimeout(60, TimeUnit.SECONDS).join();
        second.completion().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(this.completed).hasSize(2);
        CompletedGeneration waited = this.completed.stream()
            .filter(c -> c.usage().answerTokens() == this.engine.tokenizer()
                .encodeWithSpecials("fine, thank you very much").length)
            .findFirst()
            .orElseThrow();
        assertThat(waited.queueTime()).isPositive();
        assertThat(waited.timeToFirstToken()).hasValueSatisfying(t -> assertThat(t).isGreaterThan(waited.queueTime()));
        assertThat(waited.finishReason()).isEqualTo(FinishReason.STOP);
    }
}
