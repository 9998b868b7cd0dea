package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ChatTemplate;
import io.nemotron4j.engine.chat.ToolCall;
import io.nemotron4j.engine.chat.ToolCallParser;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.serve.SchedulerBusyException;
import io.nemotron4j.engine.serve.SchedulerOptions;
import io.nemotron4j.engine.serve.SequenceScheduler;
import io.nemotron4j.engine.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Text in, text out: a Nemotron-H model with its tokenizer and chat template, taking conversations and streaming
 * back reasoning, answer and tool calls.
 *
 * <p>Generations run together on a {@link SequenceScheduler}: one step thread decodes a token for every running
 * generation per forward step (reading the weights once for all of them) and prefills new prompts in bounded
 * chunks alongside. It admits generations by memory and sequence slots, queues the rest (bounded, by priority, then
 * in arrival order) and refuses beyond the queue with {@link SchedulerBusyException}. Requests are checked when
 * submitted: a prompt that does not fit the context or bad options fail right there, before any work is queued.
 * Events reach listeners on the step thread, so a listener should hand them on rather than block.
 */
public final class NemotronEngine implements AutoCloseable {

    private final NemotronHModel model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final PromptBuilder prompts;
    private final IntPredicate endOfTurn;
    private final IntPredicate hidden;
    private final ToolCallParser.Format toolCallFormat;
    private final SequenceScheduler scheduler;

    /** Shorter system prompts are prefilled each time: a snapshot holds a whole Mamba state, whatever the length. */
    static final int MIN_SHARED_PREFIX = 32;

    /**
     * Wires an engine from parts with the default scheduling ({@link #defaultScheduling}); {@link #load} is the
     * usual way. The engine closes the model when closed.
     */
    public NemotronEngine(NemotronHModel model, Tokenizer tokenizer, ChatTemplate template) {
        this(model, tokenizer, template, defaultScheduling(model.options()));
    }

