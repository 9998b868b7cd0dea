package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.nemotron4j.engine.chat.ToolCall;
import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationException;
import io.nemotron4j.engine.generate.GenerationListener;
import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.SamplingOptions;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.engine.generate.Usage;
import io.nemotron4j.spring.model.ModelFacts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.util.Assert;

/**
 * A Spring AI {@link ChatModel} (and so a streaming one) that runs a Nemotron-H model in this process through the
 * Nemotron4j engine.
 *
 * <ul>
 * <li>Messages: system, user, assistant (with tool calls and reasoning) and tool responses are rendered by the
 * model's own chat template.</li>
 * <li>Tools: the options' tool callbacks are offered to the model; when it calls them, the response carries Spring
 * AI tool calls (finish reason {@value NemotronChatMetadata#FINISH_TOOL_CALLS}) and {@code ChatClient}'s
 * tool-calling advisor runs them and calls the model again. This class never executes tools itself.</li>
 * <li>Reasoning: never part of the answer text; see {@link NemotronChatMetadata} for where it goes, in calls and in
 * streams.</li>
 * <li>Options: per-request options of any {@link ChatOptions} type merge over the defaults
 * ({@link NemotronChatOptions.Builder#mergeFrom}).</li>
 * <li>Observations: every call and stream is a Spring AI {@code gen_ai.client.operation} observation with provider
 * {@value NemotronChatMetadata#PROVIDER}.</li>
 * <li>Streams: cold; each subscription is one generation, and cancelling the subscription cancels the generation
 * within a token (or removes it from the waiting line). Chunks reach subscribers on Reactor's bounded-elastic
 * workers, never on the engine's step thread, so a subscriber that blocks (say, writing an audit row when the
 * stream ends) delays only its own stream.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public class NemotronChatModel implements ChatModel {

    private static final Log logger = LogFactory.getLog(NemotronChatModel.class);

    /**
     * A stream's chunks come from the engine's step thread, its end from there too or, when the generation ended
     * before the callback was attached, from the subscribing thread; they never overlap, but if they did, one would
     * wait its turn instead of failing. What comes after a cancellation is dropped.
     */
    private static final Sinks.EmitFailureHandler SERIALIZED = Sinks.EmitFailureHandler
        .busyLooping(Duration.ofSeconds(1));

    private static final ChatModelObservationConvention DEFAULT_OBSERVATION_CONVENTION = new DefaultChatModelObservationConvention();

    private final GenerationScheduler scheduler;

    private final NemotronChatOptions defaultOptions;

    private final String modelName;

    private final ObservationRegistry observationRegistry;

    private final @Nullable TokenChooserFactory tokenChooserFactory;

    private ChatModelObservationConvention observationConvention = DEFAULT_OBSERVATION_CONVENTION;

    private NemotronChatModel(GenerationScheduler scheduler, NemotronChatOptions defaultOptions, String modelName,
            ObservationRegistry observationRegistry, @Nullable TokenChooserFactory tokenChooserFactory) {
        this.scheduler = scheduler;
        this.defaultOptions = defaultOptions;
        this.modelName = modelName;
        this.observationRegistry = observationRegistry;
        this.tokenChooserFactory = tokenChooserFactory;
    }

    /** A builder; it needs an engine or a scheduler. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default options: what the builder was given, with the model's name and a token limit. Temperature and
     * top-p are unset unless configured, since their defaults depend on whether a request reasons.
     */
    @Override
    public NemotronChatOptions getOptions() {
        return this.defaultOptions;
    }

    /** The name responses and observations carry. */
    public String getModelName() {
        return this.modelName;
    }

    /** The scheduler this model submits to. */
    public GenerationScheduler getScheduler() {
        return this.scheduler;
    }

    /** Replaces the convention that names and tags the observations. */
    public void setObservationConvention(ChatModelObservationConvention observationConvention) {
        Assert.notNull(observationConvention, "observationConvention must not be null");
        this.observationConvention = observationConvention;
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        Assert.notNull(prompt, "prompt must not be null");
        Prompt request = withResolvedOptions(prompt);
        ChatModelObservationContext context = ChatModelObservationContext.builder()
            .prompt(request)
            .provider(NemotronChatMetadata.PROVIDER)
            .build();
        ChatResponse response = observation(context).observe(() -> {
            ChatResponse result = generate(request);
            context.setResponse(result);
            return result;
        });
        Assert.state(response != null, "the observed call returned no response");
        return response;
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        Assert.notNull(prompt, "prompt must not be null");
        return Flux.deferContextual(contextView -> {
            Prompt request = withResolvedOptions(prompt);
            ChatModelObservationContext context = ChatModelObservationContext.builder()
                .prompt(request)
                .provider(NemotronChatMetadata.PROVIDER)
                .streaming(true)
                .build();
            Observation observation = observation(context);
            observation.parentObservation(contextView.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
                .start();
            Flux<ChatResponse> chunks;
            try {
                chunks = submitStream(toEngineRequest(request));
            }
            catch (RuntimeException ex) {
                // Invalid or refused before its first token: reported as it is, not through the aggregator, which
                // would log a deliberate refusal (a full waiting line) as an error with its stack trace.
                observation.error(ex);
                observation.stop();
                return Flux.error(ex);
            }
            // @formatter:off
            return new MessageAggregator().aggregate(chunks, context::setResponse)
                .doOnError(observation::error)
                .doFinally(signal -> observation.stop())
                .contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, observation));
            // @formatter:on
        });
    }

    private Observation observation(ChatModelObservationContext context) {
        return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(this.observationConvention,
                DEFAULT_OBSERVATION_CONVENTION, () -> context, this.observationRegistry);
    }

    /**
     * Counts the prompt's tokens exactly as a call would feed them to the model, for reservations that must cover
     * what the request will use.
     * @param prompt the prompt, with or without options
     * @return the number of prompt tokens
     * @throws io.nemotron4j.engine.generate.PromptTooLongException if the prompt does not fit the context
     */
    public int promptTokens(Prompt prompt) {
        return this.scheduler.engine().promptTokens(toEngineRequest(withResolvedOptions(prompt)));
    }

    /** The prompt with its options merged over the defaults, so observations see what actually runs. */
    private Prompt withResolvedOptions(Prompt prompt) {
        ChatOptions runtime = prompt.getOptions();
        if (runtime == null) {
            return new Prompt(prompt.getInstructions(), this.defaultOptions);
        }
        NemotronChatOptions merged = this.defaultOptions.mutate().mergeFrom(runtime).build();
        ToolCallingChatOptions.validateToolCallbacks(merged.getToolCallbacks());
        if (merged.getModel() != null && !merged.getModel().equals(this.modelName)) {
            // One model is loaded; observations should name it rather than whatever a caller asked for, which also
            // keeps the gen_ai.request.model tag to one value.
            if (logger.isDebugEnabled()) {
                logger.debug("Model '" + merged.getModel() + "' requested; serving '" + this.modelName + "'");
            }
            merged = merged.mutate().model(this.modelName).build();
        }
        return new Prompt(prompt.getInstructions(), merged);
    }

    private ChatResponse generate(Prompt request) {
        GenerationRequest engineRequest = toEngineRequest(request);
        Collector collector = new Collector();
        GenerationScheduler.Ticket ticket = this.scheduler.submit(engineRequest, collector, chooser(engineRequest));
        GenerationEvent.Finished finished;
        try {
            finished = ticket.completion().get();
        }
        catch (InterruptedException ex) {
            ticket.cancel();
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted while waiting for the generation; it was cancelled", ex);
        }
        catch (ExecutionException ex) {
            throw asRuntime(ex.getCause());
        }
        if (finished.reason() == FinishReason.ERROR) {
            throw new GenerationException("generation failed: " + finished.error());
        }
        return toResponse(newResponseId(), collector.answer.toString(), collector.reasoning.toString(),
                collector.toolCalls, finished, ticket.queueTime());
    }

    /**
     * Submits a streamed generation. Its chunks wait in a buffer until subscribed, and reach the subscriber on
     * Reactor's bounded-elastic workers: one step thread serves every stream and only hands chunks over.
     * @throws GenerationRejectedException if the engine's waiting line is full
     */
    private Flux<ChatResponse> submitStream(GenerationRequest request) {
        Sinks.Many<ChatResponse> sink = Sinks.many().unicast().onBackpressureBuffer();
        String id = newResponseId();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> toolCalls = new ArrayList<>();
        GenerationListener listener = event -> {
            switch (event) {
                case GenerationEvent.ReasoningDelta delta -> {
                    reasoning.append(delta.text());
                    sink.emitNext(reasoningChunk(id, delta.text(), reasoning.toString()), SERIALIZED);
                }
                case GenerationEvent.AnswerDelta delta -> sink.emitNext(answerChunk(id, delta.text()), SERIALIZED);
                case GenerationEvent.ToolCallRequested call -> toolCalls.add(call.call());
                case GenerationEvent.Finished finished -> {
                    // The last chunk goes out once the scheduler has recorded the generation (below), so that
                    // metrics read after the stream completes include it.
                }
            }
        };
        GenerationScheduler.Ticket ticket = this.scheduler.submit(request, listener, chooser(request));
        ticket.completion().whenComplete((finished, failure) -> {
            try {
                if (failure != null) {
                    sink.emitError(asRuntime(failure), SERIALIZED);
                }
                else if (finished.reason() == FinishReason.ERROR) {
                    sink.emitError(new GenerationException("generation failed: " + finished.error()), SERIALIZED);
                }
                else {
                    sink.emitNext(toResponse(id, "", reasoning.toString(), toolCalls, finished, ticket.queueTime()),
                            SERIALIZED);
                    sink.emitComplete(SERIALIZED);
                }
            }
            catch (RuntimeException ex) {
                // Thrown here, it would only fail the future whenComplete returns, which nobody reads, and the
                // stream would stay open forever; the subscriber must hear of it instead.
                logger.error("Could not end the stream of response " + id, ex);
                sink.tryEmitError(ex);
            }
        });
        return sink.asFlux().doOnCancel(ticket::cancel).publishOn(Schedulers.boundedElastic());
    }

    private @Nullable Supplier<TokenChooser> chooser(GenerationRequest request) {
        if (this.tokenChooserFactory == null) {
            return null;
        }
        TokenChooser chooser = this.tokenChooserFactory.create(request);
        return (chooser == null) ? null : () -> chooser;
    }

    /** The engine request for a prompt whose options are already resolved. */
    GenerationRequest toEngineRequest(Prompt prompt) {
        NemotronChatOptions options = (NemotronChatOptions) prompt.getOptions();
        Assert.state(options != null, "options are resolved before the request is built");
        return new GenerationRequest(MessageConverter.toEngine(prompt.getInstructions()),
                MessageConverter.toolDefinitions(options.getToolCallbacks()), generationOptions(options));
    }

    /**
     * Maps the options to the engine's, filling what is unset with the built-in defaults. Sampling follows NVIDIA's
     * advice for Nano v2: temperature {@value NemotronChatOptions#DEFAULT_TEMPERATURE} and top-p
     * {@value NemotronChatOptions#DEFAULT_TOP_P} with reasoning, greedy when reasoning is switched off.
     */
    static GenerationOptions generationOptions(NemotronChatOptions options) {
        boolean reasoningOff = Boolean.FALSE.equals(options.getThinking())
                || Integer.valueOf(0).equals(options.getThinkingBudget());
        SamplingOptions sampling = new SamplingOptions(
                asFloat(options.getTemperature(), reasoningOff ? 0 : NemotronChatOptions.DEFAULT_TEMPERATURE),
                orDefault(options.getTopK(), 0),
                asFloat(options.getTopP(), NemotronChatOptions.DEFAULT_TOP_P),
                asFloat(options.getMinP(), 0),
                asFloat(options.getRepetitionPenalty(), 1),
                asFloat(options.getPresencePenalty(), 0),
                asFloat(options.getFrequencyPenalty(), 0),
                SamplingOptions.greedy().penaltyWindow(),
                (options.getSeed() != null) ? options.getSeed() : ThreadLocalRandom.current().nextLong());
        ThinkingMode thinking = (options.getThinking() == null) ? ThinkingMode.DEFAULT
                : (options.getThinking() ? ThinkingMode.ON : ThinkingMode.OFF);
        return GenerationOptions.builder()
            .maxTokens(orDefault(options.getMaxTokens(), NemotronChatOptions.DEFAULT_MAX_TOKENS))
            .sampling(sampling)
            .stop((options.getStopSequences() != null) ? options.getStopSequences() : List.of())
            .thinking(thinking)
            .thinkingBudget(orDefault(options.getThinkingBudget(), GenerationOptions.UNLIMITED))
            .build();
    }

    private static float asFloat(@Nullable Double value, double fallback) {
        return (float) ((value != null) ? value : fallback);
    }

    private static <T> T orDefault(@Nullable T value, T fallback) {
        return (value != null) ? value : fallback;
    }

    private ChatResponse reasoningChunk(String id, String delta, String reasoningSoFar) {
        Map<String, Object> properties = Map.of(NemotronChatMetadata.REASONING_DELTA, delta,
                NemotronChatMetadata.REASONING_CONTENT, reasoningSoFar);
        AssistantMessage message = AssistantMessage.builder().content("").properties(properties).build();
        return new ChatResponse(List.of(new Generation(message)), chunkMetadata(id));
    }

    private ChatResponse answerChunk(String id, String delta) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(delta))), chunkMetadata(id));
    }

    private ChatResponseMetadata chunkMetadata(String id) {
        return ChatResponseMetadata.builder().id(id).model(this.modelName).build();
    }

    /** The whole response of a call, or the last chunk of a stream (whose answer text went out before). */
    private ChatResponse toResponse(String id, String answer, String reasoning, List<ToolCall> engineCalls,
            GenerationEvent.Finished finished, Duration queueTime) {
        List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>(engineCalls.size());
        for (ToolCall call : engineCalls) {
            // The model's output carries no call ids; the tool results must refer back to one.
            String callId = (call.id() != null) ? call.id() : newToolCallId();
            toolCalls.add(new AssistantMessage.ToolCall(callId, "function", call.name(), call.argumentsJson()));
        }
        Map<String, Object> properties = new HashMap<>();
        ChatGenerationMetadata.Builder generationMetadata = ChatGenerationMetadata.builder()
            .finishReason(toolCalls.isEmpty() ? finished.reason().name() : NemotronChatMetadata.FINISH_TOOL_CALLS);
        if (!reasoning.isEmpty()) {
            properties.put(NemotronChatMetadata.REASONING_CONTENT, reasoning);
            generationMetadata.metadata(NemotronChatMetadata.REASONING_CONTENT, reasoning);
        }
        AssistantMessage message = AssistantMessage.builder()
            .content(answer)
            .properties(properties)
            .toolCalls(toolCalls)
            .build();
        Usage usage = finished.usage();
        CompletedGeneration record = new CompletedGeneration(finished.reason(), usage, queueTime);
        ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
            .id(id)
            .model(this.modelName)
            .usage(new DefaultUsage(usage.promptTokens(), usage.generatedTokens(), usage.totalTokens(), usage))
            .keyValue(NemotronChatMetadata.REASONING_TOKENS, usage.reasoningTokens())
            .keyValue(NemotronChatMetadata.ANSWER_TOKENS, usage.answerTokens())
            .keyValue(NemotronChatMetadata.QUEUE_MILLIS, queueTime.toNanos() / 1e6)
            .keyValue(NemotronChatMetadata.PREFILL_TOKENS_PER_SECOND, usage.prefillTokensPerSecond())
            .keyValue(NemotronChatMetadata.DECODE_TOKENS_PER_SECOND, usage.decodeTokensPerSecond());
        record.timeToFirstToken()
            .ifPresent(ttft -> metadata.keyValue(NemotronChatMetadata.TIME_TO_FIRST_TOKEN_MILLIS, ttft.toNanos() / 1e6));
        return new ChatResponse(List.of(new Generation(message, generationMetadata.build())), metadata.build());
    }

    private static String newResponseId() {
        return "nemotron-" + UUID.randomUUID();
    }

    private static String newToolCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static RuntimeException asRuntime(@Nullable Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new GenerationException("generation failed: " + cause, cause);
    }

    /** Gathers a call's events; read only after the generation has completed. */
    private static final class Collector implements GenerationListener {

        private final StringBuilder reasoning = new StringBuilder();

        private final StringBuilder answer = new StringBuilder();

        private final List<ToolCall> toolCalls = new ArrayList<>();

        @Override
        public void onEvent(GenerationEvent event) {
            switch (event) {
                case GenerationEvent.ReasoningDelta delta -> this.reasoning.append(delta.text());
                case GenerationEvent.AnswerDelta delta -> this.answer.append(delta.text());
                case GenerationEvent.ToolCallRequested call -> this.toolCalls.add(call.call());
                case GenerationEvent.Finished finished -> {
                    // The completion carries the finish; nothing to gather.
                }
            }
        }
    }

    /** Builds a {@link NemotronChatModel}. */
    public static final class Builder {

        private @Nullable NemotronEngine engine;

        private @Nullable GenerationScheduler scheduler;

        private @Nullable ChatOptions defaultOptions;

        private @Nullable String modelName;

        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

        private @Nullable TokenChooserFactory tokenChooserFactory;

        private Builder() {
        }

        /**
         * The engine, when no scheduler is given: the model then submits through a scheduler of its own (the
         * engine admits and batches the generations either way).
         */
        public Builder engine(NemotronEngine engine) {
            this.engine = engine;
            return this;
        }

        /** The scheduler to submit through (it knows its engine). */
        public Builder scheduler(GenerationScheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Defaults for every request, of any options type; unset values keep the built-in defaults. */
        public Builder defaultOptions(ChatOptions defaultOptions) {
            this.defaultOptions = defaultOptions;
            return this;
        }

        /**
         * The name responses carry; by default the default options' model, else the GGUF's {@code general.name} or
         * the file name.
         */
        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /** Where observations go; none by default. */
        public Builder observationRegistry(ObservationRegistry observationRegistry) {
            this.observationRegistry = observationRegistry;
            return this;
        }

        /** Who picks the tokens; the engine's sampler by default. */
        public Builder tokenChooserFactory(@Nullable TokenChooserFactory tokenChooserFactory) {
            this.tokenChooserFactory = tokenChooserFactory;
            return this;
        }

        /** Builds the model. */
        public NemotronChatModel build() {
            Assert.state(this.engine != null || this.scheduler != null, "an engine or a scheduler is required");
            Assert.notNull(this.observationRegistry, "observationRegistry must not be null");
            GenerationScheduler sched = (this.scheduler != null) ? this.scheduler
                    : new GenerationScheduler(this.engine);
            String name;
            if (this.modelName != null && !this.modelName.isBlank()) {
                name = this.modelName;
            }
            else if (this.defaultOptions != null && this.defaultOptions.getModel() != null
                    && !this.defaultOptions.getModel().isBlank()) {
                name = this.defaultOptions.getModel();
            }
            else {
                name = ModelFacts.defaultName(sched.engine());
            }
            // Temperature and top-p stay unset unless configured: their default depends on whether the request
            // reasons (see generationOptions).
            NemotronChatOptions defaults = NemotronChatOptions.builder()
                .maxTokens(NemotronChatOptions.DEFAULT_MAX_TOKENS)
                .mergeFrom(this.defaultOptions)
                .model(name)
                .build();
            return new NemotronChatModel(sched, defaults, name, this.observationRegistry, this.tokenChooserFactory);
        }
    }
}
