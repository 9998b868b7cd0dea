package io.nemotron4j.samples.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nemotron4j.spring.chat.NemotronChatMetadata;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chat API.
 *
 * <ul>
 * <li>{@code POST /chat} with a {@link ChatRequest} as JSON answers with a {@link ChatReply}.</li>
 * <li>{@code GET /chat/stream?message=...&thinking=...&thinkingBudget=...&maxTokens=...&tools=...} streams
 * server-sent events: {@code reasoning} and {@code answer} events carry {@code {"text": "..."}} pieces as the model
 * produces them, and one {@code done} event ends the stream with the finish reason and the token usage. Closing the
 * connection cancels the generation.</li>
 * </ul>
 */
@RestController
public class ChatController {

    private final ChatClient chat;

    private final ClockTools clock;

    /** Builds the controller on the auto-configured {@code ChatClient.Builder}. */
    public ChatController(ChatClient.Builder chatClientBuilder, ClockTools clock) {
        this.chat = chatClientBuilder.build();
        this.clock = clock;
    }

    /** Answers in one piece. */
    @PostMapping("/chat")
    public ChatReply chat(@RequestBody ChatRequest request) {
        return ChatReply.of(prompt(request).call().chatResponse());
    }

    /** Streams the reasoning and the answer as server-sent events, then a {@code done} event. */
    @GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Object>> stream(@RequestParam String message,
            @RequestParam(required = false) String system, @RequestParam(required = false) Boolean thinking,
            @RequestParam(required = false) Integer thinkingBudget, @RequestParam(required = false) Integer maxTokens,
            @RequestParam(required = false) Boolean tools) {
        ChatRequest request = new ChatRequest(message, system, thinking, thinkingBudget, maxTokens, tools);
        return prompt(request).stream().chatResponse().concatMapIterable(ChatController::events);
    }

    private ChatClient.ChatClientRequestSpec prompt(ChatRequest request) {
        if (request.message() == null || request.message().isBlank()) {
            throw new IllegalArgumentException("message must not be empty");
        }
        ChatClient.ChatClientRequestSpec spec = this.chat.prompt()
            .user(request.message())
            .options(NemotronChatOptions.builder()
                .thinking(request.thinking())
                .thinkingBudget(request.thinkingBudget())
                .maxTokens(request.maxTokens()));
        if (request.system() != null && !request.system().isBlank()) {
            spec = spec.system(request.system());
        }
        if (Boolean.TRUE.equals(request.tools())) {
            spec = spec.tools(this.clock);
        }
        return spec;
    }

    /**
     * One streamed chunk as events: its reasoning piece, its answer piece, and at the end the summary. A list, not a
     * {@code Flux}: an inner {@code Flux.empty().concatWith(...)} under {@code concatMap} can lose the request that
     * Spring MVC makes from its writer thread (Reactor 3.8; a few streams in 100,000 in a stress run), and the
     * stream then stops for good before its last event.
     */
    private static List<ServerSentEvent<Object>> events(ChatResponse chunk) {
        List<ServerSentEvent<Object>> events = new ArrayList<>(3);
        if (chunk.getResult() == null) {
            return events;
        }
        Object reasoning = chunk.getResult().getOutput().getMetadata().get(NemotronChatMetadata.REASONING_DELTA);
        if (reasoning instanceof String text && !text.isEmpty()) {
            events.add(event("reasoning", Map.of("text", text)));
        }
        String answer = chunk.getResult().getOutput().getText();
        if (answer != null && !answer.isEmpty()) {
            events.add(event("answer", Map.of("text", answer)));
        }
        String finishReason = chunk.getResult().getMetadata().getFinishReason();
        if (finishReason != null) {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("finishReason", finishReason);
            done.put("model", chunk.getMetadata().getModel());
            done.put("usage", ChatReply.TokenUsage.of(chunk));
            events.add(event("done", done));
        }
        return events;
    }

    private static ServerSentEvent<Object> event(String name, Object data) {
        return ServerSentEvent.builder(data).event(name).build();
    }
}
