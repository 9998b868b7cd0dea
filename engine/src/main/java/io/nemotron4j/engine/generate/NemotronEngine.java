package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ChatTemplate;
import io.nemotron4j.engine.chat.ToolCall;
import io.nemotron4j.engine.chat.ToolCallParser;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Text in, text out: a Nemotron-H model with its tokenizer and chat template, taking conversations and streaming
 * back reasoning, answer and tool calls.
 *
 * <p>Each generation runs on its own thread with its own sequence state; the model runs one forward pass at a
 * time, so concurrent generations take turns token by token. Requests are checked when submitted: a prompt that
 * does not fit the context or bad options fail right there, before any work is queued.
 */
public final class NemotronEngine implements AutoCloseable {

    private final NemotronHModel model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final PromptBuilder prompts;
    private final IntPredicate endOfTurn;
    private final IntPredicate hidden;
    private final ToolCallParser.Format toolCallFormat;
    private final ExecutorService executor;
    private final java.util.Set<Generation> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Wires an engine from parts; {@link #load} is the usual way. The engine closes the model when closed. */
    public NemotronEngine(NemotronHModel model, Tokenizer tokenizer, ChatTemplate template) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        this.prompts = new PromptBuilder(tokenizer, template);
        this.endOfTurn = endOfTurn(tokenizer);
        this.hidden = hiddenControlTokens(tokenizer);
        this.toolCallFormat = ToolCallParser.Format.of(template).orElse(ToolCallParser.Format.NANO_V2);
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("nemotron4j-generation-", 0).factory());
    }

    /**
     * Loads a GGUF model with the tokenizer and chat template it carries (the built-in Nemotron Nano v2 template
     * when it has none).
     */
    public static NemotronEngine load(Path path, EngineOptions options) throws IOException {
        NemotronHModel model = NemotronHModel.load(path, options);
        try {
            Tokenizer tokenizer = Tokenizer.fromMetadata(model.file().metadata());
            ChatTemplate template = ChatTemplate.fromMetadata(model.file().metadata());
            return new NemotronEngine(model, tokenizer, template);
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

    /**
     * Starts a generation; events reach the listener on the generation's own thread.
     *
     * @throws PromptTooLongException if the rendered prompt leaves no room in the context
     * @throws GenerationException if the template cannot render the conversation
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
        GenerationTask task = new GenerationTask(model, tokenizer, prompt, request.options(), chooser.get(), endOfTurn,
                hidden, ToolCallParser.of(toolCallFormat, request.tools()), listener);
        running.add(task);
        task.completion().whenComplete((end, failure) -> running.remove(task));
        executor.execute(task);
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

    /** Renders and tokenizes the request's prompt, checking that it fits. */
    PromptBuilder.Prompt prompt(GenerationRequest request) {
        GenerationOptions o = request.options();
        ThinkingMode mode = o.thinkingBudget() == 0 ? ThinkingMode.OFF : o.thinking();
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

    /** Cancels running generations, waits for them to end (within a token each), and closes the model. */
    @Override
    public void close() {
        running.forEach(Generation::cancel);
        executor.close();
        model.close();
    }
}
