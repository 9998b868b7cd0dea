package io.nemotron4j.spring.governance;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

import io.nemotron4j.spring.chat.NemotronChatMetadata;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A {@link ChatModel} that puts every call of another one under governance: admits the request for the current
 * {@link Caller}'s tenant (reserving prompt plus {@code maxTokens}), caps the request's {@code maxTokens} (and, for
 * Nemotron, the thinking budget) at what was admitted, calls the delegate, and settles with the usage the response
 * reports. Works for any {@code ChatModel}, so a remote model an application also calls obeys the same limits.
 *
 * <p>Usage booked at settlement is what the delegate's response reports (prompt and completion tokens, and the
 * reasoning tokens under {@link NemotronChatMetadata#REASONING_TOKENS} when present). A delegate that reports no
 * usage is booked at its worst case (the estimated prompt plus the full {@code maxTokens}), so a model that hides
 * its usage can never undercount. A failed call books the prompt only; a cancelled stream books what it reported
 * before the cancellation, or its worst case.
 *
 * <p>The audit row keeps the prompt's messages and the first generation's text (streamed: its deltas, up to where
 * the stream ended) as the tenant's {@link ContentPolicy} asks; see {@link ContentRecorder}.
 *
 * <p>While the delegate runs, the reservation's lease is renewed every third of the lease, so only a process that
 * died (and stopped renewing) has its reservation swept; a long generation in a live process does not.
 *
 * @since 0.1.0
 */
public class GovernedChatModel implements ChatModel {

    private final ChatModel delegate;

    private final GovernanceService governance;

    private final String modelName;

    private final int defaultMaxTokens;

    private final ToIntFunction<Prompt> promptTokens;

    /**
     * Creates the decorator.
     * @param delegate the model whose calls are governed
     * @param governance admission and settlement
     * @param modelName the model's name in the audit
     * @param defaultMaxTokens the {@code maxTokens} reserved for requests that set none (the delegate would otherwise
     * generate up to its own default, which governance cannot see)
     * @param promptTokens estimates a prompt's tokens before the call; settlement books the reported count instead
     */
    public GovernedChatModel(ChatModel delegate, GovernanceService governance, String modelName,
            int defaultMaxTokens, ToIntFunction<Prompt> promptTokens) {
        if (defaultMaxTokens <= 0) {
            throw new IllegalArgumentException("defaultMaxTokens must be > 0, was " + defaultMaxTokens);
        }
        this.delegate = delegate;
        this.governance = governance;
        this.modelName = modelName;
        this.defaultMaxTokens = defaultMaxTokens;
        this.promptTokens = promptTokens;
    }

    /**
     * A conservative prompt-token estimate for models whose tokenizer is not at hand: one token per three
     * characters of message text (real tokenizers average three to four for English), at least one per message.
     * @param prompt the prompt
     * @return the estimate
     */
    public static int estimatePromptTokens(Prompt prompt) {
        long tokens = 0;
        for (var message : prompt.getInstructions()) {
            String text = message.getText();
            tokens += 1 + ((text != null) ? (text.length() + 2) / 3 : 0);
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    @Override
    public ChatOptions getOptions() {
        return this.delegate.getOptions();
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        Governed governed = admit(prompt);
        ContentRecorder content = governed.recorder();
        ChatResponse response;
        Disposable renewal = keepLeased(governed.admission());
        try {
            response = this.delegate.call(governed.prompt());
        }
        catch (RuntimeException ex) {
            renewal.dispose();
            this.governance.settle(governed.admission(), new Settlement(new Usage(governed.promptTokens(), 0, 0),
                    Outcome.FAILED, null, null, ex.toString(), content.content()));
            throw ex;
        }
        renewal.dispose();
        content.answer(textOf(response));
        this.governance.settle(governed.admission(), new Settlement(usageOf(response, governed), Outcome.COMPLETED,
                finishReasonOf(response), null, null, content.content()));
        return response;
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        // The caller is read now, on the caller's thread; the admission happens on subscription. A call made off
        // that thread (ChatClient's tool-calling advisor streams the follow-up call on a Reactor worker) finds the
        // caller in the subscriber's Reactor context instead, where Spring MVC put it through CallerContextAccessor.
        Caller bound = Caller.current();
        if (bound == null) {
            return Flux.deferContextual((context) -> governedStream(prompt,
                    context.<Caller>getOrEmpty(Caller.CONTEXT_KEY).orElseThrow(CallerRequiredException::new)));
        }
        return governedStream(prompt, bound);
    }

    private Flux<ChatResponse> governedStream(Prompt prompt, Caller caller) {
        return Flux.defer(() -> {
            Governed governed = caller.callAs(() -> admit(prompt));
            AtomicReference<@Nullable ChatResponse> last = new AtomicReference<>();
            AtomicReference<@Nullable String> finish = new AtomicReference<>();
            AtomicReference<@Nullable Long> firstTokenMillis = new AtomicReference<>();
            AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
            long started = System.nanoTime();
            AtomicBoolean settled = new AtomicBoolean();
            ContentRecorder content = governed.recorder();
            Disposable renewal = keepLeased(governed.admission());
            return this.delegate.stream(governed.prompt()).doOnNext((chunk) -> {
                firstTokenMillis.compareAndSet(null, (System.nanoTime() - started) / 1_000_000);
                content.answer(textOf(chunk));
                if (hasUsage(chunk)) {
                    last.set(chunk);
                }
                String reason = finishReasonOf(chunk);
                if (reason != null) {
                    finish.set(reason);
                }
            }).doOnError(error::set).doFinally((signal) -> {
                renewal.dispose();
                if (!settled.compareAndSet(false, true)) {
                    return;
                }
                ChatResponse reported = last.get();
                Usage booked = (reported != null)
                        ? usageOf(reported, governed) : worstCase(governed);
                Outcome outcome = (signal == SignalType.ON_COMPLETE) ? Outcome.COMPLETED
                        : (signal == SignalType.CANCEL) ? Outcome.CANCELLED : Outcome.FAILED;
                Throwable failure = error.get();
                this.governance.settle(governed.admission(), new Settlement(booked, outcome, finish.get(),
                        firstTokenMillis.get(), (failure != null) ? failure.toString() : null, content.content()));
            });
        });
    }

    /**
     * Renews the admission's lease every third of the lease until disposed, on the bounded-elastic workers, which
     * are meant for blocking work such as a database update that waits for a pooled connection.
     */
    private Disposable keepLeased(Admission admission) {
        long period = Math.max(10, this.governance.lease().toMillis() / 3);
        return Schedulers.boundedElastic().schedulePeriodically(() -> {
            try {
                this.governance.renewLease(admission);
            }
            catch (RuntimeException ex) {
                // A failed renewal is retried at the next period; the lease still has two periods left.
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private Caller requireCaller() {
        Caller caller = Caller.current();
        if (caller == null) {
            throw new CallerRequiredException();
        }
        return caller;
    }

    private Governed admit(Prompt prompt) {
        Caller caller = requireCaller();
        ChatOptions options = (prompt.getOptions() != null) ? prompt.getOptions() : this.delegate.getOptions();
        int maxTokens = (options.getMaxTokens() != null && options.getMaxTokens() > 0) ? options.getMaxTokens()
                : this.defaultMaxTokens;
        boolean thinking = false;
        Integer thinkingBudget = null;
        if (options instanceof NemotronChatOptions nemotron) {
            thinking = !Boolean.FALSE.equals(nemotron.getThinking())
                    && (nemotron.getThinkingBudget() == null || nemotron.getThinkingBudget() != 0);
            thinkingBudget = nemotron.getThinkingBudget();
        }
        int promptTokens = Math.max(0, this.promptTokens.applyAsInt(prompt));
        Admission admission = this.governance.admit(new AdmissionRequest(caller.tenantId(), caller.apiKeyId(),
                caller.principal(), this.modelName, promptTokens, maxTokens, thinking, thinkingBudget,
                options.getTemperature(), caller.clientAddress(), caller.traceId()));
        ChatOptions capped;
        if (options instanceof NemotronChatOptions nemotron) {
            NemotronChatOptions.Builder builder = nemotron.mutate().maxTokens(admission.maxTokens());
            if (admission.thinkingBudget() != null) {
                builder.thinkingBudget(admission.thinkingBudget());
            }
            capped = builder.build();
        }
        else {
            capped = options.mutate().maxTokens(admission.maxTokens()).build();
        }
        return new Governed(admission, prompt.mutate().chatOptions(capped).build(), promptTokens);
    }

    private static boolean hasUsage(ChatResponse response) {
        org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
        return usage != null && usage.getTotalTokens() != null && usage.getTotalTokens() > 0;
    }

    private static Usage usageOf(ChatResponse response, Governed governed) {
        org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
        if (usage == null || !hasUsage(response)) {
            return worstCase(governed);
        }
        long prompt = (usage.getPromptTokens() != null) ? usage.getPromptTokens() : governed.promptTokens();
        long completion = (usage.getCompletionTokens() != null) ? usage.getCompletionTokens() : 0;
        long reasoning = Math.min(completion, NemotronChatMetadata.reasoningTokensOf(response));
        return new Usage(prompt, reasoning, completion - reasoning);
    }

    private static Usage worstCase(Governed governed) {
        return new Usage(governed.promptTokens(), 0,
                governed.admission().maxTokens());
    }

    /** The first generation's text: what the audit content records as the answer. */
    private static @Nullable String textOf(ChatResponse response) {
        return (response.getResult() != null) ? response.getResult().getOutput().getText() : null;
    }

    private static @Nullable String finishReasonOf(ChatResponse response) {
        if (response.getResult() == null || response.getResult().getMetadata() == null) {
            return null;
        }
        String reason = response.getResult().getMetadata().getFinishReason();
        return (reason != null && !reason.isBlank()) ? reason : null;
    }

    private record Governed(Admission admission, Prompt prompt, int promptTokens) {

        /** A recorder of the content the tenant's policy keeps, holding the prompt's messages already. */
        ContentRecorder recorder() {
            ContentRecorder recorder = new ContentRecorder(this.admission.contentPolicy());
            if (this.admission.contentPolicy() != ContentPolicy.NONE) {
                for (Message message : this.prompt.getInstructions()) {
                    recorder.message(message.getMessageType().name(), message.getText());
                }
            }
            return recorder;
        }

    }

}
