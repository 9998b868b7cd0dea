package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariants of the forward pass on small random models (spec §8.4, §8.7, §8.12): decode equals prefill, any
 * split and chunking of a prefill equals one pass, thread count and interleaving change nothing, attention has no
 * positional encoding, bad input leaves the state alone, and the Mamba state has the size the shapes give.
 */
class ForwardPassPropertiesTest {

    private static final int VOCAB = 300;
    private static final int N = 50;
    /** Hybrid of every layer kind: 3 Mamba, 2 attention, 2 MLP. */
    private static final ModelSpec HYBRID = spec("hybrid", "M*-M*M-", 4096);
    /** One attention layer and a per-token MLP: the last token sees its past only as a set. */
    private static final ModelSpec ATTENTION_ONLY = spec("attention-only", "*-", 4096);
    private static final ModelSpec SHORT_CONTEXT = spec("short", "M*-", 16);
    private static final int[] TOKENS = randomTokens(N, 11);

    @TempDir
    static Path dir;
    private static Path hybrid;
    private static Path attentionOnly;
    private static Path shortContext;

    private static ModelSpec spec(String name, String pattern, int context) {
        return new ModelSpec(name, pattern, 64, VOCAB, context, 4, 2, 16, 96, 128, 16, 2, 8, 4, 1e-5f, 1234, false);
    }

    @BeforeAll
    static void writeModels() throws IOException {
        hybrid = dir.resolve("hybrid.gguf");
        attentionOnly = dir.resolve("attention-only.gguf");
        shortContext = dir.resolve("short.gguf");
        RandomModelGenerator.write(HYBRID, GGMLType.F32, hybrid);
        RandomModelGenerator.write(ATTENTION_ONLY, GGMLType.F32, attentionOnly);
        RandomModelGenerator.write(SHORT_CONTEXT, GGMLType.F32, shortContext);
    }

    private static NemotronHModel load(Path file, int threads, int chunk) throws IOException {
        return NemotronHModel.load(file, new EngineOptions(threads, chunk));
    }

    private static int[] randomTokens(int n, long seed) {
        return new SplittableRandom(seed).ints(n, 0, VOCAB).toArray();
    }

    /** Logits of every position of {@code tokens} in one forward call on a fresh state. */
    private static float[] prefillAll(NemotronHModel m, int[] tokens) {
        float[] out = new float[tokens.length * VOCAB];
        SequenceState s = m.newState();
        m.forward(s, tokens, 0, tokens.length, Logits.ALL, out, null);
        assertThat(s.position()).isEqualTo(tokens.length);
        return out;
    }

