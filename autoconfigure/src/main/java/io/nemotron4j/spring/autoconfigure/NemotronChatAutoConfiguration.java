package io.nemotron4j.spring.autoconfigure;

import java.nio.file.Path;

import io.micrometer.observation.ObservationRegistry;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.chat.GenerationRejectedAdvice;
import io.nemotron4j.spring.chat.GenerationScheduler;
import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.chat.TokenChooserFactory;
import io.nemotron4j.spring.model.ModelDownloader;
import io.nemotron4j.spring.model.ModelFacts;
import io.nemotron4j.spring.model.ModelLocator;

import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A Nemotron-H model as a Spring AI {@code ChatModel}: locates (and if need be downloads) the GGUF, loads it once at
 * start-up, closes it at shutdown, and wires {@link NemotronChatModel} with the defaults from
 * {@code nemotron.chat.*}.
 *
 * <p>Active when the engine is on the class path, a model is configured (see {@link OnModelConfiguredCondition}),
 * and {@code spring.ai.model.chat} is {@code nemotron} or unset; any other value selects another provider and this
 * configuration backs off. Every bean yields to one of the application's own.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass({ NemotronEngine.class, NemotronChatModel.class })
@ConditionalOnProperty(name = SpringAIModelProperties.CHAT_MODEL,
        havingValue = NemotronChatAutoConfiguration.SELECTOR_VALUE, matchIfMissing = true)
@Conditional(OnModelConfiguredCondition.class)
@EnableConfigurationProperties({ NemotronModelProperties.class, NemotronEngineProperties.class,
        NemotronChatProperties.class })
public class NemotronChatAutoConfiguration {

    /** The value of {@code spring.ai.model.chat} that selects this provider. */
    public static final String SELECTOR_VALUE = "nemotron";

    @Bean
    @ConditionalOnMissingBean
    ModelLocator nemotronModelLocator(NemotronModelProperties properties) {
        return new ModelLocator(new ModelDownloader(properties.toDownloadSettings()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    NemotronEngine nemotronEngine(ModelLocator locator, NemotronModelProperties model,
            NemotronEngineProperties engine) {
        Path file = locator.locate(model.getPath(), model.getUri(), model.getSha256());
        return ModelLocator.load(file, engine.toEngineOptions(), engine.toSchedulerOptions());
    }

    @Bean
    @ConditionalOnMissingBean
    ModelFacts nemotronModelFacts(NemotronEngine engine, NemotronModelProperties model) {
        String name = (model.getName() != null && !model.getName().isBlank()) ? model.getName()
                : ModelFacts.defaultName(engine);
        return ModelFacts.of(engine, name);
    }

    // Closed before the engine it depends on: new requests are refused, then the engine ends the rest.
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    GenerationScheduler nemotronGenerationScheduler(NemotronEngine engine) {
        return new GenerationScheduler(engine);
    }

    @Bean
    @ConditionalOnMissingBean
    NemotronChatModel nemotronChatModel(GenerationScheduler scheduler, ModelFacts facts,
            NemotronChatProperties chat, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<ChatModelObservationConvention> observationConvention,
            ObjectProvider<TokenChooserFactory> tokenChooserFactory) {
        NemotronChatModel model = NemotronChatModel.builder()
            .scheduler(scheduler)
            .modelName(facts.name())
            .defaultOptions(chat.toOptions())
            .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
            .tokenChooserFactory(tokenChooserFactory.getIfUnique())
            .build();
        observationConvention.ifAvailable(model::setObservationConvention);
        return model;
    }

    /** In a servlet web application: refusals become 503 responses with {@code Retry-After}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestControllerAdvice")
    static class WebConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GenerationRejectedAdvice nemotronGenerationRejectedAdvice() {
            return new GenerationRejectedAdvice();
        }
    }
}
