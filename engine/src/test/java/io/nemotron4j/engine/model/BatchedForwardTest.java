package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several sequences stepped together give each sequence the logits it gets alone: bit for bit with F32 weights
 * (whose batched and single-row kernels sum in the same order), within float rounding with quantized ones (whose
 * batched kernel decodes blocks to floats before multiplying). The sequences sit at different positions and mix
 * decode tokens with prefill chunks in one step.
 */
class BatchedForwardTest {

    private static final int VOCAB = 300;
    /** Every layer kind; E = 256 so that matmuls are split over the two threads. */
    private static final ModelSpec HYBRID = new ModelSpec("hybrid", "M*-M*M-", 256, VOCAB, 4096, 4, 2, 16, 256, 256,
            16, 2, 8, 4, 1e-5f, 77, false);
    private static final int[] PROMPT_LENGTHS = {3, 17, 40, 1};
    private static final int STEPS = 12;
    /**
     * Prompts go in pieces of this many tokens, alone as in a batch: the chunked Mamba scan rounds differently for
     * different chunkings, so the pieces must match for the F32 comparison to be exact.
     */
    private static final int PIECE = 8;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeModels() throws IOException {
        for (GGMLType type : new GGMLType[] {GGMLType.F32, GGMLType.Q8_0}) {
            RandomModelGenerator.write(HYBRID, type, file(type));
        }
    }

    private static Path file(GGMLType type) {
        return dir.resolve("hybrid-" + type + ".gguf");
    }

