package io.nemotron4j.spring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.GenerationException;
import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.serve.SchedulerOptions;
import io.nemotron4j.spring.chat.GenerationScheduler;
import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import io.nemotron4j.spring.model.ModelFacts;
import io.nemotron4j.spring.model.ModelFailureAnalyzer;
import io.nemotron4j.spring.model.NemotronModelException;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.chat.observation.autoconfigure.ChatObservationAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NemotronChatAutoConfiguration} in every condition: present (a model configured, selected or not), absent
 * (no model configured, no engine on the class path), backed off (another provider selected, the application's own
 * beans) and misconfigured (start-up fails and says why).
 */
@ExtendWith(OutputCaptureExtension.class)
class NemotronChatAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(NemotronChatAutoConfiguration.class,
                NemotronActuatorAutoConfiguration.class, ToolCallingAutoConfiguration.class,
                ChatObservationAutoConfiguration.class, ChatClientAutoConfiguration.class))
        .withPropertyValues("nemotron.engine.threads=1");

    private static String tinyModel() {
        return "nemotron.model.path=" + TinyModel.path();
    }

    private static void assertNoNemotronBeans(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        assertThat(context).doesNotHaveBean(NemotronEngine.class);
        assertThat(context).doesNotHaveBean(GenerationScheduler.class);
        assertThat(context).doesNotHaveBean(NemotronChatModel.class);
    }

    private static NemotronModelException startupFailure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof NemotronModelException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("a NemotronModelException among the causes of %s", context.getStartupFailure())
            .isNotNull();
        return (NemotronModelException) failure;
    }

    // Present

    @Test
    void aConfiguredModelGivesAChatModelAndAChatClient() {
        this.runner.withPropertyValues(tinyModel()).run(context -> {
            assertThat(context).hasSingleBean(NemotronEngine.class);
            assertThat(context).hasSingleBean(GenerationScheduler.class);
            assertThat(context).hasSingleBean(ModelFacts.class);
            assertThat(context).getBean(ChatModel.class).isInstanceOf(NemotronChatModel.class);
            ChatResponse response = context.getBean(ChatClient.Builder.class)
                .build()
                .prompt()
                .user("Hello")
                .options(NemotronChatOptions.builder().maxTokens(4))
                .call()
                .chatResponse();
            assertThat(response.getMetadata().getModel()).isEqualTo("nemotron-h-tokenizer-fixture-tekken");
            assertThat(response.getMetadata().getUsage().getCompletionTokens()).isBetween(1, 4);
        });
    }

    @Test
    void selectingNemotronExplicitlyWorksToo() {
        this.runner.withPropertyValues(tinyModel(), "spring.ai.model.chat=nemotron")
            .run(context -> assertThat(context).hasSingleBean(NemotronChatModel.class));
    }

    @Test
    void theModelIsLoadedOnceAtStartAndClosedAtShutdown(CapturedOutput output) {
        this.runner.withPropertyValues(tinyModel()).run(context -> {
            assertThat(output).containsOnlyOnce("Loaded Nemotron-H model");
            ChatModel model = context.getBean(ChatModel.class);
            model.call(new org.springframework.ai.chat.prompt.Prompt("One",
                    NemotronChatOptions.builder().maxTokens(2).build()));
            model.call(new org.springframework.ai.chat.prompt.Prompt("Two",
                    NemotronChatOptions.builder().maxTokens(2).build()));
            assertThat(output).containsOnlyOnce("Loaded Nemotron-H model");

            NemotronEngine engine = context.getBean(NemotronEngine.class);
            GenerationScheduler scheduler = context.getBean(GenerationScheduler.class);
            context.close();
            assertThat(scheduler.isClosed()).isTrue();
            GenerationRequest request = new GenerationRequest(List.of(ChatMessage.user("after")), List.of(),
                    GenerationOptions.builder().maxTokens(1).build());
            assertThatThrownBy(() -> engine.submit(request, e -> {
            })).as("a closed engine takes no work").isInstanceOf(GenerationException.class)
                .hasMessageContaining("closed");
        });
    }

    @Test
    void chatPropertiesBecomeTheDefaultOptions() {
        this.runner
            .withPropertyValues(tinyModel(), "nemotron.model.name=my-nemotron", "nemotron.chat.max-tokens=77",
                    "nemotron.chat.temperature=0.2", "nemotron.chat.top-k=8", "nemotron.chat.top-p=0.7",
                    "nemotron.chat.min-p=0.05", "nemotron.chat.repetition-penalty=1.15",
                    "nemotron.chat.presence-penalty=0.3", "nemotron.chat.frequency-penalty=0.4",
                    "nemotron.chat.stop-sequences=END,STOP", "nemotron.chat.seed=5", "nemotron.chat.thinking=false",
                    "nemotron.chat.thinking-budget=32")
            .run(context -> {
                NemotronChatOptions o = context.getBean(NemotronChatModel.class).getOptions();
                assertThat(o.getModel()).isEqualTo("my-nemotron");
                assertThat(o.getMaxTokens()).isEqualTo(77);
                assertThat(o.getTemperature()).isEqualTo(0.2);
                assertThat(o.getTopK()).isEqualTo(8);
                assertThat(o.getTopP()).isEqualTo(0.7);
                assertThat(o.getMinP()).isEqualTo(0.05);
                assertThat(o.getRepetitionPenalty()).isEqualTo(1.15);
                assertThat(o.getPresencePenalty()).isEqualTo(0.3);
                assertThat(o.getFrequencyPenalty()).isEqualTo(0.4);
                assertThat(o.getStopSequences()).containsExactly("END", "STOP");
                assertThat(o.getSeed()).isEqualTo(5L);
                assertThat(o.getThinking()).isFalse();
                assertThat(o.getThinkingBudget()).isEqualTo(32);
                assertThat(context.getBean(ModelFacts.class).name()).isEqualTo("my-nemotron");
            });
    }

    @Test
    void engineProperties() {
        this.runner
            .withPropertyValues(tinyModel(), "nemotron.engine.prefill-chunk=16", "nemotron.engine.max-sequences=2",
                    "nemotron.engine.queue-size=3", "nemotron.engine.memory-budget=300MB",
                    "nemotron.engine.prefill-tokens-per-step=5", "nemotron.engine.prefix-cache=0")
            .run(context -> {
                NemotronEngine engine = context.getBean(NemotronEngine.class);
                assertThat(engine.model().options().threads()).isEqualTo(1);
                assertThat(engine.model().options().prefillChunk()).isEqualTo(16);
                assertThat(engine.scheduler().options())
                    .isEqualTo(new SchedulerOptions(2, 300L << 20, 3, 5, 0));
                GenerationScheduler scheduler = context.getBean(GenerationScheduler.class);
                assertThat(scheduler.statistics().maxConcurrentGenerations()).isEqualTo(2);
                assertThat(scheduler.statistics().maxQueuedRequests()).isEqualTo(3);
            });
    }

    @Test
    void moreSequencesThanAStepHoldsFailsTheStartWithTheReason() {
        this.runner
            .withPropertyValues(tinyModel(), "nemotron.engine.prefill-chunk=4", "nemotron.engine.max-sequences=8")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("maxSequences is 8 but one step holds 4 tokens"));
    }

    // Absent

    @Test
    void withoutAConfiguredModelNothingIsCreatedAndTheAppStarts() {
        this.runner.run(NemotronChatAutoConfigurationTests::assertNoNemotronBeans);
    }

    @Test
    void withoutTheEngineOnTheClassPathNothingIsCreated() {
        this.runner.withPropertyValues(tinyModel())
            .withClassLoader(new FilteredClassLoader(NemotronEngine.class))
            .run(NemotronChatAutoConfigurationTests::assertNoNemotronBeans);
    }

    // Backed off

    @Test
    void anotherSelectedProviderBacksItOff() {
        this.runner.withPropertyValues(tinyModel(), "spring.ai.model.chat=openai")
            .run(NemotronChatAutoConfigurationTests::assertNoNemotronBeans);
        this.runner.withPropertyValues(tinyModel(), "spring.ai.model.chat=none")
            .run(NemotronChatAutoConfigurationTests::assertNoNemotronBeans);
    }

    @Test
    void theApplicationsOwnBeansWin() {
        this.runner.withPropertyValues(tinyModel()).withUserConfiguration(OwnChatModel.class).run(context -> {
            assertThat(context).hasSingleBean(NemotronChatModel.class);
            assertThat(context.getBean(NemotronChatModel.class).getModelName()).isEqualTo("own");
        });
        // An application that supplies its engine needs no model file at all.
        this.runner.withPropertyValues("nemotron.model.path=/does/not/exist.gguf")
            .withUserConfiguration(OwnEngine.class)
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(NemotronChatModel.class).getScheduler().engine())
                    .isSameAs(context.getBean("ownEngine"));
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChatModel {

        @Bean
        NemotronChatModel ownChatModel(NemotronEngine engine) {
            return NemotronChatModel.builder().engine(engine).modelName("own").build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {

        @Bean(destroyMethod = "close")
        NemotronEngine ownEngine() {
            return TinyModel.load();
        }

    }

    // Misconfigured

    @Test
    void aMissingFileFailsStartUpWithAClearMessage() {
        this.runner.withPropertyValues("nemotron.model.path=/models/missing.gguf").run(context -> {
            NemotronModelException failure = startupFailure(context);
            assertThat(failure).hasMessageContaining("/models/missing.gguf").hasMessageContaining("does not exist");
            assertThat(failure.getAction()).contains("nemotron.model.path");
        });
    }

    @Test
    void aFileThatIsNotANemotronGgufFailsStartUp(@TempDir Path dir) throws IOException {
        Path notAModel = Files.writeString(dir.resolve("notes.gguf"), "these are not weights, just some notes");
        this.runner.withPropertyValues("nemotron.model.path=" + notAModel).run(context -> {
            NemotronModelException failure = startupFailure(context);
            assertThat(failure).hasMessageContaining("is not a usable Nemotron-H GGUF")
                .hasMessageContaining("not a GGUF file");
        });
        this.runner.withPropertyValues("nemotron.model.path=" + dir).run(context -> {
            assertThat(startupFailure(context)).hasMessageContaining("is not a file");
        });
    }

    @Test
    void contradictoryOrIncompleteSettingsFailStartUp() {
        this.runner.withPropertyValues(tinyModel(), "nemotron.model.uri=hf://a/b/c.gguf")
            .run(context -> assertThat(startupFailure(context)).hasMessageContaining("both nemotron.model.path"));
        this.runner.withPropertyValues("spring.ai.model.chat=nemotron")
            .run(context -> assertThat(startupFailure(context)).hasMessageContaining("no Nemotron model is configured"));
        this.runner.withPropertyValues("nemotron.model.uri=ftp://example.org/model.gguf")
            .run(context -> assertThat(startupFailure(context)).hasMessageContaining("unsupported scheme 'ftp'"));
        this.runner.withPropertyValues("nemotron.model.uri=hf://only-an-owner")
            .run(context -> assertThat(startupFailure(context))
                .hasMessageContaining("not a valid Hugging Face reference"));
        this.runner.withPropertyValues(tinyModel(), "nemotron.model.sha256=xyz")
            .run(context -> assertThat(startupFailure(context)).hasMessageContaining("is not a SHA-256"));
        this.runner.withPropertyValues(tinyModel(), "nemotron.model.sha256=" + "0".repeat(64))
            .run(context -> assertThat(startupFailure(context)).hasMessageContaining("has SHA-256")
                .hasMessageContaining("0".repeat(64)));
    }

    @Test
    void theFailureReportSaysWhatIsWrongAndWhatToDo() {
        this.runner.withPropertyValues("nemotron.model.path=/models/missing.gguf").run(context -> {
            FailureAnalysis analysis = new ModelFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("/models/missing.gguf").contains("does not exist");
            assertThat(analysis.getAction()).contains("nemotron.model.path").contains("nemotron.model.uri");
        });
    }
}
