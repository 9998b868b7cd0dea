package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.testsupport.ScriptedChooser;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole tool loop through {@link ChatClient}: the model (scripted) asks for a {@code @Tool} method, Spring AI's
 * tool-calling advisor runs it and calls the model again with the result, and the model answers from it. Proves
 * that {@link NemotronChatModel} returns tool calls the way Spring AI expects and renders the replayed turns.
 */
class ChatClientToolCallingTests {

    private static NemotronEngine engine;

    private final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void loadModel() {
        engine = TinyModel.load();
    }

    @AfterAll
    static void closeModel() {
        engine.close();
    }

    /** The tool: records its calls so the test can see it ran. */
    static class WeatherTools {

        final List<String> cities = new CopyOnWriteArrayList<>();

        @Tool(description = "The current weather in a city")
        String currentWeather(@ToolParam(description = "The city's name") String city) {
            this.cities.add(city);
            return "sunny and 24 degrees in " + city;
        }

    }

    /** Calls the tool first; once the conversation ends with its result, answers from that result. */
    private ChatClient client() {
        NemotronChatModel model = NemotronChatModel.builder()
            .engine(engine)
            .modelName("tiny-nemotron")
            .tokenChooserFactory(request -> {
                this.requests.add(request);
                ChatMessage last = request.messages().getLast();
                if (last.role() == ChatMessage.Role.TOOL) {
                    return ScriptedChooser.says(engine.tokenizer(), "The tool answered.\n</think>\n\nIt is "
                            + last.content().replace("\"", "") + ".");
                }
                return ScriptedChooser.says(engine.tokenizer(), "I should look it up.\n</think>\n\n"
                        + "<TOOLCALL>[{\"name\": \"currentWeather\", \"arguments\": {\"city\": \"Paris\"}}]</TOOLCALL>");
            })
            .build();
        return ChatClient.builder(model).build();
    }

    @Test
    void aCallRunsTheToolAndAnswersFromItsResult() {
        WeatherTools tools = new WeatherTools();
        ChatResponse response = client().prompt().user("What is the weather in Paris?").tools(tools).call()
            .chatResponse();

        assertThat(tools.cities).containsExactly("Paris");
        assertThat(response.getResult().getOutput().getText()).isEqualTo("It is sunny and 24 degrees in Paris.");
        assertThat(response.hasToolCalls()).isFalse();
        assertThat(NemotronChatMetadata.reasoningOf(response)).isEqualTo("The tool answered.");
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThatTheSecondRoundReplaysTheCallAndItsResult();
    }

    @Test
    void aStreamRunsTheToolAndStreamsTheAnswer() {
        WeatherTools tools = new WeatherTools();
        List<String> pieces = client().prompt().user("What is the weather in Paris?").tools(tools).stream().content()
            .collectList()
            .block(Duration.ofSeconds(60));

        assertThat(tools.cities).containsExactly("Paris");
        String answer = String.join("", pieces);
        assertThat(answer).isEqualTo("It is sunny and 24 degrees in Paris.");
        assertThat(answer).doesNotContain("TOOLCALL").doesNotContain("look it up");
        assertThatTheSecondRoundReplaysTheCallAndItsResult();
    }

    private void assertThatTheSecondRoundReplaysTheCallAndItsResult() {
        assertThat(this.requests).hasSize(2);
        assertThat(this.requests.getFirst().tools()).singleElement()
            .satisfies(t -> assertThat(t.name()).isEqualTo("currentWeather"));
        List<ChatMessage> replay = this.requests.get(1).messages();
        assertThat(replay).extracting(ChatMessage::role)
            .containsExactly(ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT, ChatMessage.Role.TOOL);
        ChatMessage call = replay.get(1);
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("currentWeather");
            assertThat(c.argumentsJson()).contains("Paris");
        });
        assertThat(replay.get(2).toolCallId()).isEqualTo(call.toolCalls().getFirst().id());
        assertThat(replay.get(2).content()).contains("sunny and 24 degrees in Paris");
    }
}