    private static int[][] prompts() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] prompts = new int[PROMPT_LENGTHS.length][];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = r.ints(PROMPT_LENGTHS[i], 0, VOCAB).toArray();
        }
        return prompts;
    }

    /** The tokens each sequence is fed after its prompt, fixed so that solo and batched runs see the same ones. */
    private static int[][] continuations() {
        SplittableRandom r = new SplittableRandom(6);
        int[][] next = new int[PROMPT_LENGTHS.length][];
        for (int i = 0; i < next.length; i++) {
            next[i] = r.ints(STEPS, 0, VOCAB).toArray();
        }
        return next;
    }

    /** {@code [sequence][step]} logits: after the prompt (step 0), then after each continuation token. */
    private static float[][][] solo(NemotronHModel m, int[][] prompts, int[][] next) {
        float[][][] out = new float[prompts.length][STEPS + 1][VOCAB];
        for (int i = 0; i < prompts.length; i++) {
            SequenceState s = m.newState();
            for (int fed = 0; fed < prompts[i].length; fed += PIECE) {
                int count = Math.min(PIECE, prompts[i].length - fed);
                m.forward(s, prompts[i], fed, count, Logits.LAST, out[i][0], null);
            }
            for (int step = 0; step < STEPS; step++) {
                m.forward(s, next[i], step, 1, Logits.LAST, out[i][step + 1], null);
            }
        }
        return out;
    }

    /**
     * The same sequences stepped together. Sequence i starts its prompt at step i, fed in pieces of 8 tokens within
     * the batch, while the sequences already past their prompts decode one token per step.
     */
    private static float[][][] batched(NemotronHModel m, int[][] prompts, int[][] next) {
        int n = prompts.length;
        float[][][] out = new float[n][STEPS + 1][VOCAB];
        SequenceState[] states = new SequenceState[n];
        int[] fed = new int[n];
        int[] produced = new int[n];
        ForwardBatch batch = m.newBatch();
        float[] logits = new float[n * VOCAB];
        int[] owner = new int[n];
        for (int step = 0; Arrays.stream(produced).anyMatch(p -> p <= STEPS); step++) {
            batch.clear();
            int rows = 0;
            for (int i = 0; i < n && i <= step; i++) {
                if (states[i] == null) {
                    states[i] = m.newState();
                }
                if (produced[i] > STEPS) {
                    continue;
                }
                boolean prefilling = fed[i] < prompts[i].length;
                int count = prefilling ? Math.min(PIECE, prompts[i].length - fed[i]) : 1;
                boolean wants = !prefilling || fed[i] + count == prompts[i].length;
                if (prefilling) {
                    batch.add(states[i], prompts[i], fed[i], count, wants);
                } else {
                    batch.add(states[i], next[i], produced[i] - 1, 1, true);
                }
                fed[i] += prefilling ? count : 0;
                if (wants) {
                    owner[rows++] = i;
                }
            }
            m.forward(batch, logits);
            for (int row = 0; row < rows; row++) {
                int i = owner[row];
                System.arraycopy(logits, row * VOCAB, out[i][produced[i]], 0, VOCAB);
                produced[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(states[i].position()).isEqualTo(prompts[i].length + STEPS);
        }
        return out;
    }

    @Test
    void f32BatchedLogitsEqualSoloLogitsBitForBit() throws IOException {
        try (NemotronHModel m = NemotronHModel.load(file(GGMLType.F32), new EngineOptions(2, 64))) {
            int[][] prompts = prompts();
            int[][] next = continuations();
            float[][][] alone = solo(m, prompts, next);
            float[][][] together = batched(m, prompts, next);
            for (int i = 0; i < prompts.length; i++) {
                for (int step = 0; step <= STEPS; step++) {
                    assertThat(together[i][step]).as("sequence %d, step %d", i, step).containsExactly(alone[i][step]);
                }
            }
        }
    }

    @Test
    void q8BatchedLogitsEqualSoloLogitsWithinRounding() throws IOException {
        try (NemotronHModel m = NemotronHModel.load(file(GGMLType.Q8_0), new EngineOptions(2, 64))) {
            int[][] prompts = prompts();
            int[][] next = continuations();
            float[][][] alone = solo(m, prompts, next);
            float[][][] together = batched(m, prompts, next);
            for (int i = 0; i < prompts.length; i++) {
                for (int step = 0; step <= STEPS; step++) {
                    float[] a = alone[i][step];
                    float[] b = together[i][step];
                    float scale = 0f;
                    float worst = 0f;
                    for (int v = 0; v < VOCAB; v++) {
                        scale = Math.max(scale, Math.abs(a[v]));
                        worst = Math.max(worst, Math.abs(a[v] - b[v]));
                    }
                    assertThat(scale).isPositive();
                    assertThat(worst / scale).as("relative difference, sequence %d step %d", i, step)
                            .isLessThan(1e-4f);
                }
            }
        }
    }

    @Test
    void steadyStateBatchedDecodeAllocatesNothing() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (NemotronHModel m = NemotronHModel.load(file(GGMLType.Q8_0), new EngineOptions(2, 16))) {
            SequenceState[] states = new SequenceState[8];
            for (int i = 0; i < states.length; i++) {
                states[i] = m.newState();
                m.forward(states[i], new int[] {i + 1});
            }
            ForwardBatch batch = m.newBatch();
            float[] logits = new float[states.length * VOCAB];
            int[] tokens = new SplittableRandom(9).ints(states.length, 0, VOCAB).toArray();
            for (int warm = 0; warm < 30; warm++) {
                step(m, batch, states, tokens, logits);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                step(m, batch, states, tokens, logits);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(states[0].position()).isEqualTo(131);
            assertThat(bytes).as("bytes allocated by 100 batched steps of 8 sequences").isLessThan(16 * 1024);
        }
    }

    private static void step(NemotronHModel m, ForwardBatch batch, SequenceState[] states, int[] tokens,
            float[] logits) {
        batch.clear();
        for (int i = 0; i < states.length; i++) {
            batch.add(states[i], tokens, i, 1, true);
        }
        m.forward(batch, logits);
    }

    @Test
    void aBadBatchChangesNoState() throws IOException {
        try (NemotronHModel m = NemotronHModel.load(file(GGMLType.F32), new EngineOptions(1, 8))) {
            SequenceState a = m.newState();
            SequenceState b = m.newState();
            ForwardBatch batch = m.newBatch();
            batch.add(a, new int[] {1}, 0, 1, true);
            batch.add(b, new int[] {VOCAB}, 0, 1, true);
            assertThatThrownBy(() -> m.forward(batch, new float[2 * VOCAB]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary");
            assertThat(a.position()).isZero();
            assertThat(b.position()).isZero();
            assertThatThrownBy(() -> batch.add(a, new int[] {1}, 0, 1, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already in the batch");
            assertThatThrownBy(() -> batch.add(m.newState(), new int[7], 0, 7, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
            batch.clear();
            batch.add(a, new int[] {1}, 0, 1, true);
            assertThatThrownBy(() -> m.forward(batch, new float[VOCAB - 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits array");
            assertThat(a.position()).isZero();
        }
    }
}
