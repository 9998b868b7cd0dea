package io.nemotron4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasoningSplitterTest {

    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder answer = new StringBuilder();
    private final ReasoningSplitter.Sink sink = new ReasoningSplitter.Sink() {
        @Override
        public void reasoning(String text) {
            reasoning.append('[').append(text).append(']');
        }

        @Override
        public void answer(String text) {
            answer.append('[').append(text).append(']');
        }
    };

    @Test
    void theCloseTagSplitAcrossTokensSeparatesReasoningFromAnswer() {
        ReasoningSplitter s = new ReasoningSplitter(true, sink);
        for (String piece : new String[] {"Let me", " think.", "\n</", "thi", "nk>\n", "\nHello", "!"}) {
            s.accept(piece);
        }
        assertThat(reasoning).hasToString("[Let me][ think.]");
        assertThat(answer).hasToString("[Hello][!]");
        assertThat(s.thinking()).isFalse();
    }

    @Test
    void whitespaceInsideTheReasoningIsKept() {
        ReasoningSplitter s = new ReasoningSplitter(true, sink);
        s.accept("a \n");
        s.accept("b</think>c");
        assertThat(reasoning).hasToString("[a][ \nb]");
        assertThat(answer).hasToString("[c]");
    }

    @Test
    void withoutThinkingEverythingIsAnswer() {
        ReasoningSplitter s = new ReasoningSplitter(false, sink);
        s.accept("\n\nHi </think> there");
        assertThat(reasoning).isEmpty();
        assertThat(answer).hasToString("[Hi </think> there]");
    }

    @Test
    void closingByTheEngineFlushesHeldText() {
        ReasoningSplitter s = new ReasoningSplitter(true, sink);
        s.accept("so </th");
        s.closeReasoning();
        s.accept("\n\nAnswer");
        assertThat(reasoning).hasToString("[so][ </th]");
        assertThat(answer).hasToString("[Answer]");
    }
}
