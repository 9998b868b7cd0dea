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
import io.nemotron4j.spring.testsupport.ScriptedChooser;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link GenerationScheduler}: slots, the waiting line, rejection, cancellation in every state, and the counters.
 * Generations are held at their first token by a chooser that waits on a latch, so each state is reached on
 * purpose rather than by timing.
 */
class GenerationSchedulerTests {

    private static NemotronEngine engine;

    private final CountDownLatch release = new CountDownLatch(1);

    private final List<CompletedGeneration> completed = new CopyOnWriteArrayList<>();

    private GenerationScheduler scheduler;

    @BeforeAll
    static void loadModel() {
        engine = TinyModel.load();
    }

    @AfterAll
    static void closeModel() {
        engine.close();
    }

    @AfterEach
    void releaseAll() {
        this.release.countDown();
        if (this.scheduler != null) {
            this.scheduler.close();
        }
    }

    private static GenerationRequest request(String text) {
        return new GenerationRequest(List.of(ChatMessage.user(text)), List.of(),
                GenerationOptions.builder().maxTokens(40).thinking(ThinkingMode.OFF).build());
    }

    /** Says "ok" once the test releases it. */
    private TokenChooser held() {
        ScriptedChooser says = ScriptedChooser.says(engine.tokenizer(), "ok");
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

    private GenerationScheduler scheduler(int slots, int queue) {
        this.scheduler = new GenerationScheduler(engine, slots, queue);
        this.scheduler.addListener(this.completed::add);
        return this.scheduler;
    }

    @Test
    void requestsBeyondTheSlotsWaitAndStartInOrderAsSlotsFree() {
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
        await().atMost(Duration.ofSeconds(10)).until(() -> this.completed.size() == 3);
        assertThat(s.activeGenerations()).isZero();
        assertThat(s.queuedRequests()).isZero();
        GenerationStatistics stats = s.statistics();
        assertThat(stats.completedGenerations()).isEqualTo(3);
        assertThat(stats.answerTokens()).isEqualTo(3L * engine.tokenizer().encodeWithSpecials("ok").length);
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
    void aFullWaitingLineRejectsWithAClearMessage() {
        GenerationScheduler s = scheduler(1, 1);
        s.submit(request("one"), e -> {
        }, this::held);
        s.submit(request("two"), e -> {
        }, this::held);
        assertThatThrownBy(() -> s.submit(request("three"), e -> {
        }, this::held)).isInstanceOf(GenerationRejectedException.class)
            .hasMessageContaining("all 1 generation slots are busy")
            .hasMessageContaining("nemotron.engine.max-queued-requests");
        assertThat(s.statistics().rejectedRequests()).isEqualTo(1);
    }

    @Test
    void cancellingAWaitingRequestRemovesItAndTellsItsListener() {
        GenerationScheduler s = scheduler(1, 2);
        s.submit(request("one"), e -> {
        }, this::held);
        List<GenerationEvent> events = new CopyOnWriteArrayList<>();
        GenerationScheduler.Ticket waiting = s.submit(request("two"), events::add, this::held);
        assertThat(s.queuedRequests()).isEqualTo(1);

        waiting.cancel();

        assertThat(s.queuedRequests()).isZero();
        GenerationEvent.Finished end = waiting.completion().join();
        assertThat(end.reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(end.usage().generatedTokens()).isZero();
        assertThat(events).containsExactly(end);
    }

    @Test
    void cancellingARunningGenerationStopsIt() {
        GenerationScheduler s = scheduler(1, 0);
        GenerationScheduler.Ticket running = s.submit(request("one"), e -> {
        }, () -> ScriptedChooser.repeatsForever(engine.tokenizer(), "la "));
        running.cancel();
        assertThat(running.completion().orTimeout(60, TimeUnit.SECONDS).join().reason())
            .isEqualTo(FinishReason.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.activeGenerations() == 0);
    }

    @Test
    void aRequestThatCannotStartFailsItsTicketAndFreesNothingItDoesNotHold() {
        GenerationScheduler s = scheduler(1, 2);
        GenerationScheduler.Ticket first = s.submit(request("one"), e -> {
        }, this::held);
        GenerationScheduler.Ticket tooLong = s.submit(request("word ".repeat(5000)), e -> {
        }, this::held);
        GenerationScheduler.Ticket third = s.submit(request("three"), e -> {
        }, this::held);
        this.release.countDown();

        assertThat(tooLong.completion()).failsWithin(Duration.ofSeconds(60))
            .withThrowableThat()
            .havingRootCause()
            .isInstanceOf(PromptTooLongException.class);
        assertThat(first.completion().orTimeout(60, TimeUnit.SECONDS).join().reason()).isEqualTo(FinishReason.STOP);
        assertThat(third.completion().orTimeout(60, TimeUnit.SECONDS).join().reason()).isEqualTo(FinishReason.STOP);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.activeGenerations() == 0);
    }

    @Test
    void aRequestThatCannotStartAtOnceThrowsAndKeepsTheSlotFree() {
        GenerationScheduler s = scheduler(1, 0);
        assertThatThrownBy(() -> s.submit(request("word ".repeat(5000)), e -> {
        }, null)).isInstanceOf(PromptTooLongException.class);
        assertThat(s.activeGenerations()).isZero();
        GenerationScheduler.Ticket next = s.submit(request("hi"), e -> {
        }, () -> ScriptedChooser.says(engine.tokenizer(), "ok"));
        assertThat(next.completion().orTimeout(60, TimeUnit.SECONDS).join().reason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void closingCancelsEverythingAndRefusesNewRequests() {
        GenerationScheduler s = scheduler(1, 2);
        GenerationScheduler.Ticket running = s.submit(request("one"), e -> {
        }, () -> ScriptedChooser.repeatsForever(engine.tokenizer(), "la "));
        GenerationScheduler.Ticket waiting = s.submit(request("two"), e -> {
        }, this::held);

        s.close();

        assertThat(s.isClosed()).isTrue();
        assertThat(waiting.completion().join().reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(running.completion().orTimeout(60, TimeUnit.SECONDS).join().reason())
            .isEqualTo(FinishReason.CANCELLED);
        assertThatThrownBy(() -> s.submit(request("three"), e -> {
        }, null)).isInstanceOf(GenerationRejectedException.class).hasMessageContaining("shutting down");
    }

    @Test
    void listenersHearOfEveryGenerationWithItsWaitingTime() {
        GenerationScheduler s = scheduler(1, 1);
        GenerationScheduler.Ticket first = s.submit(request("one"), e -> {
        }, this::held);
        GenerationScheduler.Ticket second = s.submit(request("two"), e -> {
        }, () -> ScriptedChooser.says(engine.tokenizer(), "fine, thank you very much"));
        this.release.countDown();
        first.completion().orTimeout(60, TimeUnit.SECONDS).join();
        second.completion().orTimeout(60, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.completed.size() == 2);
        CompletedGeneration waited = this.completed.stream()
            .filter(c -> c.usage().answerTokens() == engine.tokenizer().encodeWithSpecials("fine, thank you very much").length)
            .findFirst()
            .orElseThrow();
        assertThat(waited.queueTime()).isPositive();
        assertThat(waited.timeToFirstToken()).hasValueSatisfying(t -> assertThat(t).isGreaterThan(waited.queueTime()));
        assertThat(waited.finishReason()).isEqualTo(FinishReason.STOP);
    }
}
