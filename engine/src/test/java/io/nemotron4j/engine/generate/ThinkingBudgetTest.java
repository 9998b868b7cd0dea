package io.nemotron4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThinkingBudgetTest {

    @Test
    void closesAtTheFirstLineEndOnceTheBudgetIsSpent() {
        ThinkingBudget b = new ThinkingBudget(3, 10);
        assertThat(b.afterToken("a\n", true)).as("a line end before the budget is spent changes nothing").isNull();
        assertThat(b.afterToken("b", true)).isNull();
        assertThat(b.afterToken("c", true)).isNull();
        assertThat(b.afterToken("d", true)).isNull();
        assertThat(b.afterToken(".\n", true)).isEqualTo(ThinkingBudget.CLOSE_AT_LINE_END);
        assertThat(b.used()).isEqualTo(5);
    }

    @Test
    void closesHardWhenTheGraceRunsOut() {
        ThinkingBudget b = new ThinkingBudget(2, 3);
        String forced = null;
        int tokens = 0;
        while (forced == null) {
            forced = b.afterToken("x", true);
            tokens++;
        }
        assertThat(tokens).isEqualTo(5);
        assertThat(forced).isEqualTo(ThinkingBudget.CLOSE_HARD);
    }

    @Test
    void theSoftCloseWaitsForAWholeCharacterButTheHardCloseDoesNot() {
        ThinkingBudget b = new ThinkingBudget(1, 2);
        assertThat(b.afterToken("\n", false)).isNull();
        assertThat(b.afterToken("x", false)).isNull();
        assertThat(b.afterToken("x", false)).isEqualTo(ThinkingBudget.CLOSE_HARD);
    }

    @Test
    void withoutGraceTheBudgetIsExact() {
        ThinkingBudget b = new ThinkingBudget(4, 0);
        assertThat(b.afterToken("x", true)).isNull();
        assertThat(b.afterToken("x", true)).isNull();
        assertThat(b.afterToken("x", true)).isNull();
        assertThat(b.afterToken("x", true)).isEqualTo(ThinkingBudget.CLOSE_HARD);
    }
}
