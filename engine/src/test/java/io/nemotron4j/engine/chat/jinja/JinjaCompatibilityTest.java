package io.nemotron4j.engine.chat.jinja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.json.JsonMapper;

/**
 * Replays reference/chat/jinja/jinja-cases.json: small templates covering whitespace control, literals, operators,
 * loops, scoping, macros, filters, tests and Python methods, each with what Jinja2 3.1.6 rendered (in
 * transformers' environment) or the message of the error it raised.
 */
class JinjaCompatibilityTest {

    /** One case: the template, its variables, and Jinja2's output or error message. */
    record Case(String name, String template, Map<String, Object> context, String expected, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> cases() throws IOException {
        String json = Files.readString(TestResources.path("reference/chat/jinja/jinja-cases.json"));
        List<Map<String, Object>> raw = JsonMapper.shared().readValue(json, List.class);
        return raw.stream().map(c -> new Case((String) c.get("name"), (String) c.get("template"),
                c.containsKey("context") ? (Map<String, Object>) c.get("context") : Map.of(),
                (String) c.get("expected"), (String) c.get("error"))).toList();
    }

    @Test
    void corpusCoversRendersAndErrors() throws IOException {
        List<Case> cases = cases();

        assertThat(cases).hasSizeGreaterThan(90);
        assertThat(cases).filteredOn(c -> c.error() != null).hasSizeGreaterThan(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersAsJinja2(Case c) {
        if (c.error() == null) {
            assertThat(Template.parse(c.template()).render(c.context())).isEqualTo(c.expected());
        } else {
            assertThatThrownBy(() -> Template.parse(c.template()).render(c.context()))
                    .isInstanceOf(JinjaException.class)
                    .hasMessageContaining(c.error());
        }
    }
}
