package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.nemotron4j.engine.generate.Generation;
import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationListener;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.engine.generate.Usage;
import io.nemotron4j.engine.serve.SchedulerBusyException;
import io.nemotron4j.engine.serve.SchedulerMetrics;
import io.nemotron4j.engine.serve.SchedulerOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The Spring side's door to the engine: submits generations, turns the engine's refusal into
 * {@link GenerationRejectedException}, keeps the counters that Actuator reports and tells listeners about every
 * generation that ends ({@link #addListener}).
 *
 * <p>Admission itself is the engine's ({@link io.nemotron4j.engine.serve.SequenceScheduler}): it runs up to
 * {@code nemotron.engine.max-sequences} generations together, batched into one forward step per token, within
 * {@code nemotron.engine.memory-budget}; up to {@code nemotron.engine.queue-size} more wait, by priority and then in
 * arrival order, holding no thread; the rest are refused at once with a retry-after hint. This class adds no second
 * gate. It is closed before the engine: closing refuses new requests; the engine ends the rest when it closes.
 *
 * @since 0.1.0
 */
public final class GenerationScheduler implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(GenerationScheduler.class);

    private final NemotronEngine engine;

    private final Set<Ticket> open = ConcurrentHashMap.newKeySet();

    private final List<Consumer<CompletedGeneration>> listeners = new CopyOnWriteArrayList<>();

    private volatile boolean closed;

    private final LongAdder completed = new LongAdder();

    private final LongAdder rejected = new LongAdder();

    private final LongAdder promptTokens = new LongAdder();

    private final LongAdder reasoningTokens = new LongAdder();

    private final LongAdder answerTokens = new LongAdder();

    private final DoubleAdder decodeRateSum = new DoubleAdder();

    private final LongAdder decodeRateCount = new LongAdder();

    private volatile double lastDecodeRate;

    /**
     * Creates the door to the given engine.
     * @param engine the engine that admits and runs the generations
     */
    public GenerationScheduler(NemotronEngine engine) {
        Assert.notNull(engine, "engine must not be null");
        this.engine = engine;
    }

    /** The engine this scheduler feeds. */
    public NemotronEngine engine() {
        return this.engine;
    }

    /**
     * Submits a generation: it starts as soon as the engine has memory and a sequence slot for it.
     * @param request what to generate
     * @param listener receives the generation's events on the engine's step thread, so it must not block
     * @param chooser picks the tokens instead of the request's sampler, or {@code null} for the sampler
     * @return a handle to cancel the generation and await its end
     * @throws GenerationRejectedException if the engine's waiting line is full (with a retry-after hint) or the
     * scheduler is closed
     * @throws io.nemotron4j.engine.generate.GenerationException if the request cannot run (the message says why)
     */
    public Ticket submit(GenerationRequest request, GenerationListener listener,
            @Nullable Supplier<? extends TokenChooser> chooser) {
        Assert.notNull(request, "request must not be null");
        Assert.notNull(listener, "listener must not be null");
        if (this.closed) {
            throw new GenerationRejectedException("the Nemotron engine is shutting down; no new generations", null);
        }
        Generation generation;
        try {
            generation = (chooser != null) ? this.engine.submit(request, listener, chooser)
                    : this.engine.submit(request, listener);
        }
        catch (SchedulerBusyException ex) {
            this.rejected.increment();
            throw new GenerationRejectedException(ex.getMessage() + "; or raise nemotron.engine.queue-size",
                    ex.retryAfter());
        }
        Ticket ticket = new Ticket(generation);
        this.open.add(ticket);
        // The ticket completes after the listeners have heard of the end, so counters read then include it.
        ticket.completion = generation.completion().whenComplete((finished, failure) -> {
            this.open.remove(ticket);
            if (finished != null) {
                record(ticket, finished);
            }
        });
        return ticket;
    }

    /** Registers a listener told about every generation that ends; it runs on the engine's thread. */
    public void addListener(Consumer<CompletedGeneration> listener) {
        Assert.notNull(listener, "listener must not be null");
        this.listeners.add(listener);
    }

    /** Generations admitted by the engine and not yet ended. */
    public int activeGenerations() {
        return this.engine.scheduler().metrics().activeSequences();
    }

    /** Requests waiting for admission now. */
    public int queuedRequests() {
        return this.engine.scheduler().metrics().queueDepth();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return this.closed;
    }

    /** The engine scheduler's live numbers: batch size, memory, throughput. */
    public SchedulerMetrics schedulerMetrics() {
        return this.engine.scheduler().metrics();
    }

    /** The counters since start. */
    public GenerationStatistics statistics() {
        SchedulerMetrics m = this.engine.scheduler().metrics();
        SchedulerOptions options = this.engine.scheduler().options();
        long rates = this.decodeRateCount.sum();
        return new GenerationStatistics(m.activeSequences(), m.queueDepth(), options.maxSequences(),
                options.queueSize(), this.completed.sum(), this.rejected.sum(), this.promptTokens.sum(),
                this.reasoningTokens.sum(), this.answerTokens.sum(), this.lastDecodeRate,
                rates == 0 ? 0 : this.decodeRateSum.sum() / rates);
    }

    /** Refuses new requests and cancels the ones submitted through this scheduler that have not ended. */
    @Override
    public void close() {
        this.closed = true;
        this.open.forEach(Ticket::cancel);
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
     * One submitted generation, waiting or running. Its completion completes after the scheduler's listeners have
     * heard of the end, so counters read once it completes include it.
     */
    public final class Ticket implements Generation {

        private final Generation generation;

        private volatile CompletableFuture<GenerationEvent.Finished> completion;

        private Ticket(Generation generation) {
            this.generation = generation;
            this.completion = generation.completion();
        }

        /** Stops the generation within a step of the engine, or takes it out of the waiting line. */
        @Override
        public void cancel() {
            this.generation.cancel();
        }

        @Override
        public CompletableFuture<GenerationEvent.Finished> completion() {
            return this.completion;
        }

        /** How long the request waited for admission; up to now while it is still waiting. */
        @Override
        public Duration queueTime() {
            return this.generation.queueTime();
        }
    }
}
