package io.nemotron4j.starter;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.spring.chat.NemotronChatMetadata;
import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import io.nemotron4j.spring.chat.TokenChooserFactory;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh Spring Boot application whose only dependency besides Spring Boot's test starter is this starter: one
 * property, and a {@link ChatModel} and a {@link ChatClient.Builder} are there to inject, tools included.
 */
@SpringBootTest(properties = { "nemotron.model.path=classpath:nemotron-h-tok-tekken.gguf", "nemotron.engine.threads=1" })
class FreshApplicationTests {

    @SpringBootApplication
    static class FreshApplication {

    }

    /** Scripts the tiny random-weight model: it calls the tool, then answers from the tool's result. */
    @TestConfiguration
    static class Script {

        @Bean
        TokenChooserFactory scriptedModel(NemotronEngine engine) {
            return request -> {
                var tokenizer = engine.tokenizer();
                String last = request.messages().getLast().content();
                String text = request.messages().getLast().toolCallId() != null
                        ? "Answering.\n</think>\n\nIt is " + last.replace("\"", "") + "."
                        : "Calling.\n</think>\n\n<TOOLCALL>[{\"name\": \"localTime\", \"arguments\": {\"city\": \"Oslo\"}}]</TOOLCALL>";
                int[] ids = tokenizer.encodeWithSpecials(text + "<SPECIAL_12>");
                return new TokenChooser() {
                    private int next;

                    @Override
                    public int choose(float[] logits) {
                        return ids[Math.min(this.next++, ids.length - 1)];
                    }

                    @Override
                    public void accept(int token) {
                    }
                };
            };
        }

    }

    static class Clock {

        final List<String> asked = new CopyOnWriteArrayList<>();

        @Tool(description = "The local time in a city")
        String localTime(String city) {
            this.asked.add(city);
            return "noon in " + city;
        }

    }

    @Autowired
    ChatModel chatModel;

    @Autowired
    ChatClient.Builder chatClientBuilder;

    @Test
    void oneDependencyAndOnePropertyGiveAChatModelWithTools() {
        assertThat(this.chatModel).isInstanceOf(NemotronChatModel.class);
        Clock clock = new Clock();
        ChatResponse response = this.chatClientBuilder.build()
            .prompt()
            .user("What time is it in Oslo?")
            .tools(clock)
            .options(NemotronChatOptions.builder().thinkingBudget(64))
            .call()
            .chatResponse();
        assertThat(clock.asked).containsExactly("Oslo");
        assertThat(response.getResult().getOutput().getText()).isEqualTo("It is noon in Oslo.");
        assertThat(NemotronChatMetadata.reasoningOf(response)).isEqualTo("Answering.");
    }
}
