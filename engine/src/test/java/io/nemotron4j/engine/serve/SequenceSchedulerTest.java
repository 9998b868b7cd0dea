package io.nemotron4j.engine.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.model.Logits;
import io.nemotron4j.engine.model.ModelSpec;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.RandomModelGenerator;
import io.nemotron4j.engine.model.SequenceState;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler on a real (small, random-weight, F32) model with scripted jobs: each job feeds a fixed sequence of
 * tokens and records the logits it is shown, so its output can be held against a solo run of the same tokens.
 * Progress is asserted by step counts, never by wall-clock time.
 */
class SequenceSchedulerTest {

    private static final int VOCAB = 300;
    private static final ModelSpec HYBRID = new ModelSpec("hybrid", "M*-M*M-", 64, VOCAB, 4096, 4, 2, 16, 96, 128,
            16, 2, 8, 4, 1e-5f, 99, false);
    private static final long WAIT_SECONDS = 30;

    @TempDir
    static Path dir;
    private static Path file;

    private NemotronHModel model;
    private SequenceScheduler scheduler;

    @BeforeAll
    static void writeModel() throws IOException {
        file = dir.resolve("hybrid.gguf");
        RandomModelGenerator.write(HYBRID, GGMLType.F32, file);
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private SequenceScheduler start(SchedulerOptions options) throws IOException {
        model = NemotronHModel.load(file, new EngineOptions(2, 32));
        scheduler = new SequenceScheduler(model, options);
        return scheduler;
    }

    private static SchedulerOptions options() {
        return new SchedulerOptions(8, 1L << 30, 16, 16, 0);
    }

    private static int[] tokens(int n, long seed) {
        return new SplittableRandom(seed).ints(n, 0, VOCAB).toArray();
    }

    /**
     * Feeds {@code continuation} one token per step after its prompt, recording the logits shown after the prompt
     * and after every token, and the scheduler's step count at each call.
     */
    private class Scripted implements SequenceJob {
        final int[] prompt;
        final int[] continuation;
        final int sharedPrefix;
        final List<float[]> seen = new ArrayList<>();
        final List<Long> stepsAtNext = new ArrayList<>();
        final CompletableFuture<EndReason> end = new CompletableFuture<>();
        volatile boolean cancel;
        volatile int calls;
        volatile long stepsAtStart = -1;
        /** Cancel itself in the call that shows this many logits; -1 never. */
        int cancelAfter = -1;
        long stepsAtCancel = -1;
        long stepsAtEnd = -1;
        long reservedAtEnd = -1;

        Scripted(int[] prompt, int[] continuation, int sharedPrefix) {
            this.prompt = prompt;
            this.continuation = continuation;
            this.sharedPrefix = sharedPrefix;
        }

        @Override
        public int[] prompt() {
            return prompt;
        }

        @Override
        public int maxNewTokens() {
            return continuation.length;
        }

        @Override
        public int sharedPrefixLength() {
            return sharedPrefix;
        }

        @Override
        public boolean cancelled() {
            return cancel;
        }

        @Override
        public void started() {
            stepsAtStart = scheduler.metrics().steps();
        }

        @Override
        public int next(float[] logits, int[] feed) {
            seen.add(logits.clone());
            stepsAtNext.add(scheduler.metrics().steps());
            calls++;
            if (seen.size() == cancelAfter) {
                cancel = true;
                stepsAtCancel = scheduler.metrics().steps();
            }
            int i = seen.size() - 1;
            if (i >= continuation.length) {
                return 0;
            }
            feed[0] = continuation[i];
            return 1;
        }

        @Override
        public void ended(EndReason reason, Throwable failure) {
            SchedulerMetrics m = scheduler.metrics();
            stepsAtEnd = m.steps();
            reservedAtEnd = m.reservedBytes();
            end.complete(reason);
        }

        EndReason awaitEnd() throws Exception {
            return end.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The logits a lone sequence shows after its prompt and after each continuation token. */
    private List<float[]> solo(int[] prompt, int[] continuation) {
        List<float[]> out = new ArrayList<>();
        SequenceState s = model.newState();
        float[] logits = new float[VOCAB];
        model.forward(s, prompt, 0, prompt.length, Logits.LAST, logits, null);
        out.add(logits.clone());
        for (int i = 0; i < continuation.length; i++) {
            model.forward(s, continuation, i, 1, Logits.LAST, logits, null);
            out.add(logits.clone());
        }
        return out;
    }

    private static void assertSameLogits(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("logits %d", i).containsExactly(expected.get(i));
        }
    }

    /**
     * Equal to float rounding: the scheduler feeds prompts in other chunks than one solo call, and the chunked
     * Mamba scan rounds differently for different chunkings (a wrong state or position would be off by far more).
     */
    private static void assertCloseLogits(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            float[] a = actual.get(i);
            float[] e = expected.get(i);
            assertThat(a).hasSameSizeAs(e);
            float scale = 0f;
            float worst = 0f;
            for (int v = 0; v < e.length; v++) {
                scale = Math.max(scale, Math.abs(e[v]));
                worst = Math.max(worst, Math.abs(a[v] - e[v]));
            }
            assertThat(scale).isPositive();
            assertThat(worst / scale).as("relative difference of logits %d", i).isLessThan(1e-5f);
        }
    }

    @Test
    void concurrentSequencesSeeTheLogitsTheyWouldSeeAlone() throws Exception {
        start(options());
        List<Scripted> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(new Scripted(tokens(1 + 23 * i, i), tokens(10, 100 + i), 0));
        }
        for (Scripted job : jobs) {
            scheduler.submit(job, 0, null);
        }
        for (Scripted job : jobs) {
            assertThat(job.awaitEnd()).isEqualTo(EndReason.FINISHED);
        }
        SchedulerMetrics m = scheduler.metrics();
        assertThat(m.finished()).isEqualTo(5);
        assertThat(m.generatedTokens()).isEqualTo(5 * 10);
        assertThat(m.prefillTokens()).isEqualTo(1 + 24 + 47 + 70 + 93);
        assertThat(m.reservedBytes()).isZero();
        assertThat(m.activeSequences()).isZero();
        for (Scripted job : jobs) {
            assertCloseLogits(job.seen, solo(job.prompt, job.continuation));
        }
    }