    /** Logits of every position, one single-token call per position. */
    private static float[] decodeAll(NemotronHModel m, SequenceState s, int[] tokens) {
        float[] out = new float[tokens.length * VOCAB];
        float[] one = new float[VOCAB];
        for (int i = 0; i < tokens.length; i++) {
            m.forward(s, tokens, i, 1, Logits.LAST, one, null);
            System.arraycopy(one, 0, out, i * VOCAB, VOCAB);
        }
        return out;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    @Test
    void decodeTokenByTokenEqualsPrefill() throws IOException {
        try (NemotronHModel m = load(hybrid, 1, 64)) {
            float[] prefill = prefillAll(m, TOKENS);
            SequenceState s = m.newState();
            float[] decode = decodeAll(m, s, TOKENS);
            assertThat(s.position()).isEqualTo(N);
            assertThat(maxAbsDiff(prefill, decode)).isLessThanOrEqualTo(1e-5);
            // Not vacuous: positions do differ from each other.
            assertThat(maxAbsDiff(Arrays.copyOfRange(prefill, 0, VOCAB),
                    Arrays.copyOfRange(prefill, (N - 1) * VOCAB, N * VOCAB))).isGreaterThan(1e-2);
        }
    }

    /**
     * Prefill chunks longer than the Mamba scan's own chunk (64 tokens) scan in several pieces, each starting from
     * the state the one before left: 200 tokens in one call agree with 200 single-token steps at every position.
     */
    @Test
    void chunkedScanOverSeveralScanChunksEqualsDecode() throws IOException {
        int[] tokens = randomTokens(200, 12);
        try (NemotronHModel m = load(hybrid, 2, 256)) {
            float[] prefill = prefillAll(m, tokens);
            float[] decode = decodeAll(m, m.newState(), tokens);
            assertThat(maxAbsDiff(prefill, decode)).isLessThanOrEqualTo(1e-5);
        }
    }

    @ParameterizedTest(name = "prefillChunk {0}")
    @ValueSource(ints = {1, 2, 3, 5, 64})
    void splitAndChunkedPrefillEqualsSinglePass(int chunk) throws IOException {
        float[] whole;
        try (NemotronHModel m = load(hybrid, 1, 64)) {
            whole = prefillAll(m, TOKENS);
        }
        try (NemotronHModel m = load(hybrid, 1, chunk)) {
            assertThat(maxAbsDiff(whole, prefillAll(m, TOKENS))).as("one call in chunks of %d", chunk)
                    .isLessThanOrEqualTo(1e-5);
            for (int split : new int[] {1, 3, 17, 48, 49}) {
                SequenceState s = m.newState();
                float[] first = new float[split * VOCAB];
                float[] second = new float[(N - split) * VOCAB];
                m.forward(s, TOKENS, 0, split, Logits.ALL, first, null);
                assertThat(s.position()).isEqualTo(split);
                m.forward(s, TOKENS, split, N - split, Logits.ALL, second, null);
                assertThat(s.position()).isEqualTo(N);
                float[] joined = Arrays.copyOf(first, N * VOCAB);
                System.arraycopy(second, 0, joined, split * VOCAB, second.length);
                assertThat(maxAbsDiff(whole, joined)).as("split %d+%d in chunks of %d", split, N - split, chunk)
                        .isLessThanOrEqualTo(1e-5);
                // Logits.LAST of the same split is the last row of ALL.
                SequenceState s2 = m.newState();
                float[] last = new float[VOCAB];
                m.forward(s2, TOKENS, 0, split, Logits.LAST, last, null);
                m.forward(s2, TOKENS, split, N - split, Logits.LAST, last, null);
                assertThat(maxAbsDiff(Arrays.copyOfRange(whole, (N - 1) * VOCAB, N * VOCAB), last))
                        .isLessThanOrEqualTo(1e-5);
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalLogits() throws IOException {
        int[] more = randomTokens(10, 99);
        float[][] results = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (NemotronHModel m = load(hybrid, threads, 64)) {
                assertThat(m.options().threads()).isEqualTo(threads);
                float[] prefill = new float[N * VOCAB];
                SequenceState s = m.newState();
                // A 50-token chunk is large enough for the matmuls to be split over the pool.
                m.forward(s, TOKENS, 0, N, Logits.ALL, prefill, null);
                float[] decode = decodeAll(m, s, more);
                float[] both = Arrays.copyOf(prefill, prefill.length + decode.length);
                System.arraycopy(decode, 0, both, prefill.length, decode.length);
                results[threads - 1] = both;
            }
        }
        assertThat(results[1]).containsExactly(results[0]);
    }

    @Test
    void withThreadsKeepsTheChunkAndChangesNothingNumerically() throws IOException {
        EngineOptions base = new EngineOptions(1, 5);
        EngineOptions two = base.withThreads(2);
        assertThat(two.threads()).isEqualTo(2);
        assertThat(two.prefillChunk()).isEqualTo(5);
        float[] a;
        float[] b;
        try (NemotronHModel m = NemotronHModel.load(hybrid, base)) {
            a = prefillAll(m, TOKENS);
        }
        try (NemotronHModel m = NemotronHModel.load(hybrid, two)) {
            b = prefillAll(m, TOKENS);
        }
        assertThat(b).containsExactly(a);
    }

    @Test
    void resetStateReproducesTheFirstRunExactly() throws IOException {
        try (NemotronHModel m = load(hybrid, 1, 8)) {
            SequenceState s = m.newState();
            float[] first = run(m, s);
            assertThat(s.position()).isEqualTo(N);
            s.reset();
            assertThat(s.position()).isZero();
            for (int l = 0; l < m.config().layerCount(); l++) {
                if (m.config().layer(l) == LayerKind.MAMBA) {
                    assertThat(s.conv(l)).containsOnly(0f);
                    assertThat(s.ssm(l)).containsOnly(0f);
                }
            }
            float[] again = run(m, s);
            assertThat(again).containsExactly(first);
            assertThat(run(m, m.newState())).containsExactly(first);
        }
    }

    /** 20-token prefill (all logits) then 30 decode steps. */
    private static float[] run(NemotronHModel m, SequenceState s) {
        float[] prefill = new float[20 * VOCAB];
        m.forward(s, TOKENS, 0, 20, Logits.ALL, prefill, null);
        float[] decode = decodeAll(m, s, Arrays.copyOfRange(TOKENS, 20, N));
        float[] out = Arrays.copyOf(prefill, N * VOCAB);
        System.arraycopy(decode, 0, out, 20 * VOCAB, decode.length);
        return out;
    }

    @Test
    void interleavedSequencesEqualEachRunAlone() throws IOException {
        int[] a = TOKENS;
        int[] b = randomTokens(N, 77);
        try (NemotronHModel m = load(hybrid, 2, 4)) {
            float[] aloneA = decodeAll(m, m.newState(), a);
            float[] aloneB = decodeAll(m, m.newState(), b);
            SequenceState sa = m.newState();
            SequenceState sb = m.newState();
            float[] mixedA = new float[N * VOCAB];
            float[] mixedB = new float[N * VOCAB];
            // A 7-token prefill of A, then B, then token by token in turn.
            float[] scratch = new float[7 * VOCAB];
            m.forward(sa, a, 0, 7, Logits.ALL, scratch, null);
            System.arraycopy(scratch, 0, mixedA, 0, scratch.length);
            m.forward(sb, b, 0, 7, Logits.ALL, scratch, null);
            System.arraycopy(scratch, 0, mixedB, 0, scratch.length);
            float[] one = new float[VOCAB];
            for (int i = 7; i < N; i++) {
                m.forward(sa, a, i, 1, Logits.LAST, one, null);
                System.arraycopy(one, 0, mixedA, i * VOCAB, VOCAB);
                m.forward(sb, b, i, 1, Logits.LAST, one, null);
                System.arraycopy(one, 0, mixedB, i * VOCAB, VOCAB);
            }
            assertThat(sa.position()).isEqualTo(N);
            assertThat(sb.position()).isEqualTo(N);
            assertThat(maxAbsDiff(aloneA, mixedA)).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(aloneB, mixedB)).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(aloneA, aloneB)).as("the two sequences differ").isGreaterThan(1e-2);
        }
    }

    @Test
    void attentionHasNoPositionalEncoding() throws IOException {
        int a = 11;
        int b = 42;
        int c = 7;
        int d = 199;
        int e = 250;
        int x = 150;
        try (NemotronHModel m = load(attentionOnly, 1, 64)) {
            float[] ordered = m.forward(m.newState(), a, b, c, d, x);
            float[] permuted = m.forward(m.newState(), c, a, d, b, x);
            assertThat(maxAbsDiff(ordered, permuted)).isLessThanOrEqualTo(1e-5);
            float[] reversedDecode = decodeAll(m, m.newState(), new int[] {d, c, b, a, x});
            assertThat(maxAbsDiff(ordered, Arrays.copyOfRange(reversedDecode, 4 * VOCAB, 5 * VOCAB)))
                    .isLessThanOrEqualTo(1e-5);
            // Not vacuous: the set of past tokens matters.
            float[] otherSet = m.forward(m.newState(), a, b, c, e, x);
            assertThat(maxAbsDiff(ordered, otherSet)).isGreaterThan(1e-3);
        }
        // With Mamba layers order does matter.
        try (NemotronHModel m = load(hybrid, 1, 64)) {
            float[] ordered = m.forward(m.newState(), a, b, c, d, x);
            float[] permuted = m.forward(m.newState(), c, a, d, b, x);
            assertThat(maxAbsDiff(ordered, permuted)).isGreaterThan(1e-3);
        }
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRejectedAndLeaveTheStateAlone() throws IOException {
        try (NemotronHModel m = load(hybrid, 1, 64)) {
            float[] logits = new float[2 * VOCAB];
            SequenceState untouched = m.newState();
            m.forward(untouched, TOKENS, 0, 3, Logits.LAST, logits, null);
            float[] expected = decodeAll(m, untouched, Arrays.copyOfRange(TOKENS, 3, 5));
            SequenceState s = m.newState();
            m.forward(s, TOKENS, 0, 3, Logits.LAST, logits, null);
            for (int bad : new int[] {VOCAB, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                int[] tokens = {TOKENS[3], bad};
                assertThatThrownBy(() -> m.forward(s, tokens, 0, 2, Logits.LAST, logits, null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(Integer.toString(bad));
                assertThat(s.position()).isEqualTo(3);
            }
            // The rejected calls ran nothing: continuing gives what an untouched sequence gives.
            float[] rest = decodeAll(m, s, Arrays.copyOfRange(TOKENS, 3, 5));
            assertThat(rest).containsExactly(expected);
        }
    }

    @Test
    void exceedingTheContextIsRejected() throws IOException {
        try (NemotronHModel m = load(shortContext, 1, 64)) {
            assertThat(m.config().contextLength()).isEqualTo(16);
            SequenceState s = m.newState();
            int[] seventeen = randomTokens(17, 5);
            assertThatThrownBy(() -> m.forward(s, seventeen))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("context")
                    .hasMessageContaining("16")
                    .hasMessageContaining("17");
            assertThat(s.position()).isZero();
            m.forward(s, Arrays.copyOf(seventeen, 16));
            assertThat(s.position()).isEqualTo(16);
            assertThatThrownBy(() -> m.forward(s, seventeen[16]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("context");
            assertThat(s.position()).isEqualTo(16);
        }
    }

    @Test
    void aStateFromAnotherModelIsRejected() throws IOException {
        try (NemotronHModel m1 = load(hybrid, 1, 64); NemotronHModel m2 = load(hybrid, 1, 64)) {
            SequenceState foreign = m1.newState();
            assertThatThrownBy(() -> m2.forward(foreign, 1, 2, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another model");
            assertThat(foreign.position()).isZero();
            m1.forward(foreign, 1, 2, 3);
            assertThat(foreign.position()).isEqualTo(3);
        }
    }

    @Test
    void mambaStateBytesMatchTheShapes() throws IOException {
        int mambaLayers = 3;
        int hm = HYBRID.ssmHeads();
        int p = HYBRID.ssmInner() / hm;
        int n = HYBRID.ssmState();
        int k = HYBRID.convKernel();
        int cc = HYBRID.ssmInner() + 2 * HYBRID.ssmGroups() * n;
        long expected = (long) mambaLayers * ((long) hm * p * n + (long) (k - 1) * cc) * Float.BYTES;
        assertThat(expected).isEqualTo(31_488L);
        try (NemotronHModel m = load(hybrid, 1, 64)) {
            assertThat(m.config().count(LayerKind.MAMBA)).isEqualTo(mambaLayers);
            SequenceState s = m.newState();
            assertThat(s.mambaStateBytes()).isEqualTo(expected);
            m.forward(s, TOKENS);
            assertThat(s.mambaStateBytes()).as("constant per sequence").isEqualTo(expected);
        }
        try (NemotronHModel m = load(attentionOnly, 1, 64)) {
            assertThat(m.newState().mambaStateBytes()).isZero();
        }
    }
}
