package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.Generation;
import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationListener;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.engine.generate.Usage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Admits generations to the engine: at most {@code maxConcurrent} run at once, up to {@code maxQueued} more wait in
 * arrival order, and the rest are turned away with {@link GenerationRejectedException}.
 *
 * <p>Why a gate in front of the engine: the engine runs one forward pass at a time and lets concurrent generations
 * take turns token by token, so every extra generation slows all the others down. Bounding them keeps each
 * stream's speed predictable and makes "queued requests" a number worth watching. A waiting request holds no
 * thread, which matters for streams.
 *
 * <p>The scheduler also keeps the counters that Actuator reports and tells listeners about every generation that
 * ends ({@link #addListener}). It is closed before the engine: closing cancels waiting and running generations and
 * turns new ones away.
 *
 * @since 0.1.0
 */
public final class GenerationScheduler implements AutoCloseable {

    /** Generations that may run at once unless configured otherwise. */
    public static final int DEFAULT_MAX_CONCURRENT = 4;

    /** Requests that may wait for a slot unless configured otherwise. */
    public static final int DEFAULT_MAX_QUEUED = 64;

    private static final Log logger = LogFactory.getLog(GenerationScheduler.class);

    private static final Usage NO_USAGE = new Usage(0, 0, 0, 0, 0, 0);

    private final NemotronEngine engine;

    private final int maxConcurrent;

    private final int maxQueued;

    private final Object lock = new Object();

    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();

    private final Set<Ticket> running = ConcurrentHashMap.newKeySet();

    private final List<Consumer<CompletedGeneration>> listeners = new CopyOnWriteArrayList<>();

    private int active;

    private boolean closed;

    private final LongAdder completed = new LongAdder();

    private final LongAdder rejected = new LongAdder();

    private final LongAdder promptTokens = new LongAdder();

    private final LongAdder reasoningTokens = new LongAdder();

    private final LongAdder answerTokens = new LongAdder();

    private final DoubleAdder decodeRateSum = new DoubleAdder();

    private final LongAdder decodeRateCount = new LongAdder();

    private volatile double lastDecodeRate;

    /**
     * Creates a scheduler in front of the given engine.
     * @param engine the engine that runs the generations
     * @param maxConcurrent how many generations may run at once, at least 1
     * @param maxQueued how many requests may wait for a slot, 0 or more
     */
    public GenerationScheduler(NemotronEngine engine, int maxConcurrent, int maxQueued) {
        Assert.notNull(engine, "engine must not be null");
        Assert.isTrue(maxConcurrent >= 1, () -> "maxConcurrent must be at least 1, got " + maxConcurrent);
        Assert.isTrue(maxQueued >= 0, () -> "maxQueued must be 0 or more, got " + maxQueued);
        this.engine = engine;
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    /** The engine this scheduler feeds. */
    public NemotronEngine engine() {
        return this.engine;
    }

    /**
     * Starts a generation now if a slot is free, else queues it.
     * @param request what to generate
     * @param listener receives the generation's events on the engine's thread; a request cancelled while waiting
     * receives only a {@link FinishReason#CANCELLED} finish
     * @param chooser picks the tokens instead of the request's sampler, or {@code null} for the sampler
     * @return a handle to cancel the generation and await its end; its completion fails when the request could not
     * be started after waiting (for example a prompt that does not fit the context)
     * @throws GenerationRejectedException if the waiting line is full or the scheduler is closed
     * @throws io.nemotron4j.engine.generate.GenerationException if a request that starts at once cannot run (the
     * message says why)
     */
    public Ticket submit(GenerationRequest request, GenerationListener listener,
            @Nullable Supplier<? extends TokenChooser> chooser) {
        Assert.notNull(request, "request must not be null");
        Assert.notNull(listener, "listener must not be null");
        Ticket ticket = new Ticket(request, listener, chooser);
        boolean startNow;
        synchronized (this.lock) {
            if (this.closed) {
                throw new GenerationRejectedException("the Nemotron engine is shutting down; no new generations");
            }
            if (this.active < this.maxConcurrent) {
                this.active++;
                startNow = true;
            }
            else if (this.waiting.size() < this.maxQueued) {
                this.waiting.add(ticket);
                startNow = false;
            }
            else {
                this.rejected.increment();
                throw new GenerationRejectedException("all " + this.maxConcurrent + " generation slots are busy and "
                        + this.waiting.size() + " requests are already waiting; retry later or raise "
                        + "nemotron.engine.max-queued-requests");
            }
        }
        if (startNow) {
            try {
                ticket.start();
            }
            catch (RuntimeException ex) {
                releaseSlot();
                throw ex;
            }
        }
        return ticket;
    }

    /** Registers a listener told about every generation that ends; it runs on the engine's thread. */
    public void addListener(Consumer<CompletedGeneration> listener) {
        Assert.notNull(listener, "listener must not be null");
        this.listeners.add(listener);
    }

    /** Generations running now. */
    public int activeGenerations() {
        synchronized (this.lock) {
            return this.active;
        }
    }

    /** Requests waiting for a slot now. */
    public int queuedRequests() {
        synchronized (this.lock) {
            return this.waiting.size();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        synchronized (this.lock) {
            return this.closed;
        }
    }

    /** The counters since start. */
    public GenerationStatistics statistics() {
        int activeNow;
        int queuedNow;
        synchronized (this.lock) {
            activeNow = this.active;
            queuedNow = this.waiting.size();
        }
        long rates = this.decodeRateCount.sum();
        return new GenerationStatistics(activeNow, queuedNow, this.maxConcurrent, this.maxQueued,
                this.completed.sum(), this.rejected.sum(), this.promptTokens.sum(), this.reasoningTokens.sum(),
                this.answerTokens.sum(), this.lastDecodeRate, rates == 0 ? 0 : this.decodeRateSum.sum() / rates);
    }

    /** Cancels waiting and running generations and turns new ones away. */
    @Override
    public void close() {
        List<Ticket> dropped;
        synchronized (this.lock) {
            this.closed = true;
            dropped = new ArrayList<>(this.waiting);
            this.waiting.clear();
        }
        dropped.forEach(Ticket::cancelWhileWaiting);
        this.running.forEach(Ticket::cancel);
    }

    /** Frees a slot and starts waiting requests while slots are free. */
    private void releaseSlot() {
        while (true) {
            Ticket next;
            synchronized (this.lock) {
                next = this.waiting.poll();
                if (next == null) {
                    this.active--;
                    return;
                }
            }
            // The slot passes straight to the next request, so the active count stays as it is.
            try {
                next.start();
                return;
            }
            catch (RuntimeException ex) {
                next.failToStart(ex);
            }
        }
    }

    private void record(Ticket ticket, GenerationEvent.Finished finished) {
        Usage usage = finished.usage();
        this.completed.increment();
        this.promptTokens.add(usage.promptTokens());
        this.reasoningTokens.add(usage.reasoningTokens());
        this.answerTokens.add(usage.answerTokens());
        if (usage.decodeTokensPerSecond() > 0) {
            this.lastDecodeRate = usage.decodeTokensPerSecond();
            this.decodeRateSum.add(usage.decodeTokensPerSecond());
            this.decodeRateCount.increment();
        }
        CompletedGeneration done = new CompletedGeneration(finished.reason(), usage, ticket.queueTime());
        for (Consumer<CompletedGeneration> listener : this.listeners) {
            try {
                listener.accept(done);
            }
            catch (RuntimeException ex) {
                logger.warn("A generation listener failed; the others still run", ex);
            }
        }
    }

    /**
     * One request's place in the scheduler: waiting, running or done. Cancelling works in every state.
     */
    public final class Ticket implements Generation {

        private final GenerationRequest request;

        private final GenerationListener listener;

        private final @Nullable Supplier<? extends TokenChooser> chooser;

        private final long createdNanos = System.nanoTime();

        private final CompletableFuture<GenerationEvent.Finished> completion = new CompletableFuture<>();

        private volatile long startedNanos;

        private @Nullable Generation generation;

        private boolean cancelled;

        private Ticket(GenerationRequest request, GenerationListener listener,
                @Nullable Supplier<? extends TokenChooser> chooser) {
            this.request = request;
            this.listener = listener;
            this.chooser = chooser;
        }

        private void start() {
            this.startedNanos = System.nanoTime();
            Generation started = (this.chooser != null)
                    ? GenerationScheduler.this.engine.submit(this.request, this.listener, this.chooser)
                    : GenerationScheduler.this.engine.submit(this.request, this.listener);
            GenerationScheduler.this.running.add(this);
            boolean cancelNow;
            synchronized (this) {
                this.generation = started;
                cancelNow = this.cancelled;
            }
            if (cancelNow) {
                started.cancel();
            }
            started.completion().whenComplete((finished, failure) -> {
                GenerationScheduler.this.running.remove(this);
                releaseSlot();
                if (finished != null) {
                    record(this, finished);
                    this.completion.complete(finished);
                }
                else {
                    this.completion.completeExceptionally(failure);
                }
            });
        }

        private void failToStart(RuntimeException failure) {
            this.completion.completeExceptionally(failure);
        }

        /** Ends a request that never started, as the engine would end a cancelled one. */
        private void cancelWhileWaiting() {
            GenerationEvent.Finished finished = new GenerationEvent.Finished(FinishReason.CANCELLED, NO_USAGE, null);
            try {
                this.listener.onEvent(finished);
            }
            catch (RuntimeException ex) {
                // The listener only learns that nothing ran; the completion below still reports it.
            }
            this.completion.complete(finished);
        }

        /** Stops the generation within a token, or removes the request from the waiting line. */
        @Override
        public void cancel() {
            Generation started;
            synchronized (this) {
                this.cancelled = true;
                started = this.generation;
            }
            if (started != null) {
                started.cancel();
                return;
            }
            boolean removed;
            synchronized (GenerationScheduler.this.lock) {
                removed = GenerationScheduler.this.waiting.remove(this);
            }
            if (removed) {
                cancelWhileWaiting();
            }
        }

        /** Completes with the final event once the generation has ended (or never started, see {@link #submit}). */
        @Override
        public CompletableFuture<GenerationEvent.Finished> completion() {
            return this.completion;
        }

        /** How long the request waited for a slot; up to now while it is still waiting. */
        public Duration queueTime() {
            long started = this.startedNanos;
            return Duration.ofNanos((started == 0 ? System.nanoTime() : started) - this.createdNanos);
        }
    }
}
