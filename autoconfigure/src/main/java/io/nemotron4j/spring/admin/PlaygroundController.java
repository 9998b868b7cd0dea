package io.nemotron4j.spring.admin;

import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.nemotron4j.spring.chat.NemotronChatMetadata;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import io.nemotron4j.spring.governance.Caller;
import io.nemotron4j.spring.governance.GovernedChatModel;
import io.nemotron4j.spring.governance.RequestAudit;
import io.nemotron4j.spring.governance.Tenants;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The playground: one prompt as a chosen tenant through the governed model, so it is admitted, capped, settled and
 * audited like any request of that tenant (principal: the admin). Streams {@code reasoning} and {@code answer}
 * events apart and a closing {@code done} event with the token counts; a refusal is a 429 problem before the stream
 * starts. Every event's data is one JSON object: a text delta is {@code {"text": " world"}}, because raw text after
 * {@code data:} loses a leading space to every standard event-stream parser and cannot hold a line break.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping(AdminApi.ROOT)
public class PlaygroundController {

    /** How long one playground stream may last. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final ObjectProvider<GovernedChatModel> model;

    private final Tenants tenants;

    private final RequestAudit audit;

    /**
     * Creates the controller.
     * @param model the governed model, if a model is configured
     * @param tenants checks the tenant
     * @param audit finds the request's audit row
     */
    public PlaygroundController(ObjectProvider<GovernedChatModel> model, Tenants tenants, RequestAudit audit) {
        this.model = model;
        this.tenants = tenants;
        this.audit = audit;
    }

    /**
     * A playground request.
     * @param tenantId the tenant it runs as
     * @param prompt the user's message
     * @param thinking whether the model reasons first
     * @param thinkingBudget most reasoning tokens, -1 for no limit
     * @param maxTokens most tokens generated
     * @param temperature sampling temperature
     */
    record PlaygroundRequest(@Nullable UUID tenantId, @Nullable String prompt, @Nullable Boolean thinking,
            @Nullable Integer thinkingBudget, @Nullable Integer maxTokens, @Nullable Double temperature) {
    }

    @PostMapping("/playground")
    SseEmitter play(@StrictBody PlaygroundRequest body, Principal actor, HttpServletRequest request) {
        Checks checks = new Checks("");
        if (body.tenantId() == null) {
            checks.fail("tenantId", "is required");
        }
        checks.text("prompt", body.prompt(), 32_000, true);
        checks.range("thinkingBudget", body.thinkingBudget(), -1, Checks.MAX_COUNT);
        checks.range("maxTokens", body.maxTokens(), 1, Checks.MAX_COUNT);
        if (body.temperature() != null && (body.temperature() < 0 || body.temperature() > 2
                || body.temperature().isNaN())) {
            checks.fail("temperature", "must be between 0 and 2");
        }
        checks.throwIfAny();
        GovernedChatModel governed = this.model.getIfAvailable();
        if (governed == null) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "no governed chat model is configured");
        }
        UUID tenantId = body.tenantId();
        this.tenants.find(tenantId).orElseThrow(() -> new NotFoundException("tenant", tenantId));
        NemotronChatOptions.Builder options = NemotronChatOptions.builder()
            .thinking(!Boolean.FALSE.equals(body.thinking()))
            .thinkingBudget(body.thinkingBudget());
        options.maxTokens(body.maxTokens());
        options.temperature(body.temperature());
        Prompt prompt = new Prompt(new UserMessage(body.prompt()), options.build());
        // A fresh trace id of our own identifies this request's audit row for the closing event.
        String traceId = UUID.randomUUID().toString().replace("-", "");
        Caller caller = new Caller(tenantId, null, actor.getName(), request.getRemoteAddr(), traceId);

        AtomicReference<@Nullable Throwable> early = new AtomicReference<>();
        ConnectableFlux<ChatResponse> stream = caller.callAs(() -> governed.stream(prompt))
            .doOnError(early::set)
            .replay();
        // Admission runs now, on this thread: a refusal (or any failure to start) becomes a problem response
        // before any event is sent.
        Disposable connection = stream.connect();
        if (early.get() instanceof RuntimeException failed) {
            throw failed;
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        emitter.onTimeout(connection::dispose);
        emitter.onError((ex) -> connection.dispose());
        AtomicReference<@Nullable ChatResponse> last = new AtomicReference<>();
        Flux.from(stream).subscribe((chunk) -> {
            if (chunk.getMetadata().getUsage() != null && chunk.getMetadata().getUsage().getTotalTokens() != null
                    && chunk.getMetadata().getUsage().getTotalTokens() > 0) {
                last.set(chunk);
            }
            send(emitter, connection, chunk);
        }, emitter::completeWithError, () -> {
            try {
                emitter.send(SseEmitter.event().name("done").data(done(last.get(), tenantId, traceId)));
                emitter.complete();
            }
            catch (IOException ex) {
                connection.dispose();
            }
        });
        return emitter;
    }

    private static void send(SseEmitter emitter, Disposable connection, ChatResponse chunk) {
        if (chunk.getResult() == null) {
            return;
        }
        try {
            Object reasoning = chunk.getResult().getOutput().getMetadata().get(NemotronChatMetadata.REASONING_DELTA);
            if (reasoning instanceof String delta && !delta.isEmpty()) {
                emitter.send(SseEmitter.event().name("reasoning").data(Map.of("text", delta)));
            }
            String answer = chunk.getResult().getOutput().getText();
            if (answer != null && !answer.isEmpty()) {
                emitter.send(SseEmitter.event().name("answer").data(Map.of("text", answer)));
            }
        }
        catch (IOException ex) {
            // The browser went away: stop generating; the request settles as cancelled.
            connection.dispose();
        }
    }

    private Map<String, @Nullable Object> done(@Nullable ChatResponse last, UUID tenantId, String traceId) {
        Map<String, @Nullable Object> done = new LinkedHashMap<>();
        var usage = (last != null) ? last.getMetadata().getUsage() : null;
        long completion = (usage != null && usage.getCompletionTokens() != null) ? usage.getCompletionTokens() : 0;
        long reasoning = Math.min(completion, NemotronChatMetadata.reasoningTokensOf(last));
        done.put("finishReason", (last != null && last.getResult() != null)
                ? last.getResult().getMetadata().getFinishReason() : null);
        done.put("inputTokens", (usage != null) ? usage.getPromptTokens() : null);
        done.put("reasoningTokens", reasoning);
        done.put("outputTokens", completion - reasoning);
        done.put("requestId", this.audit.search(new RequestAudit.Filter(tenantId, null, null, null, traceId), null, 1)
            .rows()
            .stream()
            .findFirst()
            .map(RequestAudit.Row::id)
            .orElse(null));
        return done;
    }

}
