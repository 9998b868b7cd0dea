package io.nemotron4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StopStringsTest {

    private static String feed(StopStrings s, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            String emitted = s.push(p);
            out.append(emitted).append('|');
        }
        return out.toString();
    }

    @Test
    void aStopStringSplitOverTokensIsFoundAndNeverLeaked() {
        StopStrings s = new StopStrings(List.of("END"));
        assertThat(feed(s, "Hel", "lo E", "N", "D and more")).isEqualTo("Hel|lo |||");
        assertThat(s.stopped()).isTrue();
        assertThat(s.flush()).isEmpty();
    }

    @Test
    void aFalseStartIsReleasedOnceItCannotMatch() {
        StopStrings s = new StopStrings(List.of("END"));
        assertThat(feed(s, "E", "N", "x")).isEqualTo("||ENx|");
        assertThat(s.stopped()).isFalse();
    }

    @Test
    void heldTextIsFlushedAtTheEnd() {
        StopStrings s = new StopStrings(List.of("###"));
        assertThat(s.push("a#")).isEqualTo("a");
        assertThat(s.flush()).isEqualTo("#");
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopStrings s = new StopStrings(List.of("bar", "o b"));
        assertThat(s.push("foo bar")).isEqualTo("fo");
    }

    @Test
    void noStopsPassEverythingThrough() {
        StopStrings s = new StopStrings(List.of());
        assertThat(s.push("anything")).isEqualTo("anything");
    }
}
