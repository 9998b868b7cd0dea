package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A decode step allocates nothing on the calling thread once warm: scratch lives in the model's workspace, per
 * sequence memory in the state, and the caller supplies the token and logits arrays. The only growth is the KV
 * cache (and the attention scores row), which doubles, so it happens only when the sequence passes a power of two.
 */
class DecodeAllocationTest {

    private static final int VOCAB = 300;
    /** Fewer bytes than this over 100 steps is "nothing" (a single 300-float logits array is 1.2 KiB). */
    private static final long BUDGET = 16 * 1024;
    /** E = 256 so that the decode matmuls (ssm_in 584×256, LM head 300×256) are split over the two threads. */
    private static final ModelSpec MAMBA_MLP = new ModelSpec("no-attention", "M-M-", 256, VOCAB, 4096, 4, 2, 16, 256,
            256, 16, 2, 8, 4, 1e-5f, 5, false);
    private static final ModelSpec HYBRID = new ModelSpec("hybrid", "M*-M", 64, VOCAB, 4096, 4, 2, 16, 96, 128, 16, 2,
            8, 4, 1e-5f, 6, false);
    /** KV cache bytes per position: attention layers × (K and V) × Hkv × Dh × 4. */
    private static final long KV_BYTES_PER_POSITION = 1L * 2 * 2 * 16 * Float.BYTES;

    @TempDir
    static Path dir;
    private static Path hybrid;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void setUp() throws IOException {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        assertThat(THREADS.isThreadAllocatedMemoryEnabled()).isTrue();
        hybrid = dir.resolve("hybrid.gguf");
        RandomModelGenerator.write(HYBRID, GGMLType.F32, hybrid);
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Runs {@code steps} decode steps; returns the bytes the calling thread allocated meanwhile. */
    private static long decode(NemotronHModel m, SequenceState s, int[] token, float[] logits, SplittableRandom r,
            int steps) {
        long before = allocated();
        for (int i = 0; i < steps; i++) {
            token[0] = r.nextInt(VOCAB);
            m.forward(s, token, 0, 1, Logits.LAST, logits, null);
        }
        return allocated() - before;
    }

    @Test
    void theProbeSeesAllocations() {
        long before = allocated();
        float[] big = new float[64 * 1024];
        long after = allocated();
        assertThat(big).hasSize(64 * 1024);
        assertThat(after - before).isGreaterThanOrEqualTo(256 * 1024);
    }

    @ParameterizedTest
    @EnumSource(value = GGMLType.class, names = {"F32", "Q8_0"})
    void steadyStateDecodeWithoutAttentionAllocatesNothing(GGMLType type) throws IOException {
        Path file = dir.resolve("no-attention-" + type + ".gguf");
        RandomModelGenerator.write(MAMBA_MLP, type, file);
        try (NemotronHModel m = NemotronHModel.load(file, new EngineOptions(2, 16))) {
            SequenceState s = m.newState();
            int[] token = new int[1];
            float[] logits = new float[VOCAB];
            SplittableRandom r = new SplittableRandom(1);
            decode(m, s, token, logits, r, 30);
            long bytes = decode(m, s, token, logits, r, 100);
            assertThat(s.position()).isEqualTo(130);
            assertThat(bytes).as("bytes allocated by 100 decode steps (%s)", type).isLessThan(BUDGET);
        }
    }

    @Test
    void steadyStateDecodeWithAttentionAllocatesNothing() throws IOException {
        try (NemotronHModel m = NemotronHModel.load(hybrid, new EngineOptions(2, 16))) {
            SequenceState s = m.newState();
            int[] token = new int[1];
            float[] logits = new float[VOCAB];
            SplittableRandom r = new SplittableRandom(2);
            // Grow the KV cache to 512 positions (and the scores row with it) and warm up.
            decode(m, s, token, logits, r, 300);
            long capacity = s.kvCacheBytes();
            long bytes = decode(m, s, token, logits, r, 100);
            assertThat(s.position()).isEqualTo(400);
            assertThat(s.kvCacheBytes()).isEqualTo(capacity).isEqualTo(512 * KV_BYTES_PER_POSITION);
            assertThat(bytes).as("bytes allocated by 100 decode steps at positions 300..399").isLessThan(BUDGET);
        }
    }

    @Test
    void kvCacheGrowsOnlyAtPowersOfTwo() throws IOException {
        try (NemotronHModel m = NemotronHModel.load(hybrid, new EngineOptions(1, 16))) {
            SequenceState s = m.newState();
            int[] token = new int[1];
            float[] logits = new float[VOCAB];
            SplittableRandom r = new SplittableRandom(3);
            long bytes = s.kvCacheBytes();
            assertThat(bytes).isEqualTo(256 * KV_BYTES_PER_POSITION);
            decode(m, s, token, logits, r, 20); // warm-up
            List<Integer> grewAt = new ArrayList<>();
            while (s.position() < 1100) {
                long allocatedByStep = decode(m, s, token, logits, r, 1);
                long now = s.kvCacheBytes();
                long capacity = now / KV_BYTES_PER_POSITION;
                assertThat(capacity).as("capacity at position %d", s.position())
                        .isGreaterThanOrEqualTo(s.position());
                assertThat(Long.bitCount(capacity)).as("capacity %d is a power of two", capacity).isEqualTo(1);
                if (now != bytes) {
                    grewAt.add(s.position());
                    assertThat(now).isEqualTo(2 * bytes);
                    // The new K and V arrays are allocated by the calling thread: the probe must see them.
                    assertThat(allocatedByStep).isGreaterThanOrEqualTo(now);
                    bytes = now;
                } else {
                    assertThat(allocatedByStep).as("step to position %d", s.position()).isLessThan(BUDGET);
                }
            }
            assertThat(grewAt).containsExactly(257, 513, 1025);
        }
    }
}
