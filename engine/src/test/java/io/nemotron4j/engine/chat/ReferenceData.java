package io.nemotron4j.engine.chat;

import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** The chat-template reference set (copied under src/test/resources/reference/chat): Jinja2's exact renderings. */
final class ReferenceData {

    /** One (template, conversation) pair of index.json; {@code error} is set for the expected failures. */
    record Pair(String template, String conversation, String status, String error) {
        @Override
        public String toString() {
            return template + " / " + conversation;
        }
    }

    private ReferenceData() {
    }

    static Path dir() {
        return TestResources.path("reference/chat/index.json").getParent();
    }

    @SuppressWarnings("unchecked")
    static List<Pair> pairs() {
        Map<String, Object> index = JsonMapper.shared().readValue(read("index.json"), Map.class);
        return ((List<Map<String, Object>>) index.get("results")).stream()
                .map(r -> new Pair((String) r.get("template"), (String) r.get("conversation"), (String) r.get("status"),
                        (String) r.get("error")))
                .toList();
    }

    static String template(String name) {
        return read("templates/" + name + ".jinja");
    }

    static ConversationFile conversation(String name) {
        return ConversationFile.parse(read("conversations/" + name + ".json"));
    }

    static String rendering(String template, String conversation) {
        return read("rendered/" + template + "/" + conversation + ".txt");
    }

    static String read(String relative) {
        try {
            return Files.readString(dir().resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
