package io.nemotron4j.spring.actuate;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.spring.chat.CompletedGeneration;
import io.nemotron4j.spring.chat.GenerationScheduler;

import org.springframework.util.Assert;

/**
 * The engine's meters, next to Spring AI's {@code gen_ai.*} observations (which know nothing of reasoning tokens,
 * time to first token or waiting requests). Prometheus names in brackets:
 *
 * <ul>
 * <li>{@value #TIME_TO_FIRST_TOKEN} timer [{@code nemotron_time_to_first_token_seconds}]: request to first generated
 * token, waiting for a slot included;</li>
 * <li>{@value #TIME_PER_OUTPUT_TOKEN} timer [{@code nemotron_time_per_output_token_seconds}]: mean time between
 * generated tokens after the first, one sample per generation;</li>
 * <li>{@value #TOKENS} counter [{@code nemotron_tokens_total}], tag {@code type} = {@code input}, {@code reasoning}
 * or {@code output};</li>
 * <li>{@value #REQUESTS} counter [{@code nemotron_requests_total}], tag {@code finish.reason} = one of the engine's
 * finish reasons; {@value #REJECTED} counter [{@code nemotron_requests_rejected_total}];</li>
 * <li>{@value #ACTIVE} and {@value #QUEUED} gauges [{@code nemotron_requests_active},
 * {@code nemotron_requests_queued}];</li>
 * <li>the engine's continuous batching: {@value #BATCH_SIZE} gauge [{@code nemotron_batch_sequences}], sequences in
 * the latest forward step; {@value #STEPS} counter [{@code nemotron_steps_total}]; {@value #THROUGHPUT} and
 * {@value #THROUGHPUT_PER_STREAM} gauges [{@code nemotron_decode_throughput_tokens_per_second},
 * {@code nemotron_decode_stream_throughput_tokens_per_second}], smoothed over recent steps;</li>
 * <li>admission by memory: {@value #MEMORY_RESERVED} and {@value #MEMORY_BUDGET} gauges
 * [{@code nemotron_memory_reserved_bytes}, {@code nemotron_memory_budget_bytes}]; {@value #PREFIX_HITS} counter
 * [{@code nemotron_prefix_hits_total}], prompts that reused a snapshotted prefix.</li>
 * </ul>
 *
 * <p>Every meter carries the tag {@code model} (the one loaded model's name). Tag values come from fixed sets, never
 * from requests, so the number of series stays bounded.
 *
 * @since 0.1.0
 */
public class NemotronMetrics implements MeterBinder {

    /** Timer of the time to the first generated token. */
    public static final String TIME_TO_FIRST_TOKEN = "nemotron.time.to.first.token";

    /** Timer of the mean time per generated token after the first. */
    public static final String TIME_PER_OUTPUT_TOKEN = "nemotron.time.per.output.token";

    /** Counter of tokens by type. */
    public static final String TOKENS = "nemotron.tokens";

    /** Counter of generations by finish reason. */
    public static final String REQUESTS = "nemotron.requests";

    /** Counter of requests turned away because the waiting line was full. */
    public static final String REJECTED = "nemotron.requests.rejected";

    /** Gauge of generations running now. */
    public static final String ACTIVE = "nemotron.requests.active";

    /** Gauge of requests waiting for a slot now. */
    public static final String QUEUED = "nemotron.requests.queued";

    /** Gauge of sequences in the engine's latest forward step. */
    public static final String BATCH_SIZE = "nemotron.batch.sequences";

    /** Counter of the engine's forward steps. */
    public static final String STEPS = "nemotron.steps";

    /** Gauge of generated tokens per second, all streams together. */
    public static final String THROUGHPUT = "nemotron.decode.throughput";

    /** Gauge of generated tokens per second per decoding stream. */
    public static final String THROUGHPUT_PER_STREAM = "nemotron.decode.stream.throughput";

    /** Gauge of the sequence memory the admitted generations reserve. */
    public static final String MEMORY_RESERVED = "nemotron.memory.reserved";

    /** Gauge of the memory budget admission holds the reservations to. */
    public static final String MEMORY_BUDGET = "nemotron.memory.budget";

    /** Counter of prompts that started from a snapshotted shared prefix. */
    public static final String PREFIX_HITS = "nemotron.prefix.hits";

    private final GenerationScheduler scheduler;

    private final String modelName;