    @Test
    void aLongPromptComingInDoesNotStallRunningStreams() throws Exception {
        start(options().withPrefillTokensPerStep(8));
        // Runs until cancelled, however far it got before the newcomer arrives.
        Scripted running = new Scripted(tokens(4, 1), tokens(4000, 2), 0);
        scheduler.submit(running, 0, null);
        while (running.calls < 3) {
            Thread.onSpinWait();
        }
        Scripted newcomer = new Scripted(tokens(200, 3), tokens(2, 4), 0);
        scheduler.submit(newcomer, 0, null);
        assertThat(newcomer.awaitEnd()).isEqualTo(EndReason.FINISHED);
        running.cancel = true;
        running.awaitEnd();
        // 200 prompt tokens at 8 per step take 25 steps, the last of which shows the newcomer its first logits;
        // the running stream got a token in every one of them.
        long firstLogitsStep = newcomer.stepsAtNext.getFirst();
        assertThat(firstLogitsStep - newcomer.stepsAtStart).isEqualTo(24);
        List<Long> during = running.stepsAtNext.stream()
                .filter(s -> s >= newcomer.stepsAtStart && s <= firstLogitsStep).toList();
        assertThat(during).hasSize(25);
        for (int i = 1; i < during.size(); i++) {
            assertThat(during.get(i)).isEqualTo(during.get(i - 1) + 1);
        }
    }

