package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Holds every production format, vector and scalar, to {@link ScalarReference} on random data. */
class TensorFormatTest {

    /** Σ|w·x| scales the dot tolerance, since float and double sums differ by rounding, not by magnitude. */
    private static final double DOT_TOLERANCE = 1e-5;

    private static int[] blockCounts(GGMLType type) {
        return type.blockSize() == 1 ? new int[] {1, 3, 7, 64, 301, 1000} : new int[] {1, 2, 5, 16};
    }

    @ParameterizedTest
    @MethodSource("io.nemotron4j.engine.tensor.KernelSets#all")
    void dequantizeMatchesReferenceBitForBit(GGMLType type, String kernels) {
        TensorFormat format = KernelSets.format(type, kernels);
        Random random = new Random(type.id());
        try (Arena arena = Arena.ofConfined()) {
            for (int blocks : blockCounts(type)) {
                for (long offset : new long[] {0, 3, 17}) {
                    int count = blocks * type.blockSize();
                    MemorySegment offHeap = arena.allocate(offset + type.bytesFor(count));
                    MemorySegment heap = MemorySegment.ofArray(new byte[(int) offHeap.byteSize()]);
                    for (MemorySegment src : new MemorySegment[] {offHeap, heap}) {
                        for (int round = 0; round < 20; round++) {
                            RandomBlocks.fill(type, src, offset, blocks, random, true);
                            float[] expected = new float[count + 5];
                            float[] actual = new float[count + 5];
                            ScalarReference.dequantize(type, src, offset, expected, 5, count);
                            KernelSets.decode(format, src, offset, actual, 5, count);
                            RandomBlocks.assertSameBits(actual, expected, type + " x" + blocks + " @" + offset);
                        }
                    }
                }
            }
        }
    }

    /** Infinite and NaN scales (or elements) must still decode exactly as the reference does. */
    @ParameterizedTest
    @MethodSource("io.nemotron4j.engine.tensor.KernelSets#all")
    void dequantizeMatchesReferenceOnRawBytes(GGMLType type, String kernels) {
        TensorFormat format = KernelSets.format(type, kernels);
        Random random = new Random(100 + type.id());
        int count = 4096;
        MemorySegment src = MemorySegment.ofArray(new byte[(int) type.bytesFor(count)]);
        for (int round = 0; round < 50; round++) {
            RandomBlocks.fill(type, src, 0, count / type.blockSize(), random, false);
            float[] expected = new float[count];
            float[] actual = new float[count];
            ScalarReference.dequantize(type, src, 0, expected, 0, count);
            KernelSets.decode(format, src, 0, actual, 0, count);
            RandomBlocks.assertSameBits(actual, expected, type + " raw");
        }
    }

    @ParameterizedTest
    @MethodSource("io.nemotron4j.engine.tensor.KernelSets#all")
    void dotMatchesReference(GGMLType type, String kernels) {
        TensorFormat format = KernelSets.format(type, kernels);
        Random random = new Random(200 + type.id());
        for (int blocks : blockCounts(type)) {
            for (long offset : new long[] {0, 5}) {
                int count = blocks * type.blockSize();
                MemorySegment src = MemorySegment.ofArray(new byte[(int) (offset + type.bytesFor(count))]);
                for (int round = 0; round < 30; round++) {
                    RandomBlocks.fill(type, src, offset, blocks, random, true);
                    int xOffset = round % 4;
                    float[] x = RandomBlocks.gaussian(random, xOffset + count);
                    float[] w = new float[count];
                    ScalarReference.dequantize(type, src, offset, w, 0, count);
                    double magnitude = 0;
                    for (int i = 0; i < count; i++) {
                        magnitude += Math.abs((double) w[i] * x[xOffset + i]);
                    }
                    float expected = ScalarReference.dot(type, src, offset, x, xOffset, count);
                    float actual = format.dot(src, offset, x, xOffset, count);
                    assertThat((double) actual)
                            .as("%s dot over %d blocks at offset %d", type, blocks, offset)
                            .isCloseTo(expected, within(DOT_TOLERANCE * magnitude + Float.MIN_NORMAL));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.nemotron4j.engine.tensor.KernelSets#all")
    void matmulMatchesPerRowDot(GGMLType type, String kernels) {
        TensorFormat format = KernelSets.format(type, kernels);
        Random random = new Random(300 + type.id());
        // More than one 256-element decoding chunk, with a partial last one where the block size allows.
        int cols = switch (type.blockSize()) {
            case 1 -> 300;
            case 32 -> 288;
            default -> 512;
        };
        int rows = 7;
        int rowStart = 2;
        int rowEnd = 6;
        long rowBytes = type.bytesFor(cols);
        MemorySegment w = MemorySegment.ofArray(new byte[(int) (rows * rowBytes)]);
        RandomBlocks.fill(type, w, 0, rows * cols / type.blockSize(), random, true);
        for (int n : new int[] {1, 3}) {
            int xStride = cols + 5;
            int outStride = rows + 2;
            float[] x = RandomBlocks.gaussian(random, n * xStride);
            float[] out = new float[n * outStride];
            Arrays.fill(out, Float.NaN);
            format.matmul(w, rowBytes, cols, x, xStride, n, out, outStride, rowStart, rowEnd);
            for (int t = 0; t < n; t++) {
                for (int r = 0; r < outStride; r++) {
                    float got = out[t * outStride + r];
                    if (r < rowStart || r >= rowEnd) {
                        assertThat(got).as("row %d outside the range", r).isNaN();
                        continue;
                    }
                    float expected = format.dot(w, r * rowBytes, x, t * xStride, cols);
                    float[] row = new float[cols];
                    format.dequantize(w, r * rowBytes, row, 0, cols);
                    double magnitude = 0;
                    for (int i = 0; i < cols; i++) {
                        magnitude += Math.abs((double) row[i] * x[t * xStride + i]);
                    }
                    assertThat(got).as("%s n=%d vector %d row %d", type, n, t, r)
                            .isCloseTo(expected, within((float) (DOT_TOLERANCE * magnitude)));
                }
            }
        }
    }
}