    /**
     * Wires an engine from parts with the given scheduling. The engine closes the model when closed.
     *
     * @throws IllegalArgumentException if the scheduling does not suit the model (see {@link SequenceScheduler})
     */
    public NemotronEngine(NemotronHModel model, Tokenizer tokenizer, ChatTemplate template,
            SchedulerOptions scheduling) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        this.prompts = new PromptBuilder(tokenizer, template);
        this.endOfTurn = endOfTurn(tokenizer);
        this.hidden = hiddenControlTokens(tokenizer);
        this.toolCallFormat = ToolCallParser.Format.of(template).orElse(ToolCallParser.Format.NANO_V2);
        this.scheduler = new SequenceScheduler(model, scheduling);
    }

    /** {@link SchedulerOptions#defaults()}, with no more sequences than one step of these options holds. */
    public static SchedulerOptions defaultScheduling(EngineOptions options) {
        SchedulerOptions d = SchedulerOptions.defaults();
        return d.withMaxSequences(Math.min(d.maxSequences(), options.prefillChunk()));
    }

    /**
     * Loads a GGUF model with the tokenizer and chat template it carries (the built-in Nemotron Nano v2 template
     * when it has none).
     */
    public static NemotronEngine load(Path path, EngineOptions options) throws IOException {
        return load(path, options, defaultScheduling(options));
    }

    /** {@link #load(Path, EngineOptions)} with the given scheduling. */
    public static NemotronEngine load(Path path, EngineOptions options, SchedulerOptions scheduling)
            throws IOException {
        NemotronHModel model = NemotronHModel.load(path, options);
        try {
            Tokenizer tokenizer = Tokenizer.fromMetadata(model.file().metadata());
            ChatTemplate template = ChatTemplate.fromMetadata(model.file().metadata());
            return new NemotronEngine(model, tokenizer, template, scheduling);
        } catch (GGUFException e) {
            model.close();
            throw e.getMessage().startsWith(path.toString()) ? e : new GGUFException(path + ": " + e.getMessage());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * EOS and the end-of-turn markers the tokenizer knows, plus Nano v2's {@code <SPECIAL_12>}: its GGUFs may name
     * {@code </s>} as EOS while the chat format ends turns with {@code <SPECIAL_12>}, and both must stop.
     */
    private static IntPredicate endOfTurn(Tokenizer t) {
        int nanoTurnEnd = t.specialId("<SPECIAL_12>").orElse(-1);
        return id -> id == nanoTurnEnd || t.isEndOfGeneration(id);
    }

    /**
     * Control tokens other than the chat format's own markers never reach the text: a stray {@code <SPECIAL_305>}
     * is not an answer, while {@code </think>} and the tool-call tags must be seen to be acted on.
     */
    private static IntPredicate hiddenControlTokens(Tokenizer t) {
        java.util.Set<Integer> visible = new java.util.HashSet<>();
        for (String marker : List.of("<think>", "</think>", "<TOOLCALL>", "</TOOLCALL>", "<tool_call>", "</tool_call>")) {
            t.specialId(marker).ifPresent(visible::add);
        }
        return id -> t.isControl(id) && !visible.contains(id);
    }

    public NemotronHModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /** The scheduler that runs this engine's generations. */
    public SequenceScheduler scheduler() {
        return scheduler;
    }

    /**
     * Starts a generation, or queues it until memory and a sequence slot are free; events reach the listener on
     * the scheduler's step thread.
     *
     * @throws PromptTooLongException if the rendered prompt leaves no room in the context
     * @throws GenerationException if the template cannot render the conversation, the request alone needs more
     *     memory than the scheduler's budget, or the engine is closed
     * @throws SchedulerBusyException if the request would have to wait and the queue is full
     */
    public Generation submit(GenerationRequest request, GenerationListener listener) {
        return submit(request, listener, () -> new Sampler(request.options().sampling(), model.config().vocabSize()));
    }

    /**
     * Starts a generation whose tokens the given chooser picks instead of the request's sampler.
     *
     * @see #submit(GenerationRequest, GenerationListener)
     */
    public Generation submit(GenerationRequest request, GenerationListener listener,
            Supplier<? extends TokenChooser> chooser) {
        Objects.requireNonNull(listener, "listener");
        PromptBuilder.Prompt prompt = prompt(request);
        GenerationOptions o = request.options();
        GenerationTask task = new GenerationTask(model.config().contextLength(), tokenizer, prompt, o, chooser.get(),
                endOfTurn, hidden, ToolCallParser.of(toolCallFormat, request.tools()), listener,
                sharedPrefix(request, prompt));
        try {
            scheduler.submit(task, o.priority(), o.hasTimeout() ? o.timeout() : null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new GenerationException(e.getMessage(), e);
        }
        return task;
    }

    /**
     * Counts the tokens of the request's prompt exactly as a generation would feed them to the model (template,
     * reasoning switch and tool definitions included), so that a quota can reserve what the request will use.
     *
     * @throws PromptTooLongException if the rendered prompt leaves no room in the context
     * @throws GenerationException if the template cannot render the conversation
     */
    public int promptTokens(GenerationRequest request) {
        return prompt(request).tokens().length;
    }

    /**
     * The system prompt's tokens, when the scheduler keeps prefix snapshots and it is long enough that reusing its
     * state beats prefilling it again.
     */
    private int sharedPrefix(GenerationRequest request, PromptBuilder.Prompt prompt) {
        if (scheduler.options().prefixCacheBytes() == 0) {
            return 0;
        }
        try {
            int shared = prompts.sharedPrefixLength(request.messages(), request.tools(), mode(request.options()),
                    prompt.tokens());
            return shared >= MIN_SHARED_PREFIX ? shared : 0;
        } catch (RuntimeException e) {
            // The probe renderings are an optimisation; a template that cannot render them just goes without.
            return 0;
        }
    }

    private static ThinkingMode mode(GenerationOptions o) {
        return o.thinkingBudget() == 0 ? ThinkingMode.OFF : o.thinking();
    }

    /** Renders and tokenizes the request's prompt, checking that it fits. */
    PromptBuilder.Prompt prompt(GenerationRequest request) {
        ThinkingMode mode = mode(request.options());
        PromptBuilder.Prompt prompt;
        try {
            prompt = prompts.build(request.messages(), request.tools(), mode);
        } catch (RuntimeException e) {
            throw new GenerationException("cannot render the conversation: " + e.getMessage(), e);
        }
        if (prompt.tokens().length >= model.config().contextLength()) {
            throw new PromptTooLongException(prompt.tokens().length, model.config().contextLength());
        }
        return prompt;
    }

    /** Runs a generation to the end and collects its events. */
    public GenerationResult generate(GenerationRequest request) {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        GenerationEvent.Finished end = submit(request, event -> {
            switch (event) {
                case GenerationEvent.ReasoningDelta r -> reasoning.append(r.text());
                case GenerationEvent.AnswerDelta a -> answer.append(a.text());
                case GenerationEvent.ToolCallRequested t -> calls.add(t.call());
                case GenerationEvent.Finished f -> {
                }
            }
        }).completion().join();
        return new GenerationResult(reasoning.toString(), answer.toString(), calls, end.reason(), end.usage(), end.error());
    }

    /**
     * Ends waiting and running generations ({@link FinishReason#CANCELLED}, within a step), stops the scheduler and
     * closes the model.
     */
    @Override
    public void close() {
        scheduler.close();
        model.close();
    }
}
