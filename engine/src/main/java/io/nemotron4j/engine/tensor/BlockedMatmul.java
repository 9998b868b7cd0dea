package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.F;
import static io.nemotron4j.engine.tensor.VectorShapes.L;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;

/**
 * Weight matrix times several activation vectors, for prefill: rows are taken {@value #ROWS} at a time and
 * decoded into floats {@value #CHUNK} columns at a time, and each such panel is multiplied with every activation
 * vector while it sits in L1, so the weights are decoded once per call instead of once per token.
 *
 * <p>The inner kernel holds a tile of {@value #ROWS} rows by {@value #TOKENS} tokens in registers, so each
 * weight vector loaded feeds {@value #TOKENS} multiply-adds and each activation vector {@value #ROWS}. Partial
 * sums stay as vectors in a per-thread scratch array between panels and are reduced to floats once per row.
 *
 * <p>Each row and token gets one vector accumulator fed in column order, then the leftover columns in lane 0, then
 * the lanes summed from lane 0 up: the same arithmetic as {@link VectorF32Format}'s dot, so F32 prefill and decode
 * agree bit for bit, and none of it depends on how rows are grouped or which thread runs them.
 */
final class BlockedMatmul {

    /** Rows decoded and multiplied together. */
    static final int ROWS = 4;

    /**
     * Tokens per register tile. 4 x 2 accumulators, two activations and a weight leave AVX2's 16 registers room;
     * measured on AVX2, tiles of 4 x 3 (which fills all 16), 6 x 2 and 2 x 4 ran 26%, 23% and 11% slower.
     */
    static final int TOKENS = 2;

    /**
     * Tokens per tile where vectors are 512 bits wide (AVX-512 has 32 registers): 4 x 4 accumulators, four
     * activations and a weight fit, and each weight vector loaded from the panel feeds four tokens instead of two.
     * Measured in thread CPU time on a 22656 x 4480 Q8_0 matrix (AVX-512, one thread): 8 tokens per call took
     * 32-35 ms against 38-40 ms with the 4 x 2 tile, a batched decode step of 8 streams about 15% less.
     */
    static final int WIDE_TOKENS = 4;

    private static final boolean WIDE = L >= 16;

    /** Columns per decoded panel: whole blocks of every type, and 4 rows of them take 8 KiB. */
    static final int CHUNK = 512;

