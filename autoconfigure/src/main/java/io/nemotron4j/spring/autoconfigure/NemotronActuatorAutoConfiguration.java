package io.nemotron4j.spring.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.nemotron4j.spring.actuate.NemotronEndpoint;
import io.nemotron4j.spring.actuate.NemotronHealthIndicator;
import io.nemotron4j.spring.actuate.NemotronInfoContributor;
import io.nemotron4j.spring.actuate.NemotronMetrics;
import io.nemotron4j.spring.chat.GenerationScheduler;
import io.nemotron4j.spring.model.ModelFacts;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator integration of the Nemotron model, each part present only when the application has what it needs: the
 * {@code nemotron} health indicator ({@code spring-boot-health}), info contributor and endpoint
 * ({@code spring-boot-actuator}), and the engine's meters (Micrometer). Each can be switched off the usual way
 * ({@code management.health.nemotron.enabled}, {@code management.info.nemotron.enabled},
 * {@code management.endpoint.nemotron.access}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = NemotronChatAutoConfiguration.class)
@ConditionalOnBean({ GenerationScheduler.class, ModelFacts.class })
public class NemotronActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("nemotron")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "nemotronHealthIndicator")
        NemotronHealthIndicator nemotronHealthIndicator(ModelFacts facts, GenerationScheduler scheduler) {
            return new NemotronHealthIndicator(facts, scheduler);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnEnabledInfoContributor("nemotron")
    static class InfoConfiguration {

        @Bean
        @ConditionalOnMissingBean
        NemotronInfoContributor nemotronInfoContributor(ModelFacts facts) {
            return new NemotronInfoContributor(facts);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @ConditionalOnAvailableEndpoint(NemotronEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        NemotronEndpoint nemotronEndpoint(ModelFacts facts, GenerationScheduler scheduler) {
            return new NemotronEndpoint(facts, scheduler);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        // Spring Boot binds every MeterBinder bean to the application's meter registries.
        @Bean
        @ConditionalOnMissingBean
        NemotronMetrics nemotronMetrics(GenerationScheduler scheduler, ModelFacts facts) {
            return new NemotronMetrics(scheduler, facts.name());
        }

    }
}