    @Test
    void beyondTheSlotsRequestsWaitAndBeyondTheQueueTheyAreRefused() throws Exception {
        start(options().withMaxSequences(1).withQueueSize(1));
        Scripted first = new Scripted(tokens(4, 1), tokens(4000, 2), 0);
        Scripted second = new Scripted(tokens(4, 3), tokens(3, 4), 0);
        scheduler.submit(first, 0, null);
        scheduler.submit(second, 0, null);
        assertThat(scheduler.metrics().queueDepth()).isEqualTo(1);
        Scripted third = new Scripted(tokens(4, 5), tokens(3, 6), 0);
        assertThatThrownBy(() -> scheduler.submit(third, 0, null))
                .isInstanceOfSatisfying(SchedulerBusyException.class,
                        e -> assertThat(e.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)))
                .hasMessageContaining("the most the queue holds");
        assertThat(scheduler.metrics().refused()).isEqualTo(1);
        assertThat(scheduler.metrics().queueDepth()).isEqualTo(1);
        assertThat(second.stepsAtStart).isEqualTo(-1);
        first.cancel = true;
        assertThat(first.awaitEnd()).isEqualTo(EndReason.CANCELLED);
        assertThat(second.awaitEnd()).isEqualTo(EndReason.FINISHED);
        assertThat(third.end).isNotDone();
    }

    @Test
    void memoryBudgetBoundsHowManyRunTogether() throws Exception {
        start(options());
        long each = scheduler.reservationBytes(4, 20);
        scheduler.close();
        model.close();
        start(options().withMemoryBudgetBytes(2 * each + each / 2));
        List<Scripted> jobs = new ArrayList<>();
        int[] mostActive = new int[1];
        long[] mostReserved = new long[1];
        for (int i = 0; i < 5; i++) {
            Scripted job = new Scripted(tokens(4, i), tokens(20, 10 + i), 0) {
                @Override
                public int next(float[] logits, int[] feed) {
                    mostActive[0] = Math.max(mostActive[0], scheduler.metrics().activeSequences());
                    mostReserved[0] = Math.max(mostReserved[0], scheduler.metrics().reservedBytes());
                    return super.next(logits, feed);
                }
            };
            jobs.add(job);
            scheduler.submit(job, 0, null);
        }
        for (Scripted job : jobs) {
            assertThat(job.awaitEnd()).isEqualTo(EndReason.FINISHED);
        }
        assertThat(mostActive[0]).isEqualTo(2);
        assertThat(mostReserved[0]).isEqualTo(2 * each);
        assertThat(scheduler.metrics().failed()).isZero();
    }

    @Test
    void aRequestThatCanNeverFitIsRefusedWithTheNumbers() throws Exception {
        start(options().withMemoryBudgetBytes(1 << 20));
        Scripted huge = new Scripted(tokens(4, 1), tokens(4000, 2), 0);
        assertThatThrownBy(() -> scheduler.submit(huge, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory budget is 1,048,576");
        assertThatThrownBy(() -> scheduler.submit(new Scripted(new int[0], new int[1], 0), 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the prompt has 0 tokens");
        assertThat(scheduler.metrics().activeSequences()).isZero();
        assertThat(scheduler.metrics().queueDepth()).isZero();
    }

    @Test
    void waitingRequestsStartByPriorityThenInArrivalOrder() throws Exception {
        start(options().withMaxSequences(1));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Scripted blocker = new Scripted(tokens(4, 1), tokens(4000, 2), 0);
        scheduler.submit(blocker, 0, null);
        List<Scripted> waiting = new ArrayList<>();
        String[] names = {"low-a", "high", "low-b", "mid"};
        int[] priorities = {0, 5, 0, 2};
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            Scripted job = new Scripted(tokens(3, 10 + i), tokens(2, 20 + i), 0) {
                @Override
                public void started() {
                    order.add(name);
                    super.started();
                }
            };
            waiting.add(job);
            scheduler.submit(job, priorities[i], null);
        }
        assertThat(scheduler.metrics().queueDepth()).isEqualTo(4);
        blocker.cancel = true;
        for (Scripted job : waiting) {
            assertThat(job.awaitEnd()).isEqualTo(EndReason.FINISHED);
        }
        assertThat(order).containsExactly("high", "mid", "low-a", "low-b");
    }

    @Test
    void cancellingFreesTheSequenceWithinOneStep() throws Exception {
        start(options());
        Scripted job = new Scripted(tokens(10, 1), tokens(4000, 2), 0);
        job.cancelAfter = 5;
        Scripted other = new Scripted(tokens(10, 3), tokens(4000, 4), 0);
        scheduler.submit(other, 0, null);
        scheduler.submit(job, 0, null);
        assertThat(job.awaitEnd()).isEqualTo(EndReason.CANCELLED);
        // Cancelled during step k (the steps counter reads k then), freed right after it: no step k+1 ran.
        assertThat(job.stepsAtEnd).as("steps completed when the job ended").isEqualTo(job.stepsAtCancel + 1);
        assertThat(job.reservedAtEnd).as("only the other sequence is still reserved")
                .isEqualTo(scheduler.reservationBytes(10, 4000));
        other.cancel = true;
        other.awaitEnd();
        assertThat(scheduler.metrics().reservedBytes()).isZero();
        assertThat(scheduler.metrics().cancelled()).isEqualTo(2);
    }

    @Test
    void aWaitingRequestCanBeCancelledAndATimeoutEndsARunningOne() throws Exception {
        start(options().withMaxSequences(1));
        // A millisecond per token: its 4000 tokens would take seconds, far past the timeout.
        Scripted endless = new Scripted(tokens(4, 1), tokens(4000, 2), 0) {
            @Override
            public int next(float[] logits, int[] feed) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.next(logits, feed);
            }
        };
        scheduler.submit(endless, 0, Duration.ofMillis(200));
        Scripted queued = new Scripted(tokens(4, 3), tokens(3, 4), 0);
        scheduler.submit(queued, 0, null);
        queued.cancel = true;
        assertThat(queued.awaitEnd()).isEqualTo(EndReason.CANCELLED);
        assertThat(queued.seen).isEmpty();
        assertThat(endless.awaitEnd()).isEqualTo(EndReason.TIMED_OUT);
        assertThat(endless.seen.size()).isLessThan(4000);
        assertThat(scheduler.metrics().reservedBytes()).isZero();
    }

    @Test
    void aReusedPrefixGivesExactlyTheLogitsOfAFullPrefill() throws Exception {
        start(options().withPrefixCacheBytes(64L << 20));
        int[] system = tokens(37, 1);
        List<Scripted> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int[] prompt = concat(system, tokens(5 + i, 10 + i));
            Scripted job = new Scripted(prompt, tokens(6, 20 + i), system.length);
            jobs.add(job);
            scheduler.submit(job, 0, null);
            assertThat(job.awaitEnd()).isEqualTo(EndReason.FINISHED);
        }
        // The first job's request again: this time its prefix comes from the cache.
        Scripted again = new Scripted(jobs.get(0).prompt, jobs.get(0).continuation, system.length);
        scheduler.submit(again, 0, null);
        assertThat(again.awaitEnd()).isEqualTo(EndReason.FINISHED);
        SchedulerMetrics m = scheduler.metrics();
        assertThat(m.prefixHits()).isEqualTo(3);
        assertThat(m.prefixCacheBytes()).isPositive();
        assertThat(m.prefillTokens()).isEqualTo(37 + 5 + 6 + 7 + 5);
        assertSameLogits(again.seen, jobs.get(0).seen);
        for (Scripted job : jobs) {
            assertCloseLogits(job.seen, solo(job.prompt, job.continuation));
        }
    }

    @Test
    void closingEndsWaitingAndRunningJobsAndRefusesNewOnes() throws Exception {
        start(options().withMaxSequences(1));
        Scripted running = new Scripted(tokens(4, 1), tokens(4000, 2), 0);
        Scripted waiting = new Scripted(tokens(4, 3), tokens(3, 4), 0);
        scheduler.submit(running, 0, null);
        scheduler.submit(waiting, 0, null);
        scheduler.close();
        assertThat(running.awaitEnd()).isEqualTo(EndReason.SHUT_DOWN);
        assertThat(waiting.awaitEnd()).isEqualTo(EndReason.SHUT_DOWN);
        assertThatThrownBy(() -> scheduler.submit(new Scripted(tokens(4, 5), tokens(1, 6), 0), 0, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void moreSequencesThanOneStepHoldsIsAConfigurationError() throws IOException {
        model = NemotronHModel.load(file, new EngineOptions(1, 4));
        assertThatThrownBy(() -> new SequenceScheduler(model, options().withMaxSequences(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one step holds 4 tokens");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new SchedulerOptions(0, 1, 0, 1, 0)).hasMessageContaining("maxSequences");
        assertThatThrownBy(() -> new SchedulerOptions(1, 0, 0, 1, 0)).hasMessageContaining("memoryBudgetBytes");
        assertThatThrownBy(() -> new SchedulerOptions(1, 1, -1, 1, 0)).hasMessageContaining("queueSize");
        assertThatThrownBy(() -> new SchedulerOptions(1, 1, 0, 0, 0)).hasMessageContaining("prefillTokensPerStep");
        assertThatThrownBy(() -> new SchedulerOptions(1, 1, 0, 1, -1)).hasMessageContaining("prefixCacheBytes");
        SchedulerOptions d = SchedulerOptions.defaults();
        assertThat(d.memoryBudgetBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 2);
        assertThat(d.maxSequences()).isEqualTo(SchedulerOptions.DEFAULT_MAX_SEQUENCES);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