    /** Per-thread buffers: the decoded panel, the decoder's scratch and the partial sums (grown to the largest n). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] panel = new float[ROWS * CHUNK];
        final float[] kernel = VectorFormat.scratch();
        float[] sums = new float[0];
    }

    private BlockedMatmul() {
    }

    /** {@link TensorFormat#matmul} for {@code n > 1}, decoding through {@link VectorFormat#decode}. */
    static void multiply(VectorFormat format, MemorySegment w, long rowBytes, int cols, float[] x, int xStride,
            int n, float[] out, int outStride, int rowStart, int rowEnd) {
        Scratch scratch = SCRATCH.get();
        int sumsLength = n * ROWS * L;
        if (scratch.sums.length < sumsLength) {
            scratch.sums = new float[sumsLength];
        }
        float[] panel = scratch.panel;
        float[] sums = scratch.sums;
        GGMLType type = format.type();
        for (int r0 = rowStart; r0 < rowEnd; r0 += ROWS) {
            int rows = Math.min(ROWS, rowEnd - r0);
            // Missing rows of the last strip multiply as zeros; their sums are never read.
            Arrays.fill(panel, rows * CHUNK, ROWS * CHUNK, 0f);
            Arrays.fill(sums, 0, sumsLength, 0f);
            for (int c0 = 0; c0 < cols; c0 += CHUNK) {
                int width = Math.min(CHUNK, cols - c0);
                long panelOffset = type.bytesFor(c0);
                for (int i = 0; i < rows; i++) {
                    format.decode(w, (r0 + i) * rowBytes + panelOffset, panel, i * CHUNK, width, scratch.kernel);
                }
                int t = 0;
                if (WIDE) {
                    for (; t + WIDE_TOKENS <= n; t += WIDE_TOKENS) {
                        wideTile(panel, width, x, t * xStride + c0, xStride, sums, t * ROWS * L);
                    }
                }
                for (; t + TOKENS <= n; t += TOKENS) {
                    tile(panel, width, x, t * xStride + c0, xStride, sums, t * ROWS * L);
                }
                for (; t < n; t++) {
                    column(panel, width, x, t * xStride + c0, sums, t * ROWS * L);
                }
            }
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < rows; i++) {
                    out[t * outStride + r0 + i] = VectorFormat.sum(sums, (t * ROWS + i) * L);
                }
            }
        }
    }

    /**
     * Adds panel rows 0-3 dotted with tokens t and t+1 (activations at {@code x0} and {@code x0 + xStride}) to
     * the partial sums of those tokens, which start at {@code s}.
     */
    private static void tile(float[] panel, int width, float[] x, int x0, int xStride, float[] sums, int s) {
        int x1 = x0 + xStride;
        int s1 = s + ROWS * L;
        FloatVector a00 = FloatVector.fromArray(F, sums, s);
        FloatVector a01 = FloatVector.fromArray(F, sums, s + L);
        FloatVector a02 = FloatVector.fromArray(F, sums, s + 2 * L);
        FloatVector a03 = FloatVector.fromArray(F, sums, s + 3 * L);
        FloatVector a10 = FloatVector.fromArray(F, sums, s1);
        FloatVector a11 = FloatVector.fromArray(F, sums, s1 + L);
        FloatVector a12 = FloatVector.fromArray(F, sums, s1 + 2 * L);
        FloatVector a13 = FloatVector.fromArray(F, sums, s1 + 3 * L);
        int vectorWidth = width - width % L;
        for (int k = 0; k < vectorWidth; k += L) {
            FloatVector xa = FloatVector.fromArray(F, x, x0 + k);
            FloatVector xb = FloatVector.fromArray(F, x, x1 + k);
            FloatVector w = FloatVector.fromArray(F, panel, k);
            a00 = w.fma(xa, a00);
            a10 = w.fma(xb, a10);
            w = FloatVector.fromArray(F, panel, CHUNK + k);
            a01 = w.fma(xa, a01);
            a11 = w.fma(xb, a11);
            w = FloatVector.fromArray(F, panel, 2 * CHUNK + k);
            a02 = w.fma(xa, a02);
            a12 = w.fma(xb, a12);
            w = FloatVector.fromArray(F, panel, 3 * CHUNK + k);
            a03 = w.fma(xa, a03);
            a13 = w.fma(xb, a13);
        }
        a00.intoArray(sums, s);
        a01.intoArray(sums, s + L);
        a02.intoArray(sums, s + 2 * L);
        a03.intoArray(sums, s + 3 * L);
        a10.intoArray(sums, s1);
        a11.intoArray(sums, s1 + L);
        a12.intoArray(sums, s1 + 2 * L);
        a13.intoArray(sums, s1 + 3 * L);
        tail(panel, vectorWidth, width, x, x0, sums, s);
        tail(panel, vectorWidth, width, x, x1, sums, s1);
    }

    /** {@link #tile} for four tokens, the activations of token t+i at {@code x0 + i*xStride}. */
    private static void wideTile(float[] panel, int width, float[] x, int x0, int xStride, float[] sums, int s) {
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int s1 = s + ROWS * L;
        int s2 = s1 + ROWS * L;
        int s3 = s2 + ROWS * L;
        FloatVector a00 = FloatVector.fromArray(F, sums, s);
        FloatVector a01 = FloatVector.fromArray(F, sums, s + L);
        FloatVector a02 = FloatVector.fromArray(F, sums, s + 2 * L);
        FloatVector a03 = FloatVector.fromArray(F, sums, s + 3 * L);
        FloatVector a10 = FloatVector.fromArray(F, sums, s1);
        FloatVector a11 = FloatVector.fromArray(F, sums, s1 + L);
        FloatVector a12 = FloatVector.fromArray(F, sums, s1 + 2 * L);
        FloatVector a13 = FloatVector.fromArray(F, sums, s1 + 3 * L);
        FloatVector a20 = FloatVector.fromArray(F, sums, s2);
        FloatVector a21 = FloatVector.fromArray(F, sums, s2 + L);
        FloatVector a22 = FloatVector.fromArray(F, sums, s2 + 2 * L);
        FloatVector a23 = FloatVector.fromArray(F, sums, s2 + 3 * L);
        FloatVector a30 = FloatVector.fromArray(F, sums, s3);
        FloatVector a31 = FloatVector.fromArray(F, sums, s3 + L);
        FloatVector a32 = FloatVector.fromArray(F, sums, s3 + 2 * L);
        FloatVector a33 = FloatVector.fromArray(F, sums, s3 + 3 * L);
        int vectorWidth = width - width % L;
        for (int k = 0; k < vectorWidth; k += L) {
            FloatVector xa = FloatVector.fromArray(F, x, x0 + k);
            FloatVector xb = FloatVector.fromArray(F, x, x1 + k);
            FloatVector xc = FloatVector.fromArray(F, x, x2 + k);
            FloatVector xd = FloatVector.fromArray(F, x, x3 + k);
            FloatVector w = FloatVector.fromArray(F, panel, k);
            a00 = w.fma(xa, a00);
            a10 = w.fma(xb, a10);
            a20 = w.fma(xc, a20);
            a30 = w.fma(xd, a30);
            w = FloatVector.fromArray(F, panel, CHUNK + k);
            a01 = w.fma(xa, a01);
            a11 = w.fma(xb, a11);
            a21 = w.fma(xc, a21);
            a31 = w.fma(xd, a31);
            w = FloatVector.fromArray(F, panel, 2 * CHUNK + k);
            a02 = w.fma(xa, a02);
            a12 = w.fma(xb, a12);
            a22 = w.fma(xc, a22);
            a32 = w.fma(xd, a32);
            w = FloatVector.fromArray(F, panel, 3 * CHUNK + k);
            a03 = w.fma(xa, a03);
            a13 = w.fma(xb, a13);
            a23 = w.fma(xc, a23);
            a33 = w.fma(xd, a33);
        }
        a00.intoArray(sums, s);
        a01.intoArray(sums, s + L);
        a02.intoArray(sums, s + 2 * L);
        a03.intoArray(sums, s + 3 * L);
        a10.intoArray(sums, s1);
        a11.intoArray(sums, s1 + L);
        a12.intoArray(sums, s1 + 2 * L);
        a13.intoArray(sums, s1 + 3 * L);
        a20.intoArray(sums, s2);
        a21.intoArray(sums, s2 + L);
        a22.intoArray(sums, s2 + 2 * L);
        a23.intoArray(sums, s2 + 3 * L);
        a30.intoArray(sums, s3);
        a31.intoArray(sums, s3 + L);
        a32.intoArray(sums, s3 + 2 * L);
        a33.intoArray(sums, s3 + 3 * L);
        tail(panel, vectorWidth, width, x, x0, sums, s);
        tail(panel, vectorWidth, width, x, x1, sums, s1);
        tail(panel, vectorWidth, width, x, x2, sums, s2);
        tail(panel, vectorWidth, width, x, x3, sums, s3);
    }

    /** {@link #tile} for a single token at {@code x0}, whose partial sums start at {@code s}. */
    private static void column(float[] panel, int width, float[] x, int x0, float[] sums, int s) {
        FloatVector a0 = FloatVector.fromArray(F, sums, s);
        FloatVector a1 = FloatVector.fromArray(F, sums, s + L);
        FloatVector a2 = FloatVector.fromArray(F, sums, s + 2 * L);
        FloatVector a3 = FloatVector.fromArray(F, sums, s + 3 * L);
        int vectorWidth = width - width % L;
        for (int k = 0; k < vectorWidth; k += L) {
            FloatVector xa = FloatVector.fromArray(F, x, x0 + k);
            a0 = FloatVector.fromArray(F, panel, k).fma(xa, a0);
            a1 = FloatVector.fromArray(F, panel, CHUNK + k).fma(xa, a1);
            a2 = FloatVector.fromArray(F, panel, 2 * CHUNK + k).fma(xa, a2);
            a3 = FloatVector.fromArray(F, panel, 3 * CHUNK + k).fma(xa, a3);
        }
        a0.intoArray(sums, s);
        a1.intoArray(sums, s + L);
        a2.intoArray(sums, s + 2 * L);
        a3.intoArray(sums, s + 3 * L);
        tail(panel, vectorWidth, width, x, x0, sums, s);
    }

    /**
     * The columns {@code [from, width)} short of a whole vector (only float types with odd widths have any),
     * added into lane 0 of each row's partial sum.
     */
    private static void tail(float[] panel, int from, int width, float[] x, int x0, float[] sums, int s) {
        if (from == width) {
            return;
        }
        for (int i = 0; i < ROWS; i++) {
            float sum = 0f;
            for (int k = from; k < width; k++) {
                sum += panel[i * CHUNK + k] * x[x0 + k];
            }
            sums[s + i * L] += sum;
        }
    }
}
