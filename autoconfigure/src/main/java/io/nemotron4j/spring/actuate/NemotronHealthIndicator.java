package io.nemotron4j.spring.actuate;

import io.nemotron4j.spring.chat.GenerationScheduler;
import io.nemotron4j.spring.model.ModelFacts;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the in-process model: {@code UP} while it is loaded and takes requests, {@code OUT_OF_SERVICE} once
 * the application has begun shutting it down. Details: model, backend, kernels, context size and the current load.
 *
 * @since 0.1.0
 */
public class NemotronHealthIndicator extends AbstractHealthIndicator {

    private final ModelFacts facts;

    private final GenerationScheduler scheduler;

    /** Creates the indicator for the given model and its scheduler. */
    public NemotronHealthIndicator(ModelFacts facts, GenerationScheduler scheduler) {
        super("Nemotron health check failed");
        Assert.notNull(facts, "facts must not be null");
        Assert.notNull(scheduler, "scheduler must not be null");
        this.facts = facts;
        this.scheduler = scheduler;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (this.scheduler.isClosed()) {
            builder.outOfService().withDetail("reason", "shutting down");
        }
        else {
            builder.up();
        }
        builder.withDetail("model", this.facts.name())
            .withDetail("loaded", !this.scheduler.isClosed())
            .withDetail("backend", this.facts.backend())
            .withDetail("kernels", this.facts.kernels())
            .withDetail("contextLength", this.facts.contextLength())
            .withDetail("activeGenerations", this.scheduler.activeGenerations())
            .withDetail("queuedRequests", this.scheduler.queuedRequests());
    }
}
