package io.nemotron4j.samples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A chat service on an in-process Nemotron-H model. Everything model-related comes from the Nemotron4j starter:
 * this application only maps HTTP to Spring AI's {@code ChatClient} (see {@link ChatController}).
 */
@SpringBootApplication
public class ChatServiceApplication {

    /** Starts the service; see the README for the model settings. */
    public static void main(String[] args) {
        SpringApplication.run(ChatServiceApplication.class, args);
    }
}
