package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.PromptTooLongException;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.engine.tokenizer.Tokenizer;
import io.nemotron4j.spring.testsupport.ScriptedChooser;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link NemotronChatModel} on the real test model: the model, tokenizer, chat template and generation loop run
 * for real; a scripted chooser decides what the model says where a test needs specific output.
 */
@ExtendWith(OutputCaptureExtension.class)
class NemotronChatModelTests {

    private static NemotronEngine engine;

    private static Tokenizer tokenizer;

    private final AtomicReference<Function<GenerationRequest, TokenChooser>> script = new AtomicReference<>();

    private final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();

    private final List<CompletedGeneration> completed = new CopyOnWriteArrayList<>();

    private GenerationScheduler scheduler;

    @BeforeAll
    static void loadModel() {
        engine = TinyModel.load();
        tokenizer = engine.tokenizer();
    }

    @AfterAll
    static void closeModel() {
        engine.close();
    }

    @BeforeEach
    void newScheduler() {
        this.scheduler = new GenerationScheduler(engine);
        this.scheduler.addListener(this.completed::add);
    }

    private NemotronChatModel model(ChatOptions defaults, ObservationRegistry observations) {
        return NemotronChatModel.builder()
            .scheduler(this.scheduler)
            .modelName("tiny-nemotron")
            .defaultOptions(defaults)
            .observationRegistry(observations)
            .tokenChooserFactory(request -> {
                this.requests.add(request);
                Function<GenerationRequest, TokenChooser> s = this.script.get();
                return (s != null) ? s.apply(request) : null;
            })
            .build();
    }

    private NemotronChatModel model() {
        return model(NemotronChatOptions.builder().build(), ObservationRegistry.NOOP);
    }

    private void says(String... texts) {
        this.script.set(r -> ScriptedChooser.says(tokenizer, texts));
    }

    @Test
    void aCallKeepsTheReasoningOutOfTheAnswer() {
        says("Let me think.\n", "</think>", "\n\nHello there.");
        ChatResponse response = model().call(new Prompt("Hi"));

        assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello there.");
        assertThat(NemotronChatMetadata.reasoningOf(response)).isEqualTo("Let me think.");
        assertThat(response.getResult().getOutput().getMetadata())
            .containsEntry(NemotronChatMetadata.REASONING_CONTENT, "Let me think.");
        assertThat((String) response.getResult().getMetadata().get(NemotronChatMetadata.REASONING_CONTENT))
            .isEqualTo("Let me think.");
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(response.getMetadata().getModel()).isEqualTo("tiny-nemotron");
        assertThat(response.getMetadata().getId()).startsWith("nemotron-");

        int reasoningTokens = tokenizer.encodeWithSpecials("Let me think.\n</think>").length;
        int answerTokens = tokenizer.encodeWithSpecials("\n\nHello there.").length;
        assertThat(NemotronChatMetadata.reasoningTokensOf(response)).isEqualTo(reasoningTokens);
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(reasoningTokens + answerTokens);
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isPositive();
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(
                response.getMetadata().getUsage().getPromptTokens() + reasoningTokens + answerTokens);
        assertThat(response.getMetadata().getUsage().getNativeUsage())
            .isInstanceOf(io.nemotron4j.engine.generate.Usage.class);
        assertThat((Double) response.getMetadata().get(NemotronChatMetadata.TIME_TO_FIRST_TOKEN_MILLIS)).isPositive();
    }

