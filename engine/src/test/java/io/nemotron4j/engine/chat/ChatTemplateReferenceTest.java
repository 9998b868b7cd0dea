package io.nemotron4j.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every (template, conversation) pair of the reference renders exactly as Jinja2 rendered it, or fails as it did. */
class ChatTemplateReferenceTest {

    private static final Map<String, ChatTemplate> TEMPLATES = new ConcurrentHashMap<>();

    static List<ReferenceData.Pair> pairs() {
        return ReferenceData.pairs();
    }

    @Test
    void referenceHas121RenderingsAndThreeExpectedErrors() {
        List<ReferenceData.Pair> pairs = pairs();

        assertThat(pairs).hasSize(124);
        assertThat(pairs).filteredOn(p -> p.status().equals("ok")).hasSize(121);
        assertThat(pairs).filteredOn(p -> p.status().equals("error")).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void matchesJinja2(ReferenceData.Pair pair) {
        ChatTemplate template = TEMPLATES.computeIfAbsent(pair.template(), t -> ChatTemplate.compile(ReferenceData.template(t)));
        ConversationFile conversation = ReferenceData.conversation(pair.conversation());

        if (pair.status().equals("ok")) {
            String expected = ReferenceData.rendering(pair.template(), pair.conversation());
            String rendered = conversation.renderWith(template);
            assertThat(rendered).isEqualTo(expected);
            assertThat(rendered.getBytes(StandardCharsets.UTF_8)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        } else {
            assertThatThrownBy(() -> conversation.renderWith(template))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessageContaining(pair.error());
        }
    }
}
