package io.nemotron4j.spring.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.spring.testsupport.ScriptedChooser;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: with one sequence slot and no waiting line, a second chat request while the first one runs is
 * answered 503 with a {@code Retry-After} header and a problem body that says why; once the first is done, a
 * request succeeds again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "nemotron.engine.threads=1", "nemotron.engine.max-sequences=1", "nemotron.engine.queue-size=0",
                "nemotron.chat.thinking=false",
                // An app with the main starter only: no DataSource, and no Spring Security (which this module's
                // test class path has for the governance tests) locking its routes.
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class GenerationRejectedAdviceTests {

    /** Holds the engine's step thread in the first generation until the test releases it. */
    static final CountDownLatch release = new CountDownLatch(1);

    static final CountDownLatch firstRunning = new CountDownLatch(1);

    @LocalServerPort
    int port;

    @Autowired
    GenerationScheduler scheduler;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("nemotron.model.path", () -> TinyModel.path().toString());
    }

    @AfterEach
    void releaseTheFirst() {
        release.countDown();
    }

    private CompletableFuture<HttpResponse<String>> ask(String text) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/ask?q=" + text))
            .timeout(Duration.ofSeconds(60))
            .build();
        return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedRequestIsAnswered503WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> first = ask("one");
        assertThat(firstRunning.await(60, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> refused = ask("two").get(60, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"status\":503").contains("the most the queue holds")
            .contains("nemotron.engine.queue-size");
        assertThat(this.scheduler.statistics().rejectedRequests()).isEqualTo(1);

        release.countDown();
        assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> later = ask("three").get(60, TimeUnit.SECONDS);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).isEqualTo("ok");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        TokenChooserFactory heldFirstChooser(org.springframework.beans.factory.ObjectProvider<GenerationScheduler> s) {
            return (request) -> {
                TokenChooser says = ScriptedChooser.says(s.getObject().engine().tokenizer(), "ok");
                return new TokenChooser() {
                    @Override
                    public int choose(float[] logits) {
                        firstRunning.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        }
                        catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                        return says.choose(logits);
                    }

                    @Override
                    public void accept(int token) {
                        says.accept(token);
                    }
                };
            };
        }

        @RestController
        static class Ask {

            private final ChatModel chat;

            Ask(ChatModel chat) {
                this.chat = chat;
            }

            @GetMapping("/ask")
            String ask(@RequestParam String q) {
                return this.chat.call(q);
            }
        }
    }
}