    @Test
    void aStreamSendsTheAnswerAsTextAndTheReasoningCumulativelyInMetadata() {
        says("Let me think.\n", "</think>", "\n\nHello there.");
        List<ChatResponse> chunks = model().stream(new Prompt("Hi")).collectList().block(Duration.ofSeconds(60));

        StringBuilder answer = new StringBuilder();
        StringBuilder reasoningDeltas = new StringBuilder();
        String lastCumulative = "";
        for (ChatResponse chunk : chunks) {
            AssistantMessage out = chunk.getResult().getOutput();
            answer.append(out.getText());
            Object delta = out.getMetadata().get(NemotronChatMetadata.REASONING_DELTA);
            if (delta != null) {
                assertThat(out.getText()).as("a reasoning chunk has no answer text").isEmpty();
                reasoningDeltas.append(delta);
                String cumulative = (String) out.getMetadata().get(NemotronChatMetadata.REASONING_CONTENT);
                assertThat(cumulative).startsWith(lastCumulative).isEqualTo(reasoningDeltas.toString());
                lastCumulative = cumulative;
            }
        }
        assertThat(answer.toString()).isEqualTo("Hello there.");
        assertThat(reasoningDeltas.toString()).isEqualTo("Let me think.");

        ChatResponse last = chunks.getLast();
        assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(last.getMetadata().getUsage().getCompletionTokens())
            .isEqualTo(tokenizer.encodeWithSpecials("Let me think.\n</think>\n\nHello there.").length);
        assertThat(chunks.subList(0, chunks.size() - 1))
            .allSatisfy(c -> assertThat(c.getResult().getMetadata().getFinishReason()).isNull());

        // What Spring AI's aggregation (ChatClient, advisors, observations) makes of the stream.
        AtomicReference<ChatResponse> aggregated = new AtomicReference<>();
        new MessageAggregator().aggregate(reactor.core.publisher.Flux.fromIterable(chunks), aggregated::set)
            .blockLast();
        assertThat(aggregated.get().getResult().getOutput().getText()).isEqualTo("Hello there.");
        assertThat(NemotronChatMetadata.reasoningOf(aggregated.get())).isEqualTo("Let me think.");
        assertThat(aggregated.get().getMetadata().getUsage().getPromptTokens()).isPositive();
    }

    @Test
    void thinkingOffSkipsTheReasoning() {
        says("Hello!");
        ChatResponse response = model()
            .call(new Prompt("Hi", NemotronChatOptions.builder().thinking(false).build()));
        assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello!");
        assertThat(NemotronChatMetadata.reasoningOf(response)).isEmpty();
        assertThat(NemotronChatMetadata.reasoningTokensOf(response)).isZero();
        assertThat(this.requests.getLast().options().thinking()).isEqualTo(ThinkingMode.OFF);
    }

    @Test
    void theThinkingBudgetClosesTheReasoningAndTheAnswerFollows() {
        this.script.set(r -> ScriptedChooser.reasonsUntilCut(tokenizer, "mull ", "Forty-two."));
        ChatResponse response = model()
            .call(new Prompt("What is the answer?", NemotronChatOptions.builder().thinkingBudget(5).build()));
        assertThat(response.getResult().getOutput().getText()).isEqualTo("Forty-two.");
        assertThat(response.getResult().getMetadata().getFinishReason())
            .isEqualTo(NemotronChatMetadata.FINISH_THINKING_BUDGET);
        assertThat(NemotronChatMetadata.reasoningTokensOf(response)).isBetween(5,
                5 + GenerationOptions.DEFAULT_THINKING_GRACE);
        assertThat(NemotronChatMetadata.reasoningOf(response)).startsWith("mull mull");
    }

    @Test
    void toolCallsComeBackAsSpringAiToolCalls() {
        says("<TOOLCALL>[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]</TOOLCALL>");
        FunctionToolCallback<Map<String, String>, String> weather = FunctionToolCallback
            .builder("get_weather", (Map<String, String> in) -> "sunny")
            .description("Weather for a city")
            .inputType(Map.class)
            .inputSchema("{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}")
            .build();
        ChatResponse response = model().call(new Prompt("Weather in Paris?",
                NemotronChatOptions.builder().thinking(false).toolCallbacks(List.of(weather)).build()));

        assertThat(response.hasToolCalls()).isTrue();
        AssistantMessage.ToolCall call = response.getResult().getOutput().getToolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.type()).isEqualTo("function");
        assertThat(call.id()).startsWith("call_").hasSizeGreaterThan(10);
        assertThat(call.arguments()).contains("\"city\"").contains("Paris");
        assertThat(response.getResult().getOutput().getText()).isEmpty();
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");

