package io.nemotron4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SamplerTest {

    private static float[] logitsOf(double... probabilities) {
        float[] l = new float[probabilities.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.log(probabilities[i]);
        }
        return l;
    }

    private static int[] histogram(SamplingOptions o, float[] logits, int draws) {
        Sampler s = new Sampler(o, logits.length);
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            counts[s.sample(logits.clone())]++;
        }
        return counts;
    }

    @Test
    void greedyTakesTheLargestLogitAndTheLowestIdOnTies() {
        Sampler s = new Sampler(SamplingOptions.greedy(), 5);
        assertThat(s.sample(new float[] {0f, 3f, 1f, 3f, -2f})).isEqualTo(1);
    }

    @Test
    void temperatureOneSamplesTheSoftmax() {
        int[] c = histogram(SamplingOptions.greedy().withTemperature(1f).withSeed(7), logitsOf(0.5, 0.3, 0.2), 40_000);
        assertThat(c[0] / 40_000.0).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.015));
        assertThat(c[1] / 40_000.0).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.015));
        assertThat(c[2] / 40_000.0).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.015));
    }

    @Test
    void lowTemperatureSharpens() {
        int[] c = histogram(SamplingOptions.greedy().withTemperature(0.1f).withSeed(1), logitsOf(0.5, 0.3, 0.2), 5_000);
        assertThat(c[0]).isGreaterThan(4_900);
    }

    @Test
    void sameSeedSameTokensOtherSeedOtherTokens() {
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.sin(i);
        }
        SamplingOptions o = SamplingOptions.reasoningDefaults(42);
        int[] a = draw(o, logits, 200);
        assertThat(draw(o, logits, 200)).isEqualTo(a);
        assertThat(draw(o.withSeed(43), logits, 200)).isNotEqualTo(a);
    }

    private static int[] draw(SamplingOptions o, float[] logits, int n) {
        Sampler s = new Sampler(o, logits.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(logits.clone());
        }
        return out;
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        int[] c = histogram(SamplingOptions.greedy().withTemperature(1f).withTopK(2), logitsOf(0.1, 0.4, 0.2, 0.3), 5_000);
        assertThat(c[0]).isZero();
        assertThat(c[2]).isZero();
        assertThat(c[1] + c[3]).isEqualTo(5_000);
        assertThat(c[1]).isGreaterThan(c[3]);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        int[] c = histogram(SamplingOptions.greedy().withTemperature(1f).withTopP(0.75f), logits, 5_000);
        assertThat(c[2]).isZero();
        assertThat(c[3]).isZero();
        assertThat(c[0]).isGreaterThan(c[1]).isGreaterThan(0);
        int[] wider = histogram(SamplingOptions.greedy().withTemperature(1f).withTopP(0.85f), logits, 5_000);
        assertThat(wider[2]).isPositive();
        assertThat(wider[3]).isZero();
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        int[] c = histogram(SamplingOptions.greedy().withTemperature(1f).withMinP(0.5f), logitsOf(0.5, 0.3, 0.15, 0.05), 5_000);
        assertThat(c[0]).isPositive();
        assertThat(c[1]).isPositive();
        assertThat(c[2] + c[3]).isZero();
    }

    @Test
    void repetitionPresenceAndFrequencyPenalties() {
        Sampler s = new Sampler(SamplingOptions.greedy().withPenalties(2f, 0.5f, 0.25f), 4);
        s.accept(0);
        s.accept(1);
        s.accept(1);
        float[] logits = {2f, -1f, 1.5f, 0f};
        s.sample(logits);
        assertThat(logits[0]).isEqualTo(2f / 2 - 0.5f - 0.25f);
        assertThat(logits[1]).isEqualTo(-1f * 2 - 0.5f - 0.5f);
        assertThat(logits[2]).isEqualTo(1.5f);
        assertThat(logits[3]).isZero();
    }

    @Test
    void penaltiesForgetTokensThatLeftTheWindow() {
        SamplingOptions o = new SamplingOptions(0f, 0, 1f, 0f, 1f, 10f, 0f, 2, 0L);
        Sampler s = new Sampler(o, 3);
        s.accept(0);
        s.accept(1);
        s.accept(2);
        float[] logits = {1f, 1f, 1f};
        assertThat(s.sample(logits)).isZero();
        assertThat(logits).containsExactly(1f, -9f, -9f);
    }

    @Test
    void aFullSizeVocabularyIsSampledWithinTheNucleus() {
        int vocab = 131_072;
        float[] logits = new float[vocab];
        Arrays.fill(logits, -10f);
        logits[77] = 5f;
        logits[99_999] = 4.5f;
        Sampler s = new Sampler(SamplingOptions.reasoningDefaults(3), vocab);
        for (int i = 0; i < 200; i++) {
            assertThat(s.sample(logits.clone())).isIn(77, 99_999);
        }
    }

    @Test
    void invalidOptionsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> SamplingOptions.greedy().withTemperature(-1f)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingOptions.greedy().withTopP(0f)).hasMessageContaining("topP");
        assertThatThrownBy(() -> SamplingOptions.greedy().withTopK(-3)).hasMessageContaining("topK");
        assertThatThrownBy(() -> SamplingOptions.greedy().withMinP(1f)).hasMessageContaining("minP");
        assertThatThrownBy(() -> SamplingOptions.greedy().withPenalties(0f, 0f, 0f)).hasMessageContaining("repetitionPenalty");
    }
}
