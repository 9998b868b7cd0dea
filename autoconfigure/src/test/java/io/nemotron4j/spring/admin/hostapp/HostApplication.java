package io.nemotron4j.spring.admin.hostapp;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.chat.TokenChooserFactory;
import io.nemotron4j.spring.testsupport.ScriptedChooser;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host application with the governance starter's class path: its own chat endpoint (using the injected, hence
 * governed, {@code ChatModel}), an open greeting route, a local JWT decoder, and a model that says a scripted
 * reasoning and answer.
 */
@SpringBootApplication
public class HostApplication {

    /** The key pair whose private half signs the tests' JWTs. */
    public static final KeyPair KEYS = keyPair();

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Bean
    JwtDecoder jwtDecoder() {
        return NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
    }

    @Bean
    TokenChooserFactory scriptedChooser(ObjectProvider<NemotronEngine> engine) {
        return (request) -> ScriptedChooser.says(engine.getObject().tokenizer(), "pondering</think>the answer");
    }

    /** The host's own routes. */
    @RestController
    static class HostEndpoints {

        private final ChatModel chat;

        HostEndpoints(ChatModel chat) {
            this.chat = chat;
        }

        @GetMapping("/hello")
        String hello() {
            return "hello";
        }

        @PostMapping("/chat")
        String chat(@RequestBody String prompt) {
            return this.chat.call(new Prompt(prompt)).getResult().getOutput().getText();
        }

        @PostMapping(path = "/chat/stream", produces = "text/event-stream")
        Flux<String> stream(@RequestBody String prompt) {
            return this.chat.stream(new Prompt(prompt))
                .map((chunk) -> (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null)
                        ? chunk.getResult().getOutput().getText() : "")
                .filter((text) -> !text.isEmpty());
        }

        /** A body of the host's own: the host's JSON settings (unknown fields ignored) must stay as they are. */
        record Greeting(String name) {
        }

        @PostMapping("/greet")
        String greet(@RequestBody Greeting greeting) {
            return "hello " + greeting.name();
        }

    }

}