        GenerationRequest sent = this.requests.getLast();
        assertThat(sent.tools()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("get_weather");
            assertThat(t.description()).isEqualTo("Weather for a city");
            assertThat(t.parametersJsonSchema()).contains("city");
        });
    }

    @Test
    void aStreamedToolCallArrivesOnceOnTheLastChunk() {
        says("Checking.\n<TOOLCALL>[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}]</TOOLCALL>");
        List<ChatResponse> chunks = model()
            .stream(new Prompt("Weather in Oslo?", NemotronChatOptions.builder().thinking(false).build()))
            .collectList()
            .block(Duration.ofSeconds(60));
        assertThat(chunks.stream().filter(ChatResponse::hasToolCalls)).hasSize(1);
        assertThat(chunks.getLast().hasToolCalls()).isTrue();
        assertThat(chunks.getLast().getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
        assertThat(chunks.stream().map(c -> c.getResult().getOutput().getText()).reduce("", String::concat))
            .isEqualTo("Checking.");
    }

    @Test
    void everyMessageTypeReachesTheChatTemplate() {
        says("Tomorrow looks similar.\n</think>\n\nDone.");
        AssistantMessage assistant = AssistantMessage.builder()
            .content("")
            .properties(Map.of(NemotronChatMetadata.REASONING_CONTENT, "I need the weather."))
            .toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "get_weather",
                    "{\"city\": \"Paris\"}")))
            .build();
        ToolResponseMessage toolResult = ToolResponseMessage.builder()
            .responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "get_weather", "{\"sky\": \"clear\"}")))
            .build();
        List<Message> history = List.of(new SystemMessage("Be brief."), new UserMessage("Weather in Paris?"),
                assistant, toolResult, new UserMessage("Thanks, and tomorrow?"));

        ChatResponse response = model().call(new Prompt(history));

        assertThat(response.getResult().getOutput().getText()).isEqualTo("Done.");
        List<ChatMessage> sent = this.requests.getLast().messages();
        assertThat(sent).extracting(ChatMessage::role)
            .containsExactly(ChatMessage.Role.SYSTEM, ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT,
                    ChatMessage.Role.TOOL, ChatMessage.Role.USER);
        assertThat(sent.get(0).content()).isEqualTo("Be brief.");
        assertThat(sent.get(2).toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("call_1");
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.argumentsJson()).isEqualTo("{\"city\": \"Paris\"}");
        });
        assertThat(sent.get(2).reasoning()).isEqualTo("I need the weather.");
        assertThat(sent.get(3).toolCallId()).isEqualTo("call_1");
        assertThat(sent.get(3).content()).isEqualTo("{\"sky\": \"clear\"}");
        assertThat(sent.get(4).content()).isEqualTo("Thanks, and tomorrow?");
    }

    @Test
    void mediaIsRefusedRatherThanSilentlyDropped() {
        UserMessage withImage = UserMessage.builder()
            .text("What is in this picture?")
            .media(List.of(new Media(MimeTypeUtils.IMAGE_PNG, new ByteArrayResource(new byte[] { 1, 2, 3 }))))
            .build();
        assertThatThrownBy(() -> model().call(new Prompt(withImage))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("text only")
            .hasMessageContaining("1 media attachment");
    }

    @Test
    void requestOptionsOfAnyTypeMergeOverTheDefaults() {
        this.script.set(r -> ScriptedChooser.repeatsForever(tokenizer, "la "));
        NemotronChatModel model = model(NemotronChatOptions.builder().thinking(false).seed(7L).temperature(0.3).build(),
                ObservationRegistry.NOOP);
        // A plain Spring AI options object, as a caller that knows nothing of Nemotron would pass.
        ChatResponse response = model.call(new Prompt("Sing", ChatOptions.builder().maxTokens(3).topK(5).build()));

        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("LENGTH");
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
        GenerationOptions sent = this.requests.getLast().options();
        assertThat(sent.maxTokens()).isEqualTo(3);
        assertThat(sent.thinking()).isEqualTo(ThinkingMode.OFF);
        assertThat(sent.sampling().seed()).isEqualTo(7L);
        assertThat(sent.sampling().topK()).isEqualTo(5);
        assertThat(sent.sampling().temperature()).isEqualTo(0.3f);
    }

    @Test
    void unsetOptionsGetTheBuiltInDefaults() {
        NemotronChatModel model = model();
        assertThat(model.getOptions().getModel()).isEqualTo("tiny-nemotron");
        assertThat(model.getOptions().getMaxTokens()).isEqualTo(NemotronChatOptions.DEFAULT_MAX_TOKENS);
        assertThat(model.getOptions().getTemperature()).as("depends on reasoning, so left open").isNull();

        // Without reasoning NVIDIA advises greedy decoding; with it, temperature 0.6 and top-p 0.95.
        assertThat(NemotronChatModel.generationOptions(NemotronChatOptions.builder().thinking(false).build())
            .sampling()
            .isGreedy()).isTrue();
        assertThat(NemotronChatModel.generationOptions(NemotronChatOptions.builder().thinkingBudget(0).build())
            .sampling()
            .isGreedy()).isTrue();
        assertThat(NemotronChatModel.generationOptions(NemotronChatOptions.builder().thinking(true).build())
            .sampling()
            .temperature()).isEqualTo(0.6f);
        assertThat(NemotronChatModel
            .generationOptions(NemotronChatOptions.builder().thinking(false).temperature(0.8).build())
            .sampling()
            .temperature()).as("a configured temperature wins").isEqualTo(0.8f);

        GenerationOptions mapped = NemotronChatModel.generationOptions(NemotronChatOptions.builder().build());
        assertThat(mapped.maxTokens()).isEqualTo(2048);
        assertThat(mapped.sampling().temperature()).isEqualTo(0.6f);
        assertThat(mapped.sampling().topP()).isEqualTo(0.95f);
        assertThat(mapped.sampling().minP()).isZero();
        assertThat(mapped.sampling().repetitionPenalty()).isEqualTo(1f);
        assertThat(mapped.thinking()).isEqualTo(ThinkingMode.DEFAULT);
        assertThat(mapped.thinkingBudget()).isEqualTo(GenerationOptions.UNLIMITED);

        GenerationOptions explicit = NemotronChatModel.generationOptions(NemotronChatOptions.builder()
            .maxTokens(99)
            .temperature(0.0)
            .topK(3)
            .topP(0.5)
            .minP(0.1)
            .repetitionPenalty(1.3)
            .presencePenalty(0.2)
            .frequencyPenalty(0.4)
            .stopSequences(List.of("END"))
            .seed(42L)
            .thinking(true)
            .thinkingBudget(12)
            .build());
        assertThat(explicit.maxTokens()).isEqualTo(99);
        assertThat(explicit.sampling().isGreedy()).isTrue();
        assertThat(explicit.sampling().topK()).isEqualTo(3);
        assertThat(explicit.sampling().topP()).isEqualTo(0.5f);
        assertThat(explicit.sampling().minP()).isEqualTo(0.1f);
        assertThat(explicit.sampling().repetitionPenalty()).isEqualTo(1.3f);
        assertThat(explicit.sampling().presencePenalty()).isEqualTo(0.2f);
        assertThat(explicit.sampling().frequencyPenalty()).isEqualTo(0.4f);
        assertThat(explicit.sampling().seed()).isEqualTo(42L);
        assertThat(explicit.stop()).containsExactly("END");
        assertThat(explicit.thinking()).isEqualTo(ThinkingMode.ON);
        assertThat(explicit.thinkingBudget()).isEqualTo(12);
    }

    @Test
    void withoutAChooserTheEngineSamplesAndASeedReproduces() {
        NemotronChatModel model = model(NemotronChatOptions.builder().maxTokens(12).seed(11L).temperature(1.0).build(),
                ObservationRegistry.NOOP);
        ChatResponse a = model.call(new Prompt("Tell me about Mamba layers."));
        ChatResponse b = model.call(new Prompt("Tell me about Mamba layers."));
        assertThat(a.getMetadata().getUsage().getCompletionTokens()).isPositive();
        assertThat(b.getResult().getOutput().getText()).isEqualTo(a.getResult().getOutput().getText());
        assertThat(NemotronChatMetadata.reasoningOf(b)).isEqualTo(NemotronChatMetadata.reasoningOf(a));
    }

    @Test
    void cancellingTheStreamCancelsTheGeneration() {
        this.script.set(r -> ScriptedChooser.repeatsForever(tokenizer, "la "));
        NemotronChatModel model = model(NemotronChatOptions.builder().thinking(false).maxTokens(3000).build(),
                ObservationRegistry.NOOP);
        List<ChatResponse> firstFive = model.stream(new Prompt("Sing forever")).take(5).collectList()
            .block(Duration.ofSeconds(60));
        assertThat(firstFive).hasSize(5);

        await().atMost(Duration.ofSeconds(30)).until(() -> !this.completed.isEmpty());
        CompletedGeneration done = this.completed.getFirst();
        assertThat(done.finishReason()).isEqualTo(FinishReason.CANCELLED);
        // As below: how many tokens the tiny model decodes before the cancel lands depends on the machine's load
        // (107 on one CI run); it must stop well before its limit.
        assertThat(done.usage().generatedTokens()).isLessThan(3000);
        assertThat(this.scheduler.activeGenerations()).isZero();
    }

    @Test
    void aRefusedStreamFailsWithTheRefusalAndLogsNoError(CapturedOutput output) {
        NemotronChatModel model = model();
        this.scheduler.close();
        assertThatThrownBy(() -> model.stream(new Prompt("Hello")).blockLast(Duration.ofSeconds(10)))
            .isInstanceOf(GenerationRejectedException.class);
        // Refusing is how a full engine sheds load: the caller hears of it (a 503 over HTTP), the log stays quiet.
        assertThat(output.getOut() + output.getErr()).doesNotContain("Aggregation Error")
            .doesNotContain("GenerationRejectedException");
    }

    @Test
    void aSubscriberThatBlocksStallsOnlyItsOwnStream() throws InterruptedException {
        says("Hello there, and a few more words to stream.");
        NemotronChatModel model = model(NemotronChatOptions.builder().thinking(false).maxTokens(20).build(),
                ObservationRegistry.NOOP);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> blockedOn = ConcurrentHashMap.newKeySet();
        Disposable blocking = model.stream(new Prompt("Block")).subscribe((chunk) -> {
            blockedOn.add(Thread.currentThread().getName());
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !blockedOn.isEmpty());
            // Were chunks handed over on the engine's step thread, this stream would wait for the blocked one.
            List<ChatResponse> other = model.stream(new Prompt("Go")).collectList().block(Duration.ofSeconds(20));
            assertThat(other).isNotEmpty();
            assertThat(blockedOn).noneMatch((name) -> name.startsWith("nemotron4j-scheduler"));
        }
        finally {
            release.countDown();
            blocking.dispose();
        }
    }

    @Test
    void disposingASubscriptionCancelsTheGeneration() throws InterruptedException {
        this.script.set(r -> ScriptedChooser.repeatsForever(tokenizer, "la "));
        NemotronChatModel model = model(NemotronChatOptions.builder().thinking(false).maxTokens(3000).build(),
                ObservationRegistry.NOOP);
        List<String> seen = new CopyOnWriteArrayList<>();
        Disposable subscription = model.stream(new Prompt("Sing forever"))
            .subscribe(c -> seen.add(c.getResult().getOutput().getText()));
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 3);
        subscription.dispose();

        await().atMost(Duration.ofSeconds(30)).until(() -> !this.completed.isEmpty());
        assertThat(this.completed.getFirst().finishReason()).isEqualTo(FinishReason.CANCELLED);
        // The tiny model decodes hundreds of tokens a second, so how far it got depends on the machine's load;
        // what must hold is that it stopped well before its limit instead of running to it.
        assertThat(this.completed.getFirst().usage().generatedTokens()).isLessThan(3000);
    }

    @Test
    void aPromptThatDoesNotFitFailsClearlyInCallAndStream() {
        Prompt huge = new Prompt("word ".repeat(5000));
        assertThatThrownBy(() -> model().call(huge)).isInstanceOf(PromptTooLongException.class)
            .hasMessageContaining("context is 4,096");
        assertThatThrownBy(() -> model().stream(huge).blockLast(Duration.ofSeconds(30)))
            .isInstanceOf(PromptTooLongException.class);
    }

    @Test
    void callsAndStreamsAreObservedAsSpringAiChatOperations() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        NemotronChatModel model = model(NemotronChatOptions.builder().thinking(false).build(), observations);

        says("Hello!");
        // The caller's model name is not what runs: the observation names the loaded model.
        model.call(new Prompt("Hi", ChatOptions.builder().model("some-other-model").build()));
        TestObservationRegistryAssert.assertThat(observations)
            .doesNotHaveAnyRemainingCurrentObservation()
            .hasObservationWithNameEqualTo("gen_ai.client.operation")
            .that()
            .hasContextualNameEqualTo("chat tiny-nemotron")
            .hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
            .hasLowCardinalityKeyValue("gen_ai.system", "nemotron")
            .hasLowCardinalityKeyValue("gen_ai.request.model", "tiny-nemotron")
            .hasLowCardinalityKeyValue("gen_ai.response.model", "tiny-nemotron")
            .hasHighCardinalityKeyValue("gen_ai.response.finish_reasons", "[\"STOP\"]")
            .hasBeenStarted()
            .hasBeenStopped();

        TestObservationRegistry streamObservations = TestObservationRegistry.create();
        NemotronChatModel streaming = model(NemotronChatOptions.builder().thinking(false).build(),
                streamObservations);
        streaming.stream(new Prompt("Hi")).blockLast(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> TestObservationRegistryAssert.assertThat(streamObservations)
                .hasObservationWithNameEqualTo("gen_ai.client.operation")
                .that()
                .hasLowCardinalityKeyValue("gen_ai.system", "nemotron")
                .hasLowCardinalityKeyValue("gen_ai.response.model", "tiny-nemotron")
                .hasHighCardinalityKeyValue("gen_ai.response.finish_reasons", "[\"STOP\"]")
                .hasBeenStarted()
                .hasBeenStopped());
    }

    @Test
    void tokenUsageReachesTheGenAiMetersForCallsAndStreams() {
        MeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig()
            .observationHandler(new ChatModelMeterObservationHandler(meters))
            .observationHandler(new DefaultMeterObservationHandler(meters));
        NemotronChatModel model = model(NemotronChatOptions.builder().thinking(false).build(), observations);

        says("Hello!");
        ChatResponse called = model.call(new Prompt("Hi"));
        says("Hello again!");
        List<ChatResponse> streamed = model.stream(new Prompt("Hi")).collectList().block(Duration.ofSeconds(60));
        int prompt = called.getMetadata().getUsage().getPromptTokens()
                + streamed.getLast().getMetadata().getUsage().getPromptTokens();
        int output = called.getMetadata().getUsage().getCompletionTokens()
                + streamed.getLast().getMetadata().getUsage().getCompletionTokens();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("gen_ai.client.operation").tag("gen_ai.system", "nemotron").timer().count())
                .isEqualTo(2);
            assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").counter().count())
                .isEqualTo(prompt);
            assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").counter().count())
                .isEqualTo(output);
        });
    }

    @Test
    void theNameComesFromTheBuilderTheDefaultOptionsOrTheGguf() {
        assertThat(NemotronChatModel.builder()
            .engine(engine)
            .defaultOptions(ChatOptions.builder().model("from-options").build())
            .build()
            .getModelName()).isEqualTo("from-options");
        assertThat(NemotronChatModel.builder()
            .engine(engine)
            .modelName("from-builder")
            .defaultOptions(ChatOptions.builder().model("from-options").build())
            .build()
            .getOptions()
            .getModel()).isEqualTo("from-builder");
    }

    @Test
    void theDefaultNameIsTheGgufsGeneralName() {
        NemotronChatModel model = NemotronChatModel.builder().engine(engine).build();
        assertThat(model.getModelName()).isEqualTo("nemotron-h-tokenizer-fixture-tekken");
        assertThat(model.getScheduler().engine()).isSameAs(engine);
        List<String> names = new ArrayList<>();
        names.add(model.getOptions().getModel());
        assertThat(names).containsExactly("nemotron-h-tokenizer-fixture-tekken");
    }
}
