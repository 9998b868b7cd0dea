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
 * {@code nemotron_requests_queued}].</li>
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
