package io.nemotron4j.spring.admin.securedhost;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.chat.TokenChooserFactory;
import io.nemotron4j.spring.testsupport.ScriptedChooser;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host application that secures its own routes: its own chain over everything, its own users, and a chat
 * endpoint whose caller is the signed-in user (mapped to a tenant by its principal).
 */
@SpringBootApplication
public class SecuredHostApplication {

    @Bean
    SecurityFilterChain hostSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
            .httpBasic(Customizer.withDefaults())
            .csrf((csrf) -> csrf.disable())
            .build();
    }

    @Bean
    UserDetailsService hostUsers() {
        return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}pw").roles("USER").build());
    }

    @Bean
    TokenChooserFactory scriptedChooser(ObjectProvider<NemotronEngine> engine) {
        return (request) -> ScriptedChooser.says(engine.getObject().tokenizer(), "a greeting</think>hi alice");
    }

    /** The host's chat endpoint. */
    @RestController
    static class Chat {

        private final ChatModel chat;

        Chat(ChatModel chat) {
            this.chat = chat;
        }

        @PostMapping("/chat")
        String chat(@RequestBody String prompt) {
            return this.chat.call(new Prompt(prompt)).getResult().getOutput().getText();
        }

    }

}
