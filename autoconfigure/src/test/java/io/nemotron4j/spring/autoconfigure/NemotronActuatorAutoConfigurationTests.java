package io.nemotron4j.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nemotron4j.spring.actuate.NemotronEndpoint;
import io.nemotron4j.spring.actuate.NemotronHealthIndicator;
import io.nemotron4j.spring.actuate.NemotronInfoContributor;
import io.nemotron4j.spring.actuate.NemotronMetrics;
import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.chat.observation.autoconfigure.ChatObservationAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link NemotronActuatorAutoConfiguration}: health, info, the {@code nemotron} endpoint and the engine meters,
 * each present with what it needs and gone without it, and the meters as Prometheus prints them.
 */
class NemotronActuatorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(NemotronChatAutoConfiguration.class,
                NemotronActuatorAutoConfiguration.class, ToolCallingAutoConfiguration.class,
                ChatClientAutoConfiguration.class, ChatObservationAutoConfiguration.class,
                ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
        .withUserConfiguration(Prometheus.class)
        .withPropertyValues("nemotron.engine.threads=1", "nemotron.model.path=" + TinyModel.path(),
                "nemotron.model.name=tiny");

    @Configuration(proxyBeanMethods = false)
    static class Prometheus {

        @Bean
        PrometheusMeterRegistry prometheusMeterRegistry() {
            return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }

    }

    private static ChatResponse ask(NemotronChatModel model, String text, NemotronChatOptions options) {
        return model.call(new Prompt(text, options));
    }

    /**
     * Seeded, so that the random tiny model does not now and then end a reply before its first token: a reply
     * without tokens has no time to first token, and counts that assume one would fail by chance.
     */
    private static NemotronChatOptions seeded(int maxTokens) {
        return NemotronChatOptions.builder().maxTokens(maxTokens).seed(7L).build();
    }

    @Test
    void theHealthIndicatorReportsTheLoadedModel() {
        this.runner.run(context -> {
            Health health = context.getBean(NemotronHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("model", "tiny")
                .containsEntry("loaded", true)
                .containsEntry("backend", "cpu")
                .hasEntrySatisfying("kernels", (kernels) -> assertThat((String) kernels).startsWith("Vector API"))
                .containsEntry("contextLength", 4096)
                .containsEntry("activeGenerations", 0)
                .containsEntry("queuedRequests", 0);
        });
    }

    @Test
    void theHealthTurnsOutOfServiceWhenShuttingDown() {
        this.runner.run(context -> {
            NemotronHealthIndicator indicator = context.getBean(NemotronHealthIndicator.class);
            context.getBean(io.nemotron4j.spring.chat.GenerationScheduler.class).close();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    void theInfoContributorDescribesTheModel() {
        this.runner.run(context -> {
            Info.Builder builder = new Info.Builder();
            context.getBean(NemotronInfoContributor.class).contribute(builder);
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) builder.build().getDetails().get("nemotron");
            assertThat(info).containsEntry("name", "tiny")
                .containsEntry("architecture", "nemotron_h")
                .containsEntry("contextLength", 4096)
                .containsEntry("vocabularySize", 4304)
                .containsEntry("backend", "cpu")
                // The test JVM runs with the Vector API module (and without -Dnemotron4j.kernels=native).
                .hasEntrySatisfying("kernels", (kernels) -> assertThat((String) kernels).startsWith("Vector API")
                    .doesNotContain("native"))
                .containsEntry("threads", 1)
                // The test model's matrices are F16, its norms and convolution kernels F32.
                .containsEntry("quantization", "F16")
                .containsEntry("weightType", "F16")
                .containsKeys("file", "fileSizeBytes", "parameters", "layers", "layerPattern");
            assertThat((Long) info.get("parameters")).isPositive();
        });
    }

    @Test
    void theEndpointReportsModelFactsAndGenerationCounters() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=nemotron").run(context -> {
            NemotronEndpoint endpoint = context.getBean(NemotronEndpoint.class);
            assertThat(endpoint.nemotron().generations()).containsEntry("completed", 0L)
                .containsEntry("tokensGenerated", 0L);

            ChatResponse response = ask(context.getBean(NemotronChatModel.class), "Hi",
                    seeded(6));
            int generated = response.getMetadata().getUsage().getCompletionTokens();

            NemotronEndpoint.NemotronDescriptor after = endpoint.nemotron();
            assertThat(after.model()).containsEntry("name", "tiny")
                .containsEntry("contextLength", 4096)
                .containsEntry("quantization", "F16");
            assertThat(after.generations()).containsEntry("activeSequences", 0)
                .containsEntry("queuedRequests", 0)
                .containsEntry("completed", 1L)
                .containsEntry("tokensGenerated", (long) generated)
                .containsEntry("promptTokens", (long) response.getMetadata().getUsage().getPromptTokens());
            if (generated > 1) {
                assertThat((Double) after.generations().get("decodeTokensPerSecond")).isPositive();
            }
        });
    }

    @Test
    void theEndpointIsOnlyThereWhenExposed() {
        this.runner.run(context -> assertThat(context).doesNotHaveBean(NemotronEndpoint.class));
    }

    @Test
    void theEngineMetersCountWhatTheGenerationsDid() {
        this.runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(NemotronMetrics.ACTIVE).tag("model", "tiny").gauge().value()).isZero();
            assertThat(meters.get(NemotronMetrics.QUEUED).tag("model", "tiny").gauge().value()).isZero();

            NemotronChatModel model = context.getBean(NemotronChatModel.class);
            ChatResponse first = ask(model, "Hi", seeded(5));
            ChatResponse second = ask(model, "Hello", seeded(5));
            long prompt = first.getMetadata().getUsage().getPromptTokens()
                    + second.getMetadata().getUsage().getPromptTokens();
            assertThat(first.getMetadata().getUsage().getCompletionTokens()).isPositive();
            assertThat(second.getMetadata().getUsage().getCompletionTokens()).isPositive();
            long generated = first.getMetadata().getUsage().getCompletionTokens()
                    + second.getMetadata().getUsage().getCompletionTokens();

            assertThat(meters.get(NemotronMetrics.TOKENS).tag("type", "input").counter().count()).isEqualTo(prompt);
            assertThat(meters.get(NemotronMetrics.TOKENS).tag("type", "reasoning").counter().count()
                    + meters.get(NemotronMetrics.TOKENS).tag("type", "output").counter().count())
                .isEqualTo(generated);
            assertThat(meters.get(NemotronMetrics.TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(2);
            double requests = meters.find(NemotronMetrics.REQUESTS).counters().stream().mapToDouble(c -> c.count())
                .sum();
            assertThat(requests).isEqualTo(2);
        });
    }

    @Test
    void prometheusPrintsTheEngineMetersAndTheSeriesStayBounded() {
        this.runner.run(context -> {
            PrometheusMeterRegistry prometheus = context.getBean(PrometheusMeterRegistry.class);
            NemotronChatModel model = context.getBean(NemotronChatModel.class);
            ask(model, "Hi", seeded(4));
            await().atMost(Duration.ofSeconds(10))
                .until(() -> prometheus.scrape().contains("gen_ai_client_operation_seconds_count"));
            String scrape = prometheus.scrape();
            assertThat(scrape).contains("nemotron_time_to_first_token_seconds_count{model=\"tiny\"} 1")
                .contains("nemotron_time_to_first_token_seconds_bucket")
                .contains("nemotron_tokens_total{model=\"tiny\",type=\"input\"}")
                .contains("nemotron_tokens_total{model=\"tiny\",type=\"reasoning\"}")
                .contains("nemotron_tokens_total{model=\"tiny\",type=\"output\"}")
                .contains("nemotron_requests_total{finish_reason=\"LENGTH\",model=\"tiny\"}")
                .contains("nemotron_requests_active{model=\"tiny\"} 0")
                .contains("nemotron_requests_queued{model=\"tiny\"} 0")
                .contains("nemotron_requests_rejected_total{model=\"tiny\"} 0")
                .contains("nemotron_batch_sequences{model=\"tiny\"} 1")
                .contains("nemotron_memory_reserved_bytes{model=\"tiny\"} 0")
                .contains("nemotron_prefix_hits_total{model=\"tiny\"} 0")
                .contains("nemotron_decode_stream_throughput_tokens_per_second{model=\"tiny\"}")
                .contains("gen_ai_client_token_usage_total");
            // The prompt's prefill and four decode steps at least; the tiny model reads its weights fast.
            assertThat(value(scrape, "nemotron_steps_total{model=\"tiny\"}")).isGreaterThanOrEqualTo(4);
            assertThat(value(scrape, "nemotron_memory_budget_bytes{model=\"tiny\"}")).isPositive();
            assertThat(value(scrape, "nemotron_decode_throughput_tokens_per_second{model=\"tiny\"}")).isPositive();
            Set<String> before = nemotronSeries(scrape);

            // Requests that differ in every way a caller controls add samples, never series.
            ChatClient client = context.getBean(ChatClient.Builder.class).build();
            for (int i = 0; i < 4; i++) {
                client.prompt()
                    .user("Question number " + i)
                    .options(NemotronChatOptions.builder()
                        .maxTokens(2 + i)
                        .temperature(0.1 * i)
                        .seed((long) i)
                        .thinking(i % 2 == 0)
                        .model("caller-model-" + i))
                    .call()
                    .content();
            }
            assertThat(nemotronSeries(prometheus.scrape())).isEqualTo(before);
        });
    }

    /** The value of one series in a scrape. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in the scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Each series of the nemotron_* meters: name and labels, without the value. */
    private static Set<String> nemotronSeries(String scrape) {
        Set<String> series = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(nemotron_[a-z_]+(\\{[^}]*})?) ").matcher(scrape);
        while (m.find()) {
            series.add(m.group(1));
        }
        assertThat(series).isNotEmpty();
        return series;
    }

    @Test
    void eachPartCanBeSwitchedOff() {
        this.runner.withPropertyValues("management.health.nemotron.enabled=false",
                "management.info.nemotron.enabled=false")
            .run(context -> {
                assertThat(context).doesNotHaveBean(NemotronHealthIndicator.class);
                assertThat(context).doesNotHaveBean(NemotronInfoContributor.class);
                assertThat(context).hasSingleBean(NemotronMetrics.class);
            });
    }

    @Test
    void withoutActuatorOrMicrometerOnlyTheChatModelIsThere() {
        this.runner
            .withClassLoader(new FilteredClassLoader(HealthIndicator.class, InfoContributor.class, Endpoint.class,
                    MeterBinder.class))
            .withPropertyValues("management.endpoints.web.exposure.include=nemotron")
            .run(context -> {
                assertThat(context).hasSingleBean(NemotronChatModel.class);
                assertThat(context).doesNotHaveBean(NemotronHealthIndicator.class);
                assertThat(context).doesNotHaveBean(NemotronInfoContributor.class);
                assertThat(context).doesNotHaveBean(NemotronEndpoint.class);
                assertThat(context).doesNotHaveBean(NemotronMetrics.class);
            });
    }

    @Test
    void withoutAModelThereIsNothingToReport() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NemotronChatAutoConfiguration.class,
                    NemotronActuatorAutoConfiguration.class))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(NemotronHealthIndicator.class);
                assertThat(context).doesNotHaveBean(NemotronMetrics.class);
            });
    }
}