    /** Creates the meters of the given scheduler, tagged with the model's name. */
    public NemotronMetrics(GenerationScheduler scheduler, String modelName) {
        Assert.notNull(scheduler, "scheduler must not be null");
        Assert.hasText(modelName, "modelName must not be empty");
        this.scheduler = scheduler;
        this.modelName = modelName;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("model", this.modelName);
        Gauge.builder(ACTIVE, this.scheduler, GenerationScheduler::activeGenerations)
            .tags(tags)
            .description("Generations running in the engine now")
            .register(registry);
        Gauge.builder(QUEUED, this.scheduler, GenerationScheduler::queuedRequests)
            .tags(tags)
            .description("Requests waiting for a free generation slot")
            .register(registry);
        FunctionCounter.builder(REJECTED, this.scheduler, s -> s.statistics().rejectedRequests())
            .tags(tags)
            .description("Requests turned away because every slot was busy and the waiting line full")
            .register(registry);
        Gauge.builder(BATCH_SIZE, this.scheduler, s -> s.schedulerMetrics().lastBatchSequences())
            .tags(tags)
            .description("Sequences in the engine's latest forward step")
            .register(registry);
        FunctionCounter.builder(STEPS, this.scheduler, s -> s.schedulerMetrics().steps())
            .tags(tags)
            .description("Forward steps the engine ran, each one token for every running generation")
            .register(registry);
        Gauge.builder(THROUGHPUT, this.scheduler, s -> s.schedulerMetrics().tokensPerSecond())
            .tags(tags)
            .baseUnit("tokens.per.second")
            .description("Generated tokens per second, all streams together, over recent steps")
            .register(registry);
        Gauge.builder(THROUGHPUT_PER_STREAM, this.scheduler, s -> s.schedulerMetrics().tokensPerSecondPerStream())
            .tags(tags)
            .baseUnit("tokens.per.second")
            .description("Generated tokens per second of each decoding stream, over recent steps")
            .register(registry);
        Gauge.builder(MEMORY_RESERVED, this.scheduler, s -> s.schedulerMetrics().reservedBytes())
            .tags(tags)
            .baseUnit("bytes")
            .description("Sequence memory (Mamba states, KV caches) reserved by admitted generations")
            .register(registry);
        Gauge.builder(MEMORY_BUDGET, this.scheduler, s -> s.schedulerMetrics().memoryBudgetBytes())
            .tags(tags)
            .baseUnit("bytes")
            .description("The sequence memory admission may reserve")
            .register(registry);
        FunctionCounter.builder(PREFIX_HITS, this.scheduler, s -> s.schedulerMetrics().prefixHits())
            .tags(tags)
            .description("Prompts that started from a snapshotted shared prefix instead of prefilling it")
            .register(registry);
        Timer timeToFirstToken = Timer.builder(TIME_TO_FIRST_TOKEN)
            .tags(tags)
            .description("From the request to the first generated token, waiting for a slot included")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(2))
            .register(registry);
        Timer timePerOutputToken = Timer.builder(TIME_PER_OUTPUT_TOKEN)
            .tags(tags)
            .description("Mean time between generated tokens after the first, one sample per generation")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
        Counter input = tokens(registry, tags, "input", "Prompt tokens processed");
        Counter reasoning = tokens(registry, tags, "reasoning", "Tokens generated inside the model's reasoning");
        Counter output = tokens(registry, tags, "output", "Tokens generated after the reasoning");
        Map<FinishReason, Counter> requests = new EnumMap<>(FinishReason.class);
        for (FinishReason reason : FinishReason.values()) {
            requests.put(reason, Counter.builder(REQUESTS)
                .tags(tags)
                .tag("finish.reason", reason.name())
                .description("Generations that ended, by finish reason")
                .register(registry));
        }
        this.scheduler.addListener(done -> record(done, timeToFirstToken, timePerOutputToken, input, reasoning,
                output, requests));
    }

    private static Counter tokens(MeterRegistry registry, Tags tags, String type, String description) {
        return Counter.builder(TOKENS).tags(tags).tag("type", type).description(description).register(registry);
    }

    private static void record(CompletedGeneration done, Timer timeToFirstToken, Timer timePerOutputToken,
            Counter input, Counter reasoning, Counter output, Map<FinishReason, Counter> requests) {
        done.timeToFirstToken().ifPresent(timeToFirstToken::record);
        done.timePerOutputToken().ifPresent(timePerOutputToken::record);
        input.increment(done.usage().promptTokens());
        reasoning.increment(done.usage().reasoningTokens());
        output.increment(done.usage().answerTokens());
        requests.get(done.finishReason()).increment();
    }
}
