package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ParsedAnswer;
import io.nemotron4j.engine.chat.ToolCall;
import io.nemotron4j.engine.chat.ToolCallParser;
import io.nemotron4j.engine.serve.EndReason;
import io.nemotron4j.engine.serve.SequenceJob;
import io.nemotron4j.engine.serve.SequenceScheduler;
import io.nemotron4j.engine.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;

/**
 * One generation from prompt to finish, driven by the {@link SequenceScheduler}: after the prompt and after every
 * step it samples from the logits, routes the text (reasoning, answer, tool calls, stop strings) and says what to
 * feed next, including the text that closes reasoning at the thinking budget. All of it runs on the scheduler's
 * step thread, so events reach the listener there. Its sequence state belongs to the scheduler and is freed when
 * the generation ends.
 */
final class GenerationTask implements Generation, SequenceJob {

    /** Room for the text the engine inserts to close reasoning, beyond the token limit. */
    private static final int CLOSING_ROOM = SequenceScheduler.MAX_FEED - 1;

    private final Tokenizer tokenizer;
    private final PromptBuilder.Prompt prompt;
    private final GenerationOptions options;
    private final TokenChooser chooser;
    private final IntPredicate endOfTurn;
    private final IntPredicate hidden;
    private final ToolCallParser toolCalls;
    private final GenerationListener listener;
    private final int contextLength;
    private final int limit;
    private final int sharedPrefix;
    private final long submittedNanos;
    private final CompletableFuture<GenerationEvent.Finished> completion = new CompletableFuture<>();
    private volatile boolean cancelled;

    private final StringBuilder answer = new StringBuilder();
    private final ThinkingBudget budget;
    private final StopStrings stops;
    private final ReasoningSplitter splitter;
    private final Tokenizer.Decoder decoder;
    private int answerEmitted;
    private int reasoningTokens;
    private int answerTokens;
    private boolean budgetCut;
    private FinishReason reason = FinishReason.LENGTH;
    /** Tokens in the sequence so far: the prompt and everything fed after it. */
    private int position;
    private volatile long startedNanos;
    private long prefillNanos;
    private long firstTokenNanos;
    private int decodeSteps;

    GenerationTask(int contextLength, Tokenizer tokenizer, PromptBuilder.Prompt prompt, GenerationOptions options,
            TokenChooser chooser, IntPredicate endOfTurn, IntPredicate hidden, ToolCallParser toolCalls,
            GenerationListener listener, int sharedPrefix) {
        this.contextLength = contextLength;
        this.tokenizer = tokenizer;
        this.prompt = prompt;
        this.options = options;
        this.chooser = chooser;
        this.endOfTurn = endOfTurn;
        this.hidden = hidden;
        this.toolCalls = toolCalls;
        this.listener = listener;
        this.sharedPrefix = sharedPrefix;
        this.submittedNanos = System.nanoTime();
        this.limit = Math.min(options.maxTokens(), contextLength - prompt.tokens().length);
        this.position = prompt.tokens().length;
        boolean budgeted = prompt.thinking() && options.hasThinkingBudget();
        this.budget = budgeted ? new ThinkingBudget(options.thinkingBudget(), options.thinkingGrace()) : null;
        this.stops = new StopStrings(options.stop());
        this.splitter = new ReasoningSplitter(prompt.thinking(), new ReasoningSplitter.Sink() {
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
        this.decoder = tokenizer.newDecoder();
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
    public Duration queueTime() {
        long started = startedNanos;
        return Duration.ofNanos((started == 0 ? System.nanoTime() : started) - submittedNanos);
    }

    @Override
    public int[] prompt() {
        return prompt.tokens();
    }

    @Override
    public int maxNewTokens() {
        return limit + CLOSING_ROOM;
    }

    @Override
    public int sharedPrefixLength() {
        return sharedPrefix;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public void started() {
        startedNanos = System.nanoTime();
        for (int id : prompt.tokens()) {
            chooser.accept(id);
        }
    }

    @Override
    public int next(float[] logits, int[] feed) {
        long now = System.nanoTime();
        if (firstTokenNanos == 0) {
            prefillNanos = now - startedNanos;
        } else {
            decodeSteps++;
        }
        if (reasoningTokens + answerTokens >= limit) {
            reason = FinishReason.LENGTH;
            return 0;
        }
        int token = chooser.choose(logits);
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
        }
        boolean thinking = splitter.thinking();
        if (endOfTurn.test(token)) {
            reason = budgetCut ? FinishReason.THINKING_BUDGET : FinishReason.STOP;
            return 0;
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
            return 0;
        }
        feed[0] = token;
        int n = 1;
        if (budget != null && thinking && splitter.thinking()) {
            String close = budget.afterToken(text, decoder.isAtCharacterBoundary());
            if (close != null) {
                splitter.accept(decoder.flush());
                int[] forced = tokenizer.encodeWithSpecials(close);
                splitter.closeReasoning();
                if (forced.length >= feed.length) {
                    throw new GenerationException("the text that closes reasoning has " + forced.length
                            + " tokens, more than the " + (feed.length - 1) + " one step can feed");
                }
                System.arraycopy(forced, 0, feed, 1, forced.length);
                n += forced.length;
                for (int f : forced) {
                    chooser.accept(f);
                }
                budgetCut = true;
            }
        }
        if (position + n > contextLength) {
            reason = FinishReason.LENGTH;
            return 0;
        }
        position += n;
        return n;
    }

    @Override
    public void ended(EndReason how, Throwable failure) {
        String error = null;
        FinishReason finish = switch (how) {
            case FINISHED -> reason;
            case CANCELLED, TIMED_OUT, SHUT_DOWN -> FinishReason.CANCELLED;
            case FAILED -> FinishReason.ERROR;
        };
        if (how == EndReason.FAILED) {
            error = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        } else {
            try {
                splitter.accept(decoder.flush());
                splitter.closeReasoning();
                answer.append(stops.flush());
                finishAnswer();
            } catch (RuntimeException e) {
                finish = FinishReason.ERROR;
                error = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
        long end = System.nanoTime();
        double ttft = firstTokenNanos == 0 ? 0 : (firstTokenNanos - submittedNanos) / 1e6;
        double prefillRate = prefillNanos == 0 ? 0 : prompt.tokens().length / (prefillNanos / 1e9);
        double decodeRate = decodeSteps == 0 ? 0 : decodeSteps / ((end - firstTokenNanos) / 1e9);
        Usage usage = new Usage(prompt.tokens().length, reasoningTokens, answerTokens, ttft, prefillRate, decodeRate);
        GenerationEvent.Finished finished = new GenerationEvent.Finished(finish, usage, error);
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
