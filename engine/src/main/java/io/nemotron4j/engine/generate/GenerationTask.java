package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ParsedAnswer;
import io.nemotron4j.engine.chat.ToolCall;
import io.nemotron4j.engine.chat.ToolCallParser;
import io.nemotron4j.engine.model.Logits;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.SequenceState;
import io.nemotron4j.engine.tokenizer.Tokenizer;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;

/**
 * One generation from prompt to finish: prefill in chunks, then sample, feed back and route text token by token,
 * checking for cancellation before every forward pass. Its sequence state lives only as long as the task.
 */
final class GenerationTask implements Generation, Runnable {

    private final NemotronHModel model;
    private final Tokenizer tokenizer;
    private final PromptBuilder.Prompt prompt;
    private final GenerationOptions options;
    private final TokenChooser chooser;
    private final IntPredicate endOfTurn;
    private final IntPredicate hidden;
    private final ToolCallParser toolCalls;
    private final GenerationListener listener;
    private final long submittedNanos;
    private final CompletableFuture<GenerationEvent.Finished> completion = new CompletableFuture<>();
    private volatile boolean cancelled;

    private final StringBuilder answer = new StringBuilder();
    private int answerEmitted;
    private int reasoningTokens;
    private int answerTokens;
    private boolean budgetCut;

    GenerationTask(NemotronHModel model, Tokenizer tokenizer, PromptBuilder.Prompt prompt, GenerationOptions options,
            TokenChooser chooser, IntPredicate endOfTurn, IntPredicate hidden, ToolCallParser toolCalls,
            GenerationListener listener) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.prompt = prompt;
        this.options = options;
        this.chooser = chooser;
        this.endOfTurn = endOfTurn;
        this.hidden = hidden;
        this.toolCalls = toolCalls;
        this.listener = listener;
        this.submittedNanos = System.nanoTime();
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public CompletableFuture<GenerationEvent.Finished> completion() {
        return completion;
    }

    @Override
    public void run() {
        FinishReason reason;
        String error = null;
        long prefillNanos = 0;
        long firstTokenNanos = 0;
        long decodeStartNanos = 0;
        int decodeSteps = 0;
        try {
            int vocab = model.config().vocabSize();
            float[] logits = new float[vocab];
            int[] ids = prompt.tokens();
            SequenceState state = model.newState();
            for (int id : ids) {
                chooser.accept(id);
            }
            long prefillStart = System.nanoTime();
            int chunk = model.options().prefillChunk();
            for (int done = 0; done < ids.length && !cancelled; done += chunk) {
                model.forward(state, ids, done, Math.min(chunk, ids.length - done), Logits.LAST, logits, null);
            }
            prefillNanos = System.nanoTime() - prefillStart;
            int limit = Math.min(options.maxTokens(), model.config().contextLength() - ids.length);
            boolean budgeted = prompt.thinking() && options.hasThinkingBudget();
            ThinkingBudget budget = budgeted ? new ThinkingBudget(options.thinkingBudget(), options.thinkingGrace()) : null;
            StopStrings stops = new StopStrings(options.stop());
            ReasoningSplitter splitter = new ReasoningSplitter(prompt.thinking(), new ReasoningSplitter.Sink() {
                @Override
                public void reasoning(String text) {
                    emit(new GenerationEvent.ReasoningDelta(text));
                }

                @Override
                public void answer(String text) {
                    answer.append(stops.push(text));
                    releaseAnswer();
                }
            });
            Tokenizer.Decoder decoder = tokenizer.newDecoder();
            int[] step = new int[1 + 64];
            reason = FinishReason.LENGTH;
            while (reasoningTokens + answerTokens < limit) {
                if (cancelled) {
                    reason = FinishReason.CANCELLED;
                    break;
                }
                int token = chooser.choose(logits);
                if (firstTokenNanos == 0) {
                    firstTokenNanos = System.nanoTime();
                    decodeStartNanos = firstTokenNanos;
                }
                boolean thinking = splitter.thinking();
                if (endOfTurn.test(token)) {
                    reason = budgetCut ? FinishReason.THINKING_BUDGET : FinishReason.STOP;
                    break;
                }
                if (thinking) {
                    reasoningTokens++;
                } else {
                    answerTokens++;
                }
                chooser.accept(token);
                String text = hidden.test(token) ? "" : decoder.accept(token);
                splitter.accept(text);
                if (stops.stopped()) {
                    reason = budgetCut ? FinishReason.THINKING_BUDGET : FinishReason.STOP;
                    break;
                }
                step[0] = token;
                int n = 1;
                if (budget != null && thinking && splitter.thinking()) {
                    String close = budget.afterToken(text, decoder.isAtCharacterBoundary());
                    if (close != null) {
                        splitter.accept(decoder.flush());
                        int[] forced = tokenizer.encodeWithSpecials(close);
                        splitter.closeReasoning();
                        System.arraycopy(forced, 0, step, 1, forced.length);
                        n += forced.length;
                        for (int f : forced) {
                            chooser.accept(f);
                        }
                        budgetCut = true;
                    }
                }
                if (state.position() + n > model.config().contextLength()) {
                    break;
                }
                model.forward(state, step, 0, n, Logits.LAST, logits, null);
                decodeSteps++;
            }
            splitter.accept(decoder.flush());
            splitter.closeReasoning();
            answer.append(stops.flush());
            finishAnswer();
        } catch (RuntimeException | Error e) {
            reason = FinishReason.ERROR;
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        long end = System.nanoTime();
        double ttft = firstTokenNanos == 0 ? 0 : (firstTokenNanos - submittedNanos) / 1e6;
        double prefillRate = prefillNanos == 0 ? 0 : prompt.tokens().length / (prefillNanos / 1e9);
        double decodeRate = decodeSteps == 0 ? 0 : decodeSteps / ((end - decodeStartNanos) / 1e9);
        Usage usage = new Usage(prompt.tokens().length, reasoningTokens, answerTokens, ttft, prefillRate, decodeRate);
        GenerationEvent.Finished finished = new GenerationEvent.Finished(reason, usage, error);
        try {
            listener.onEvent(finished);
        } catch (RuntimeException e) {
            // Nothing is left to cancel; the completion below still reports how it ended.
        } finally {
            completion.complete(finished);
        }
    }

    /** Emits the answer up to where a tool-call block might be starting. */
    private void releaseAnswer() {
        int safe = toolCalls.safePrefixLength(answer.toString());
        if (safe > answerEmitted) {
            emit(new GenerationEvent.AnswerDelta(answer.substring(answerEmitted, safe)));
            answerEmitted = safe;
        }
    }

    /** Parses tool calls out of the whole answer and emits what was held back. */
    private void finishAnswer() {
        ParsedAnswer parsed = toolCalls.parse(answer.toString());
        String text = parsed.content();
        if (text.length() > answerEmitted && text.startsWith(answer.substring(0, answerEmitted))) {
            emit(new GenerationEvent.AnswerDelta(text.substring(answerEmitted)));
        }
        for (ToolCall call : parsed.toolCalls()) {
            emit(new GenerationEvent.ToolCallRequested(call));
        }
    }

    private void emit(GenerationEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            // A listener that fails is a listener that has gone away.
            cancelled = true;
            throw new GenerationException("the event listener failed: " + e.getMessage(), e);
        }
    }
}
