package io.nemotron4j.spring.actuate;

import io.nemotron4j.spring.model.ModelFacts;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.util.Assert;

/**
 * Adds the loaded model to {@code /actuator/info} under {@code nemotron}: name, file, size, architecture, parameters,
 * quantization (the weight type, or {@code mixed} with the dominant {@code weightType}), layers, context length,
 * vocabulary, backend, kernels and threads.
 *
 * @since 0.1.0
 */
public class NemotronInfoContributor implements InfoContributor {

    private final ModelFacts facts;

    /** Creates the contributor for the given model. */
    public NemotronInfoContributor(ModelFacts facts) {
        Assert.notNull(facts, "facts must not be null");
        this.facts = facts;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("nemotron", this.facts.toMap());
    }
}
