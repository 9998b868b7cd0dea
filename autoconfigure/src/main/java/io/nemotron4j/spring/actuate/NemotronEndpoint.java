package io.nemotron4j.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.nemotron4j.spring.chat.GenerationScheduler;
import io.nemotron4j.spring.chat.GenerationStatistics;
import io.nemotron4j.spring.model.ModelFacts;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.util.Assert;

/**
 * The {@code nemotron} Actuator endpoint ({@code /actuator/nemotron} once exposed): what model is loaded and how the
 * engine is doing: active sequences, waiting requests, tokens processed and generated, decode speed.
 *
 * @since 0.1.0
 */
@Endpoint(id = "nemotron")
public class NemotronEndpoint {

    private final ModelFacts facts;

    private final GenerationScheduler scheduler;

    /** Creates the endpoint for the given model and its scheduler. */
    public NemotronEndpoint(ModelFacts facts, GenerationScheduler scheduler) {
        Assert.notNull(facts, "facts must not be null");
        Assert.notNull(scheduler, "scheduler must not be null");
        this.facts = facts;
        this.scheduler = scheduler;
    }

    /** The model facts and the generation counters. */
    @ReadOperation
    public NemotronDescriptor nemotron() {
        GenerationStatistics s = this.scheduler.statistics();
        Map<String, Object> generations = new LinkedHashMap<>();
        generations.put("activeSequences", s.activeGenerations());
        generations.put("queuedRequests", s.queuedRequests());
        generations.put("maxConcurrentGenerations", s.maxConcurrentGenerations());
        generations.put("maxQueuedRequests", s.maxQueuedRequests());
        generations.put("completed", s.completedGenerations());
        generations.put("rejected", s.rejectedRequests());
        generations.put("promptTokens", s.promptTokens());
        generations.put("reasoningTokens", s.reasoningTokens());
        generations.put("answerTokens", s.answerTokens());
        generations.put("tokensGenerated", s.generatedTokens());
        generations.put("decodeTokensPerSecond", s.lastDecodeTokensPerSecond());
        generations.put("averageDecodeTokensPerSecond", s.averageDecodeTokensPerSecond());
        return new NemotronDescriptor(this.facts.toMap(), generations);
    }

    /**
     * What the endpoint returns.
     *
     * @param model the model facts
     * @param generations the counters since start and the current load
     */
    public record NemotronDescriptor(Map<String, Object> model, Map<String, Object> generations) {
    }
}
